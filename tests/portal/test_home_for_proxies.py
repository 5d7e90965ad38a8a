"""The home page through a proxy's access: the patient's demographics and contact details only
with the health-record right, and never a confidential adolescent's own mobile number and email
to a guardian; the page still says whose record it is, their practice and what the access
covers."""

from __future__ import annotations

import pytest

from accounts.models import Relationship
from tests import factories
from tests.pages import assert_page

pytestmark = pytest.mark.django_db

MOBILE = "+16175550142"
EMAIL = "tia.own@example.com"
DEMOGRAPHICS = ("Date of birth", "Medical record number", "12 Elm Street")


def years_ago(practice, years):
    today = practice.today()
    return today.replace(year=today.year - years, day=1)


def patient(practice, age=40):
    return factories.make_chart(practice, "Tia", "Young", date_of_birth=years_ago(practice, age),
                                address_line1="12 Elm Street", city="Boston", state="MA",
                                mobile_phone=MOBILE, notification_email=EMAIL)


def home_as(client, relationship, chart, **rights):
    proxy = factories.make_user("pat-proxy")
    factories.grant(proxy, chart, relationship, **rights)
    client.force_login(proxy)
    return assert_page(client.get("/"), "portal/home.html", "Tia Young",
                       chart.practice.name)


def shows_contacts(body):
    return "(617) 555-0142" in body or MOBILE in body or EMAIL in body


def test_a_representative_for_messages_only_sees_who_and_what_not_the_details(client,
                                                                             practice):
    chart = patient(practice)
    body = home_as(client, Relationship.TRUSTED_REPRESENTATIVE, chart, right_health_record=False,
                   right_appointments=False, right_billing=False, right_renewals=False)
    assert "Your access covers: Messages." in body
    assert "health record, which your access does not include" in body
    assert chart.record_number not in body
    for text in DEMOGRAPHICS:
        assert text not in body
    assert not shows_contacts(body)


def test_a_representative_with_the_health_record_sees_the_details(client, practice):
    chart = patient(practice)
    body = home_as(client, Relationship.TRUSTED_REPRESENTATIVE, chart)
    for text in DEMOGRAPHICS:
        assert text in body
    assert shows_contacts(body)
    assert "Your access covers: Health record, Messages, Appointments, Billing, " \
           "Medication renewals." in body


def test_a_guardian_never_sees_a_confidential_adolescents_own_mobile_and_email(client,
                                                                             practice):
    practice.adolescent_confidentiality = True
    practice.adolescent_guardian_areas = ["health_record", "appointments"]
    practice.save()
    chart = patient(practice, age=15)
    body = home_as(client, Relationship.GUARDIAN, chart)
    for text in DEMOGRAPHICS:
        assert text in body  # the practice lets guardians see the record
    assert not shows_contacts(body)
    assert "Your access covers: Health record, Appointments." in body


def test_a_guardian_of_a_confidential_adolescent_by_default_sees_no_details(client,
                                                                          practice):
    practice.adolescent_confidentiality = True
    practice.save()
    body = home_as(client, Relationship.GUARDIAN, patient(practice, age=15))
    assert "Your access covers: Appointments, Billing." in body
    assert "Date of birth" not in body and not shows_contacts(body)


@pytest.mark.parametrize(("age", "confidentiality"), [(15, False), (10, True)])
def test_a_guardian_sees_a_childs_contact_details_outside_adolescent_confidentiality(
        client, practice, age, confidentiality):
    practice.adolescent_confidentiality = confidentiality
    practice.save()
    body = home_as(client, Relationship.GUARDIAN, patient(practice, age=age))
    assert "Date of birth" in body and shows_contacts(body)


def test_the_patient_sees_all_their_own_details(client, practice):
    practice.adolescent_confidentiality = True
    practice.save()
    chart = patient(practice, age=15)
    own = factories.make_user("tia-young")
    factories.grant(own, chart)
    client.force_login(own)
    body = assert_page(client.get("/"), "portal/home.html", "Welcome, Tia", *DEMOGRAPHICS)
    assert shows_contacts(body)
    assert "Your access covers" not in body
