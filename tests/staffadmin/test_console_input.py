"""Nothing a staff member types, or puts in a console address, causes a 500 (DESIGN 7)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from enrollment.models import EnrollmentRequest, EnrollmentRequestStatus
from tests import factories
from tests.pages import assert_page, assert_refused

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
    ("/staff/portal/auditevent/", {"action": "\x00"}, "Audit trail"),
    ("/staff/portal/auditevent/", {"action__exact": "\x00"}, "Audit trail"),
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


@pytest.mark.parametrize("drill_down", [
    {"created_at__year": "99999999"},
    {"created_at__year": "9999"},  # up to year 10000
    {"created_at__year": "9999", "created_at__month": "12"},
    {"created_at__year": "9999", "created_at__month": "12", "created_at__day": "31"},
    {"created_at__year": "2024", "created_at__month": "99999999999999999999"},
    {"created_at__year": "99999999999999999999"},
])
def test_a_date_beyond_the_calendar_in_the_audit_drill_down_is_a_bad_address(client, staff,
                                                                              drill_down):
    client.force_login(staff)
    response = client.get("/staff/portal/auditevent/", drill_down)
    assert response.status_code == 302, response.status_code
    assert response["Location"] == "/staff/portal/auditevent/?e=1"  # the list's own "bad filter"


def test_the_first_day_of_the_calendar_is_a_bad_address_east_of_greenwich(client, practice):
    # 1 January of year 1 in Auckland is still year 0 in UTC, which no date holds.
    practice.time_zone = "Pacific/Auckland"
    practice.save(update_fields=["time_zone"])
    client.force_login(factories.make_staff("staff-auckland", practice))
    response = client.get("/staff/portal/auditevent/", {
        "created_at__year": "1", "created_at__month": "1", "created_at__day": "1"})
    assert response.status_code == 302, response.status_code
    assert response["Location"] == "/staff/portal/auditevent/?e=1"


def test_a_year_of_the_calendar_opens_in_the_drill_down(client, staff, alice):
    client.force_login(staff)
    assert_page(client.get("/staff/portal/auditevent/", {"created_at__year": "9998"}),
                "admin/change_list.html", "0 audit events")


def test_an_authenticator_apps_secret_is_never_shown_in_the_console(client, alice):
    # django-otp's QR code pages showed it to operators, and were a 500 for an id that is not
    # a device's: with OTP_ADMIN_HIDE_SENSITIVE_DATA they refuse; an unknown device is a 404.
    device = TOTPDevice.objects.create(user=alice.user, name="app", confirmed=True)
    client.force_login(factories.make_user("root-operator", is_staff=True, is_superuser=True))
    for page in ("config", "qrcode"):
        assert_refused(client.get(f"/staff/otp_totp/totpdevice/{device.pk}/{page}/"), 403,
                       f"admin:otp_totp_totpdevice_{page}")
        assert client.get(f"/staff/otp_totp/totpdevice/{device.pk + 1}/{page}/").status_code == 404
    body = assert_page(client.get(f"/staff/otp_totp/totpdevice/{device.pk}/change/"),
                       "admin/change_form.html", "alice-archer")
    assert device.key not in body
