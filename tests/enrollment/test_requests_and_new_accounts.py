"""SPEC E3 (request access), E6 (Create a new account), E5 (self-registration) and the staff
queue."""

from __future__ import annotations

import pytest

from accounts.models import PortalAccess, User
from enrollment.models import EnrollmentRequest, Invitation
from portal.models import OutboxMessage, PatientChart
from tests import factories
from tests.enrollment.conftest import GOOD_DETAILS, latest_code
from tests.pages import assert_not_found, assert_page, assert_redirect

QUEUE = "/staff/enrollment/enrollmentrequest/"
SELF_REGISTRATION = "/staff/portal/patientchart/self-registration/"

pytestmark = pytest.mark.django_db


def info(practice, **changes):
    data = {"practice": practice.pk, "first_name": "Nora", "last_name": "North",
            "date_of_birth": "06/15/1985", "zip_code": "02139", "email": "nora@example.com",
            "mobile_phone": ""}
    return {**data, **changes}


def create_account(client, practice, **changes):
    response = client.post("/enroll/new-account/", info(practice, **changes))
    assert response.url == "/enroll/security-details/", response.content.decode()[-1500:]
    details = {**GOOD_DETAILS, "email": changes.get("email", "nora@example.com")}
    response = client.post("/enroll/security-details/", details)
    assert response.url == "/enroll/verify/"
    return client.post("/enroll/verify/", {"code": latest_code(details["email"])})


# E6: Create a new account -------------------------------------------------------------------

def test_a_single_match_with_a_proven_email_links_the_chart(client, practice, new_patient):
    response = create_account(client, practice)
    assert response.url == "/"
    assert_page(client.get("/"), "portal/home.html", "Welcome, Nora")
    assert PortalAccess.objects.get(user__username="Alice.Archer").patient == new_patient
    assert not EnrollmentRequest.objects.exists()


def test_asking_whether_usernames_are_taken_is_throttled_per_session(client, practice, staff):
    """After one Patient Information step, each complete Create Security Details form asks
    once; a sixth question within the hour waits, taken or not."""
    assert client.post("/enroll/new-account/", info(practice)).url == "/enroll/security-details/"
    for _ in range(5):
        response = client.post("/enroll/security-details/", {**GOOD_DETAILS,
                                                             "username": "STAFF-HARBOR"})
        assert_page(response, "enrollment/security_details.html", "That username is taken")
    response = client.post("/enroll/security-details/", {**GOOD_DETAILS, "username": "free.name"})
    body = assert_page(response, "enrollment/security_details.html", "Too many attempts")
    assert "That username is taken" not in body
    assert not User.objects.filter(username="free.name").exists()


def test_asking_whether_usernames_are_taken_is_throttled_per_address(practice, staff, settings):
    from django.test import Client

    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS,
                                    "username_check": "2/h/ip,5/h/key"}
    answers = []
    for _ in range(3):  # a new session each time: only the address is the same
        client = Client()
        client.post("/enroll/new-account/", info(practice))
        response = client.post("/enroll/security-details/", {**GOOD_DETAILS,
                                                             "username": "STAFF-HARBOR"})
        answers.append("taken" if b"That username is taken" in response.content else
                       "wait" if b"Too many attempts" in response.content else "?")
    assert answers == ["taken", "taken", "wait"]


def test_no_match_becomes_a_request_and_says_only_that(client, practice, new_patient):
    response = create_account(client, practice, first_name="Nobody")
    assert response.url == "/enroll/request/sent/"
    assert EnrollmentRequest.objects.get().user.username == "Alice.Archer"
    assert_page(client.get("/"), "portal/no_record.html", "pending approval")


def test_a_match_without_the_charts_contact_becomes_a_request(client, practice, new_patient):
    response = create_account(client, practice, email="stranger@example.com")
    assert response.url == "/enroll/request/sent/"
    assert not PortalAccess.objects.filter(patient=new_patient).exists()


def test_the_first_step_answers_the_same_with_or_without_a_chart(client, practice, new_patient):
    with_chart = client.post("/enroll/new-account/", info(practice))
    client.session.flush()
    without = client.post("/enroll/new-account/", info(practice, last_name="Nobody"))
    assert (with_chart.status_code, with_chart.url) == (without.status_code, without.url)
    assert_page(client.get(with_chart.url), "enrollment/security_details.html",
                "Create Security Details")


def test_patient_information_needs_a_way_to_reach_the_person(client, practice):
    response = client.post("/enroll/new-account/", info(practice, email="", mobile_phone=""))
    assert_page(response, "enrollment/new_account.html",
                "Give an email address or a mobile number")


# E3: request access, and the staff queue -----------------------------------------------------

def test_a_request_is_pending_then_approved_with_the_link_to_finish(client, practice, staff,
                                                                    new_patient):
    response = client.post("/enroll/request/", info(practice), follow=True)
    assert response.redirect_chain == [("/enroll/request/sent/", 302)]
    assert_page(response, "enrollment/request_sent.html", "pending approval")
    request_obj = EnrollmentRequest.objects.get()
    client.force_login(staff)
    page = client.get(f"{QUEUE}{request_obj.pk}/change/")
    assert_page(page, "staffadmin/enrollment_request.html", "Approve with this chart")
    assert_redirect(client.post(f"{QUEUE}{request_obj.pk}/approve/",
                                {"patient": new_patient.pk}), QUEUE)
    request_obj.refresh_from_db()
    assert (request_obj.status, request_obj.patient) == ("approved", new_patient)
    email = OutboxMessage.objects.get(template="enrollment-approved")
    assert email.recipient == "nora@example.com"
    assert "/enroll/sign-up/" in email.body_text
    assert Invitation.objects.get().patient == new_patient


def test_approving_an_account_holders_request_links_it(client, practice, staff, new_patient):
    create_account(client, practice, first_name="Norah")  # a typo: no match
    request_obj = EnrollmentRequest.objects.get()
    client.force_login(staff)
    assert_redirect(client.post(f"{QUEUE}{request_obj.pk}/approve/",
                                {"patient": new_patient.pk}), QUEUE)
    user = User.objects.get(username="Alice.Archer")
    assert PortalAccess.objects.get(user=user).patient == new_patient
    assert OutboxMessage.objects.filter(template="enrollment-approved-account").exists()


def test_rejecting_sends_the_reason(client, practice, staff):
    client.post("/enroll/request/", info(practice))
    request_obj = EnrollmentRequest.objects.get()
    client.force_login(staff)
    response = client.post(f"{QUEUE}{request_obj.pk}/reject/",
                           {"reason": "We could not find you; please call us."})
    assert_redirect(response, QUEUE)
    email = OutboxMessage.objects.get(template="enrollment-rejected")
    assert "We could not find you; please call us." in email.body_text
    request_obj.refresh_from_db()
    assert request_obj.status == "rejected"


def test_a_request_cannot_be_matched_to_another_practices_chart(client, practice, staff,
                                                                other_practice):
    outsider = factories.make_chart(other_practice, "Nora", "North")
    client.post("/enroll/request/", info(practice))
    request_obj = EnrollmentRequest.objects.get()
    client.force_login(staff)
    response = client.post(f"{QUEUE}{request_obj.pk}/approve/", {"patient": outsider.pk})
    assert_page(response, "staffadmin/enrollment_request.html",
                "Choose one of this practice&#x27;s charts.")
    request_obj.refresh_from_db()
    assert request_obj.status == "pending"


def test_other_practice_staff_never_see_the_request(client, practice, other_staff):
    client.post("/enroll/request/", info(practice))
    request_obj = EnrollmentRequest.objects.get()
    client.force_login(other_staff)
    queue = assert_page(client.get(QUEUE), "admin/change_list.html", "0 enrollment requests")
    assert "North" not in queue
    for url in ("change/", "approve/", "reject/"):
        method = client.get if url == "change/" else client.post
        assert_not_found(method(f"{QUEUE}{request_obj.pk}/{url}"),
                         f"admin:enrollment_enrollmentrequest_{url.strip('/')}")


def test_the_queue_shows_pending_requests_first(client, practice, staff):
    client.post("/enroll/request/", info(practice))
    client.force_login(staff)
    assert_page(client.get(QUEUE), "admin/change_list.html", "North", "1 enrollment request")


# E5: self-registration -------------------------------------------------------------------------

def test_self_registration_creates_the_chart_and_the_account(client, practice, staff):
    client.force_login(staff)
    response = client.post(SELF_REGISTRATION, {
        "first_name": "Sam", "last_name": "Newman", "email": "sam@example.com",
        "mobile_phone": ""})
    assert_redirect(response, "/staff/portal/patientchart/")
    email = OutboxMessage.objects.get(template="self-registration")
    path = "/enroll/sign-up/" + email.body_text.split("/enroll/sign-up/")[1].split("/")[0] + "/"
    client.logout()
    assert client.get(path).url == "/enroll/register/"
    page = client.get("/enroll/register/").content.decode()
    assert 'value="Sam"' in page
    response = client.post("/enroll/register/", {
        "patient-first_name": "Sam", "patient-middle_name": "", "patient-last_name": "Newman",
        "patient-date_of_birth": "02/03/1990", "patient-sex": "M",
        "patient-address_line1": "1 Main St", "patient-address_line2": "",
        "patient-city": "Boston", "patient-state": "ma", "patient-zip_code": "02110",
        "patient-home_phone": "", **{**GOOD_DETAILS, "email": "sam@example.com"},
    })
    assert response.url == "/enroll/verify/", response.content.decode()[-3000:]
    assert not PatientChart.objects.filter(last_name="Newman").exists()  # not before the code
    response = client.post("/enroll/verify/", {"code": latest_code("sam@example.com")})
    assert response.url == "/"
    chart = PatientChart.objects.get(last_name="Newman")
    assert chart.needs_review and chart.state == "MA" and chart.practice == practice
    assert chart.record_number.startswith("WEB-")
    assert PortalAccess.objects.get(patient=chart).user.username == "Alice.Archer"


def test_the_registration_form_reports_each_bad_field(client, practice, staff):
    client.force_login(staff)
    client.post("/staff/portal/patientchart/self-registration/", {
        "first_name": "Sam", "last_name": "Newman", "email": "sam@example.com"})
    email = OutboxMessage.objects.get(template="self-registration")
    path = "/enroll/sign-up/" + email.body_text.split("/enroll/sign-up/")[1].split("/")[0] + "/"
    client.logout()
    client.get(path)
    response = client.post("/enroll/register/", {"patient-state": "Massachusetts",
                                                 "patient-zip_code": "1"})
    body = assert_page(response, "enrollment/register.html")
    assert "Enter the two-letter state, like MA." in body
    assert "Enter a 5-digit ZIP code." in body
    # Each empty field says what to do, and one summary at the top lists every problem.
    assert "This field is required." not in body
    assert "Enter your first name." in body and "Choose a username." in body
    assert body.count('class="error-summary"') == 1


def test_staff_of_another_practice_cannot_send_for_this_one(client, other_staff):
    client.force_login(other_staff)
    assert_redirect(client.post(SELF_REGISTRATION, {
        "first_name": "Sam", "last_name": "Newman", "email": "sam@example.com"}),
        "/staff/portal/patientchart/")
    assert Invitation.objects.get().practice == other_staff.staff_memberships.get().practice


def test_a_failure_midway_through_the_security_details_leaves_nothing_half_made(client,
                                                                               practice):
    """The account, its answers and code methods, the audit event and the code are one
    transaction: if sending the code fails, none of it stays, and the person can try again."""
    from unittest import mock

    from accounts.devices import OneTimeCodeDevice
    from accounts.models import SecurityAnswer
    from portal.models import AuditAction, AuditEvent

    client.post("/enroll/new-account/", info(practice))
    with mock.patch("accounts.services.outbox_email", side_effect=RuntimeError("down")), \
            pytest.raises(RuntimeError):
        client.post("/enroll/security-details/", GOOD_DETAILS)
    assert not User.objects.exists()
    assert not SecurityAnswer.objects.exists() and not OneTimeCodeDevice.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.SECURITY_DETAILS_SET).exists()
    response = client.post("/enroll/security-details/", GOOD_DETAILS)
    assert response.url == "/enroll/verify/"
    response = client.post("/enroll/verify/", {"code": latest_code("alice@example.com")})
    assert response.url == "/enroll/request/sent/"  # no chart in this test: a request


def test_the_new_accounts_details_are_audited_with_its_practice(client, practice):
    from portal.models import AuditAction, AuditEvent

    client.post("/enroll/new-account/", info(practice))
    client.post("/enroll/security-details/", GOOD_DETAILS)
    event = AuditEvent.objects.get(action=AuditAction.SECURITY_DETAILS_SET)
    assert (event.actor.username, event.practice) == ("Alice.Archer", practice)
