"""Staff issue tokens, invitations and temporary passwords from the chart; patients use them
(SPEC E1, E2, E4, E10, T4)."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from accounts.models import PortalAccess, User
from enrollment.models import Invitation, InvitationKind
from portal.models import AuditAction, AuditEvent, OutboxMessage
from tests.enrollment.conftest import GOOD_DETAILS, latest_code
from tests.pages import assert_not_found, assert_page, assert_redirect, assert_refused

pytestmark = pytest.mark.django_db

IDENTITY = {"date_of_birth": "06/15/1985", "zip_code": "02139"}


UNAVAILABLE = "enrollment/unavailable.html"


def chart_url(chart, action):
    return f"/staff/portal/patientchart/{chart.pk}/{action}/"


def action_view(action: str) -> str:
    return f"admin:portal_patientchart_{action.replace('-', '_')}"


def back_on_the_chart(response, chart, *texts: str) -> None:
    assert response.redirect_chain == [(chart_url(chart, "change"), 302)]
    assert_page(response, "admin/change_form.html", *texts)


def sign_in_refused(response) -> None:
    assert_page(response, "account/login.html", "not correct")


def issue_token(client, chart):
    response = client.post(chart_url(chart, "issue-token"))
    assert_page(response, "staffadmin/enrollment_token.html")
    return re.search(r'aria-label="Enrollment token">([A-Z0-9-]+)<', response.content.decode())[1]


def finish(client):
    client.post("/enroll/security-details/", GOOD_DETAILS)
    return client.post("/enroll/verify/", {"code": latest_code("alice@example.com")})


# E1: enrollment token ------------------------------------------------------------------------

def test_staff_issue_a_token_that_the_patient_enrolls_with(client, staff, new_patient):
    client.force_login(staff)
    token = issue_token(client, new_patient)
    assert Invitation.objects.get().secret_hash != token  # only a digest is kept
    client.logout()
    response = client.post("/enroll/token/", {"token": token.lower().replace("-", " "),
                                              **IDENTITY})
    assert response.url == "/enroll/security-details/"
    assert finish(client).url == "/"
    assert PortalAccess.objects.filter(patient=new_patient, user__username="Alice.Archer").exists()
    assert AuditEvent.objects.filter(action=AuditAction.INVITATION_ISSUED, actor=staff).exists()


def test_a_new_token_expires_the_earlier_one(client, staff, new_patient):
    client.force_login(staff)
    first = issue_token(client, new_patient)
    issue_token(client, new_patient)
    client.logout()
    response = client.post("/enroll/token/", {"token": first, **IDENTITY})
    assert_page(response, UNAVAILABLE, "Please contact your practice for a new one.")
    assert AuditEvent.objects.filter(action=AuditAction.INVITATION_REVOKED).count() == 1


def test_unknown_expired_and_used_tokens_get_the_same_page(client, staff, new_patient):
    client.force_login(staff)
    token = issue_token(client, new_patient)
    client.logout()
    unknown = client.post("/enroll/token/", {"token": "ABCD-EFGH-JKMN", **IDENTITY})
    Invitation.objects.update(expires_at=timezone.now())
    expired = client.post("/enroll/token/", {"token": token, **IDENTITY})
    assert unknown.content == expired.content
    assert_page(unknown, UNAVAILABLE, "This link or token can")


def test_a_token_with_the_wrong_identity_says_so_and_locks_after_five(client, staff, new_patient):
    client.force_login(staff)
    token = issue_token(client, new_patient)
    client.logout()
    wrong = {"token": token, "date_of_birth": "06/15/1985", "zip_code": "02140"}
    for _ in range(4):
        assert_page(client.post("/enroll/token/", wrong), "enrollment/token.html",
                    "don&#x27;t match our records")
    assert_page(client.post("/enroll/token/", wrong), "enrollment/locked.html", "Please contact")
    assert_page(client.post("/enroll/token/", {"token": token, **IDENTITY}), UNAVAILABLE,
                "This link or token can")


# E4 / E10: invitation from the chart ----------------------------------------------------------

def test_staff_send_an_invitation_by_email_and_text(client, staff, new_patient):
    client.force_login(staff)
    response = client.post(chart_url(new_patient, "send-invitation"), follow=True)
    back_on_the_chart(response, new_patient, "Portal invitation sent to nora@example.com")
    sent = OutboxMessage.objects.filter(template="invitation")
    assert sorted(sent.values_list("channel", flat=True)) == ["email", "sms"]
    new_patient.refresh_from_db()
    assert new_patient.portal_status == "invited"


def test_resending_revokes_the_previous_invitation(client, staff, new_patient):
    client.force_login(staff)
    for _ in range(2):
        assert_redirect(client.post(chart_url(new_patient, "send-invitation")),
                        chart_url(new_patient, "change"))
    states = sorted(i.state for i in Invitation.objects.all())
    assert states == ["open", "revoked"]


def test_an_invitation_needs_somewhere_to_go(client, staff, practice):
    from tests import factories

    chart = factories.make_chart(practice, "No", "Contact")
    client.force_login(staff)
    response = client.post(chart_url(chart, "send-invitation"), follow=True)
    back_on_the_chart(response, chart, "Add a notification email or a mobile number")
    assert not Invitation.objects.exists()


# E2: temporary username and password -----------------------------------------------------------

def generate_password(client, chart):
    response = client.post(chart_url(chart, "generate-password"))
    body = assert_page(response, "staffadmin/print_instructions.html", "Print Instructions")
    username = re.search(r"<dt>Temporary username</dt><dd>([^<]+)</dd>", body)[1]
    password = re.search(r"<dt>Temporary password</dt><dd>([^<]+)</dd>", body)[1]
    return username, password


def test_temporary_credentials_lead_to_choosing_your_own(client, staff, new_patient):
    new_patient.practice.print_instructions = "Welcome to Harbor's portal!"
    new_patient.practice.save()
    client.force_login(staff)
    response = client.post(chart_url(new_patient, "generate-password"))
    assert b"Welcome to Harbor&#x27;s portal!" in response.content
    username, password = generate_password(client, new_patient)
    client.logout()
    response = client.post("/account/login/", {"login": username.upper(), "password": password})
    assert response.url == "/enroll/security-details/"
    page = client.get("/enroll/security-details/")
    assert b"Choose your own username and password" in page.content
    assert finish(client).url == "/"
    client.logout()
    # The temporary credentials are dead now.
    response = client.post("/account/login/", {"login": username, "password": password})
    sign_in_refused(response)
    assert not User.objects.with_username(username).exists()


def test_a_wrong_temporary_password_is_an_ordinary_failed_sign_in(client, staff, new_patient):
    client.force_login(staff)
    username, _ = generate_password(client, new_patient)
    client.logout()
    response = client.post("/account/login/", {"login": username, "password": "WRONG-WRON-WRON"})
    sign_in_refused(response)
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED).exists()


def test_the_right_temporary_password_waits_out_the_lockout_like_any_other(client, staff,
                                                                          new_patient):
    client.force_login(staff)
    username, password = generate_password(client, new_patient)
    client.logout()
    for _ in range(5):
        sign_in_refused(client.post("/account/login/", {"login": username,
                                                        "password": "WRONG-WRON-WRON"}))
    response = client.post("/account/login/", {"login": username.upper(), "password": password})
    assert_page(response, "account/login.html", "Too many failed login attempts")
    assert "enrollment" not in client.session


def test_guesses_at_temporary_passwords_count_against_the_address_too(client, staff,
                                                                     new_patient):
    client.force_login(staff)
    username, password = generate_password(client, new_patient)
    client.logout()
    for n in range(10):  # ten other usernames: only the limit per address is reached
        client.post("/account/login/", {"login": f"temp-guess{n}", "password": "WRON-WRON-WRON"})
    response = client.post("/account/login/", {"login": username, "password": password})
    assert_page(response, "account/login.html", "Too many failed login attempts")


def test_a_right_temporary_password_is_not_counted_as_a_failure(client, staff, new_patient):
    client.force_login(staff)
    username, password = generate_password(client, new_patient)
    client.logout()
    for _ in range(4):
        sign_in_refused(client.post("/account/login/", {"login": username,
                                                        "password": "WRONG-WRON-WRON"}))
    for _ in range(3):  # e.g. the person goes back to the sign-in page and starts again
        response = client.post("/account/login/", {"login": username, "password": password})
        assert_redirect(response, "/enroll/security-details/")


def test_temporary_credentials_expire_after_ten_days(client, staff, new_patient):
    client.force_login(staff)
    username, password = generate_password(client, new_patient)
    invitation = Invitation.objects.get(kind=InvitationKind.TEMPORARY_PASSWORD)
    lifetime = invitation.expires_at - invitation.created_at
    assert abs(lifetime.total_seconds() - 10 * 24 * 3600) < 5
    Invitation.objects.update(expires_at=timezone.now())
    client.logout()
    response = client.post("/account/login/", {"login": username, "password": password})
    sign_in_refused(response)


# Scoping --------------------------------------------------------------------------------------

@pytest.mark.parametrize("action", ["issue-token", "send-invitation", "generate-password"])
def test_other_practice_staff_get_404(client, other_staff, new_patient, action):
    client.force_login(other_staff)
    assert_not_found(client.post(chart_url(new_patient, action)), action_view(action))
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("action", ["issue-token", "send-invitation", "generate-password"])
def test_actions_are_post_only(client, staff, new_patient, action):
    client.force_login(staff)
    assert_refused(client.get(chart_url(new_patient, action)), 405, action_view(action))


def test_staff_without_change_permission_cannot_issue(client, practice, new_patient):
    from accounts.models import StaffRole
    from tests import factories

    billing = factories.make_staff("billing-clerk", practice, StaffRole.BILLING)
    client.force_login(billing)
    assert_refused(client.post(chart_url(new_patient, "issue-token")), 403,
                   action_view("issue-token"))
