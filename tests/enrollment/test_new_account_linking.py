"""SPEC E6 with E8 (families share one email): "Create a new account" links a chart on its own
only for an adult, on a contact that the chart alone holds; everything else goes to the staff
queue. And staff are warned when a minor's own account shares an email or mobile number with one
of the minor's guardians, whichever way it was activated."""

from __future__ import annotations

import datetime

import pytest
from allauth.account.models import EmailAddress

from accounts.models import PortalAccess, Relationship
from enrollment.models import EnrollmentRequest, InvitationKind
from enrollment.services import invitation_issue_and_send
from portal.models import AuditAction, AuditEvent, PatientChart
from tests import factories
from tests.enrollment.conftest import GOOD_DETAILS, latest_code, sign_up_path_from_outbox
from tests.pages import assert_page, assert_redirect

pytestmark = pytest.mark.django_db

QUEUE = "/staff/enrollment/enrollmentrequest/"
FAMILY = "family@example.com"
FIFTEEN_YEARS_AGO = datetime.date.today().replace(day=1) - datetime.timedelta(days=15 * 366)


def patient_information(practice, chart: PatientChart, **changes):
    return {"practice": practice.pk, "first_name": chart.first_name,
            "last_name": chart.last_name,
            "date_of_birth": chart.date_of_birth.strftime("%m/%d/%Y"),
            "zip_code": chart.zip_code, "email": FAMILY, "mobile_phone": "", **changes}


def create_account(client, practice, chart, *, email=FAMILY, by_text=False, **changes):
    """Create a new account through the pages; returns where the last step leads."""
    response = client.post("/enroll/new-account/", patient_information(practice, chart,
                                                                       **changes))
    assert_redirect(response, "/enroll/security-details/")
    details = {**GOOD_DETAILS, "email": email}
    if by_text:
        details.update(code_channel="sms", mobile_phone=chart.mobile_phone.as_e164)
    assert_redirect(client.post("/enroll/security-details/", details), "/enroll/verify/")
    to = chart.mobile_phone.as_e164 if by_text else email
    return client.post("/enroll/verify/", {"code": latest_code(to)})


def assert_queued(response, chart):
    """The person was told only that the practice will decide, and no chart was linked."""
    assert_redirect(response, "/enroll/request/sent/")
    assert not PortalAccess.objects.filter(patient=chart,
                                           relationship=Relationship.SELF).exists()
    assert EnrollmentRequest.objects.get().user.username == GOOD_DETAILS["username"]


@pytest.fixture
def nora(practice):
    """An adult patient without an account, whose chart has the family's email and a mobile."""
    return factories.make_chart(practice, "Nora", "North", notification_email=FAMILY,
                                mobile_phone="+16175550111")


# What still links on its own ---------------------------------------------------------------

def test_an_adult_proving_a_contact_only_their_chart_holds_is_linked(client, practice, nora):
    response = create_account(client, practice, nora)
    assert_redirect(response, "/")
    assert_page(client.get("/"), "portal/home.html", "Welcome, Nora")
    access = PortalAccess.objects.get(patient=nora)
    assert (access.user.username, access.relationship) == ("Alice.Archer", Relationship.SELF)
    assert not EnrollmentRequest.objects.exists()


# What goes to the queue --------------------------------------------------------------------

def test_an_email_another_chart_of_the_family_holds_goes_to_the_queue(client, practice, nora):
    # The mother's chart has the same family address, in another case: whoever reads the inbox
    # could otherwise make a "self" login on Nora's chart.
    factories.make_chart(practice, "Mara", "North", notification_email="Family@Example.COM")
    assert_queued(create_account(client, practice, nora), nora)


def test_a_mobile_another_chart_holds_goes_to_the_queue(client, practice, nora):
    factories.make_chart(practice, "Mara", "North", mobile_phone="+16175550111")
    assert_queued(create_account(client, practice, nora, email="nora.own@example.com",
                                 by_text=True), nora)


@pytest.mark.parametrize("held_as", ["account email", "verified address", "code method"])
def test_an_email_another_account_holds_goes_to_the_queue(client, practice, nora, held_as):
    mara = factories.make_user("mara-north",
                               email=FAMILY.upper() if held_as == "account email" else "")
    if held_as == "verified address":
        EmailAddress.objects.create(user=mara, email=FAMILY, verified=True, primary=True)
    if held_as == "code method":
        factories.add_code_method(mara, FAMILY)
    assert_queued(create_account(client, practice, nora), nora)


def test_an_account_started_but_never_activated_holds_no_contact(client, practice, nora):
    # Nora's own first try, abandoned before the code (or anyone's): it proved nothing.
    factories.make_user("nora-first-try", email=FAMILY, is_active=False)
    assert_redirect(create_account(client, practice, nora), "/")
    assert PortalAccess.objects.get(patient=nora).user.username == "Alice.Archer"


def test_a_mobile_another_account_receives_codes_on_goes_to_the_queue(client, practice, nora):
    factories.add_code_method(factories.make_user("mara-north"), "+16175550111", "sms")
    assert_queued(create_account(client, practice, nora, email="nora.own@example.com",
                                 by_text=True), nora)


def test_a_minors_chart_is_never_linked_on_its_own(client, practice):
    # A teenager's own address, held by nobody else: still a person at the practice decides,
    # as a parent could have typed it (and the child's own login changes what guardians see).
    teen = factories.make_chart(practice, "Theo", "North", date_of_birth=FIFTEEN_YEARS_AGO,
                                notification_email="theo@example.com")
    assert_queued(create_account(client, practice, teen, email="theo@example.com"), teen)


def test_a_contact_typed_only_in_the_request_proves_nothing(client, practice):
    # The chart has no address: the one typed on Patient Information (and proven by the code)
    # is the requester's, not the practice's.
    chart = factories.make_chart(practice, "Nora", "North")
    assert_queued(create_account(client, practice, chart, email="nora@example.com"), chart)
    chart.refresh_from_db()
    assert chart.notification_email == ""


def test_the_code_must_prove_the_charts_contact_not_another_one_typed(client, practice, nora):
    # Patient Information carries the chart's address; the code goes to another one.
    assert_queued(create_account(client, practice, nora, email="someone@example.com"), nora)


# The warning when a minor's own account shares a guardian's contact ---------------------------

@pytest.fixture
def teen(practice):
    """A 15-year-old with a guardian (their mother) whose login uses the family's address."""
    chart = factories.make_chart(practice, "Theo", "North", date_of_birth=FIFTEEN_YEARS_AGO,
                                 notification_email=FAMILY)
    mother = factories.make_user("mara-north", email=FAMILY)
    factories.add_code_method(mother, FAMILY)
    factories.grant(mother, chart, Relationship.GUARDIAN)
    return chart


def chart_page(client, staff, chart):
    client.force_login(staff)
    return client.get(f"/staff/portal/patientchart/{chart.pk}/change/")


WARNING = "shares an email address or mobile number with a guardian"


def test_a_minor_enrolling_by_invitation_on_a_guardians_email_is_flagged(
        client, practice, staff, teen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation_issue_and_send(patient=teen, kind=InvitationKind.LINK, created_by=staff,
                                  email=FAMILY)
    assert client.get(sign_up_path_from_outbox(FAMILY)).url == "/enroll/identify/"
    client.post("/enroll/identify/", {"zip_code": teen.zip_code,
                                      "date_of_birth": teen.date_of_birth.strftime("%m/%d/%Y")})
    client.post("/enroll/security-details/", {**GOOD_DETAILS, "email": FAMILY})
    assert_redirect(client.post("/enroll/verify/", {"code": latest_code(FAMILY)}), "/")
    own = PortalAccess.objects.get(patient=teen, relationship=Relationship.SELF)
    event = AuditEvent.objects.get(action=AuditAction.MINOR_SHARES_GUARDIAN_CONTACT)
    assert (event.patient, event.subject_user) == (teen, own.user)
    assert event.extra == {"guardians": ["mara-north"]}
    client.logout()
    assert_page(chart_page(client, staff, teen), "admin/portal/patientchart/change_form.html",
                f"The portal account “Alice.Archer” opens this record as the patient themself "
                f"and {WARNING} (mara-north)")


def test_approving_a_minors_request_on_a_guardians_email_warns_the_staff_member(
        client, practice, staff, teen):
    assert_queued(create_account(client, practice, teen), teen)
    request_obj = EnrollmentRequest.objects.get()
    client.force_login(staff)
    response = client.post(f"{QUEUE}{request_obj.pk}/approve/", {"patient": teen.pk},
                           follow=True)
    assert response.redirect_chain == [(QUEUE, 302)]
    assert_page(response, "admin/change_list.html", WARNING, "mara-north")
    assert AuditEvent.objects.filter(action=AuditAction.MINOR_SHARES_GUARDIAN_CONTACT,
                                     patient=teen).count() == 1


def test_a_minor_with_an_address_of_their_own_raises_no_warning(client, practice, staff, teen):
    create_account(client, practice, teen, email="theo@example.com")
    client.force_login(staff)
    response = client.post(f"{QUEUE}{EnrollmentRequest.objects.get().pk}/approve/",
                           {"patient": teen.pk}, follow=True)
    assert WARNING not in assert_page(response, "admin/change_list.html", "Approved")
    assert WARNING not in assert_page(chart_page(client, staff, teen),
                                      "admin/portal/patientchart/change_form.html")
    assert not AuditEvent.objects.filter(
        action=AuditAction.MINOR_SHARES_GUARDIAN_CONTACT).exists()
