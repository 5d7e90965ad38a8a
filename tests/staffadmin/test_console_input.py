"""Nothing a staff member types, or puts in a console address, causes a 500 (DESIGN 7)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from enrollment.models import EnrollmentRequest, EnrollmentRequestStatus
from tests import factories
from tests.pages import assert_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(practice) -> EnrollmentRequest:
    return EnrollmentRequest.objects.create(
        practice=practice, first_name="Rae", last_name="Quinn",
        date_of_birth=datetime.date(1990, 1, 1), zip_code="02139", email="rae@example.com")


def request_url(enrollment_request, view: str = "change") -> str:
    return reverse(f"admin:enrollment_enrollmentrequest_{view}", args=[enrollment_request.pk])


@pytest.mark.parametrize("patient", ["abc", "1.5", "²", "99999999999999999999"])
def test_approving_with_a_chart_that_is_not_a_number_asks_again(client, staff, pending,
                                                                 patient):
    client.force_login(staff)
    response = client.post(request_url(pending, "approve"), {"patient": patient})
    assert_page(response, "staffadmin/enrollment_request.html",
                "Choose one of this practice&#x27;s charts.")
    pending.refresh_from_db()
    assert pending.status == EnrollmentRequestStatus.PENDING


@pytest.mark.parametrize(("url", "params", "shows"), [
    ("/staff/portal/patientchart/", {"portal_status__exact": "\x00"}, "0 patient charts"),
    ("/staff/portal/patientchart/", {"q": "Ar\x00cher"}, "Archer"),
    ("/staff/portal/auditevent/", {"action__exact": "\x00"}, "Select audit event"),
    ("/staff/enrollment/enrollmentrequest/", {"status": "\x00"}, "Quinn"),
])
def test_a_nul_character_in_a_console_address_is_dropped(client, staff, alice, pending, url,
                                                         params, shows):
    # PostgreSQL refuses NUL in text: unchecked, these were 500s there.
    client.force_login(staff)
    assert_page(client.get(url, params), "admin/change_list.html", shows)


def test_a_nul_character_in_the_chart_search_of_a_request_is_dropped(client, staff, pending,
                                                                     practice):
    factories.make_chart(practice, "Rae", "Quinn")
    client.force_login(staff)
    assert_page(client.get(request_url(pending), {"q": "Qu\x00inn"}),
                "staffadmin/enrollment_request.html", "Rae Quinn")
