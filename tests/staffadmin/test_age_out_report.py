"""The Age-out Report in the staff console (SPEC P7, T7)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import Client

from accounts.models import Relationship
from enrollment.age_out import guardian_accesses_age_out
from tests import factories
from tests.pages import assert_page, assert_redirect

pytestmark = pytest.mark.django_db

URL = "/staff/portal/patientchart/age-out-report/"
# 1 March 2026, 12:00 in New York, where the practice is.
TODAY = datetime.datetime(2026, 3, 1, 17, 0, tzinfo=datetime.UTC)


@pytest.fixture
def guardian(db):
    return factories.make_user("gina-guardian", first_name="Gina", last_name="Guardian")


@pytest.fixture
def soon(practice, guardian):
    """Turns 18 on 10 March 2026: in 9 days."""
    chart = factories.make_chart(practice, "Sam", "Soon", date_of_birth=datetime.date(2008, 3, 10))
    factories.grant(guardian, chart, Relationship.GUARDIAN)
    return chart


@pytest.fixture
def lately(practice, guardian):
    """Turned 18 on 20 February 2026: 9 days ago; the sweep has ended the access."""
    chart = factories.make_chart(practice, "Lee", "Lately",
                                 date_of_birth=datetime.date(2008, 2, 20))
    factories.grant(guardian, chart, Relationship.GUARDIAN)
    with time_machine.travel(datetime.datetime(2026, 2, 20, 10, 30, tzinfo=datetime.UTC)):
        assert guardian_accesses_age_out() == 1
    return chart


def report(user, query=""):
    with time_machine.travel(TODAY, tick=False):
        client = Client()  # a fresh sign-in inside the time travel (idle timeout)
        client.force_login(user)
        return client.get(URL + query)


def test_it_lists_upcoming_and_recent_age_outs_with_their_guardians(staff, soon, lately):
    body = assert_page(report(staff), "staffadmin/age_out_report.html")
    upcoming, recent = body.split("Turned 18 in the last 30 days")
    assert "Turning 18 in the next 30 days" in upcoming
    assert "Sam Soon" in upcoming and "Lee Lately" not in upcoming
    assert "03/10/2026" in upcoming  # one date format: MM/DD/YYYY
    assert "Lee Lately" in recent and "Sam Soon" not in recent
    assert "02/20/2026" in recent
    assert "access closed 02/20/2026" in recent
    assert body.count("Gina Guardian (gina-guardian)") == 2
    assert f"/staff/portal/patientchart/{soon.pk}/change/" in upcoming


def test_it_shows_an_age_out_the_sweep_has_not_tidied_yet(staff, practice, guardian):
    chart = factories.make_chart(practice, "Pia", "Pending",
                                 date_of_birth=datetime.date(2008, 2, 27))
    factories.grant(guardian, chart, Relationship.GUARDIAN)
    body = report(staff).content.decode()
    recent = body.split("Turned 18 in the last")[1]
    assert "Pia Pending" in recent
    assert "closing pending" in recent


def test_it_leaves_out_patients_without_guardians_and_revoked_guardians(staff, practice,
                                                                          guardian):
    factories.make_chart(practice, "Nora", "Nobody", date_of_birth=datetime.date(2008, 3, 5))
    gone = factories.make_chart(practice, "Rex", "Revoked", date_of_birth=datetime.date(2008, 3, 6))
    factories.grant(guardian, gone, Relationship.GUARDIAN, revoked_at=datetime.datetime(
        2025, 1, 1, tzinfo=datetime.UTC))
    representative = factories.make_chart(practice, "Ria", "Rep",
                                          date_of_birth=datetime.date(2008, 3, 7))
    factories.grant(guardian, representative, Relationship.TRUSTED_REPRESENTATIVE)
    body = report(staff).content.decode()
    for name in ("Nobody", "Revoked", "Ria Rep"):
        assert name not in body
    assert "access turns 18 in this period." in body


def test_the_number_of_days_bounds_both_lists(staff, soon, lately):
    body = report(staff, "?days=9").content.decode()
    assert "Sam Soon" in body and "Lee Lately" in body
    body = report(staff, "?days=8").content.decode()
    assert "Sam Soon" not in body and "Lee Lately" not in body
    assert "Turning 18 in the next 8 days" in body


@pytest.mark.parametrize("days, message", [
    ("abc", "Enter a whole number of days, from 1 to 365."),
    ("0", "Ensure this value is greater than or equal to 1."),
    ("366", "Ensure this value is less than or equal to 365."),
    ("-5", "Ensure this value is greater than or equal to 1."),
    ("1e9", "Enter a whole number of days, from 1 to 365."),
])
def test_bad_days_get_a_clear_message_and_the_default(staff, soon, days, message):
    body = assert_page(report(staff, f"?days={days}"), "staffadmin/age_out_report.html")
    assert "errornote" in body
    assert message in body
    assert "Showing 30 days." in body
    assert "Sam Soon" in body


def test_other_practice_staff_do_not_see_the_patients(other_staff, soon, lately, other_practice):
    own = factories.make_chart(other_practice, "Otto", "Other",
                               date_of_birth=datetime.date(2008, 3, 12))
    factories.grant(factories.make_user("otto-parent"), own, Relationship.GUARDIAN)
    body = assert_page(report(other_staff), "staffadmin/age_out_report.html")
    assert "Otto Other" in body
    for hidden in ("Sam Soon", "Lee Lately", "gina-guardian"):
        assert hidden not in body


def test_staff_do_not_see_the_other_practices_patients(staff, soon, other_practice):
    own = factories.make_chart(other_practice, "Otto", "Other",
                               date_of_birth=datetime.date(2008, 3, 12))
    factories.grant(factories.make_user("otto-parent"), own, Relationship.GUARDIAN)
    body = report(staff).content.decode()
    assert "Sam Soon" in body
    assert "Otto Other" not in body


def test_patients_cannot_open_it(alice):
    assert_redirect(report(alice.user), f"/staff/login/?next={URL}")


def test_the_patient_list_links_to_it(client, staff):
    client.force_login(staff)
    body = client.get("/staff/portal/patientchart/").content.decode()
    assert f'href="{URL}"' in body
