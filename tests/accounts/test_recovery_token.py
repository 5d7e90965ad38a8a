"""I have my password reset token (SPEC A3c): staff issue it from the chart (T4); the patient
gives it with their username, then chooses a new password on Reset Password."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from accounts.models import PasswordResetToken, StaffRole
from portal.hashing import secret_digest
from portal.models import AuditAction, AuditEvent
from tests import factories
from tests.accounts.recovery_support import (
    NEW_PASSWORD,
    dana_fixture,  # noqa: F401  (the "dana" fixture)
    outbox,
    page,
    then_the_sign_in_code,
    verify_email,
)
from tests.lookalikes import DOTLESS_I, full_width
from tests.pages import assert_not_found, assert_page, assert_redirect, assert_refused

pytestmark = pytest.mark.django_db

TOKEN_PAGE = "/account/recovery/token/"
RESET = "/account/recovery/reset-password/"
NEW = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}


ISSUE_VIEW = "admin:portal_patientchart_issue_reset_token"
TOKEN_SHOWN = "staffadmin/password_reset_token.html"


def issue_url(chart):
    return f"/staff/portal/patientchart/{chart.pk}/issue-reset-token/"


def chart_page_says(response, chart, message: str) -> None:
    """Back on the chart's change page, with ``message``."""
    assert response.redirect_chain == [(f"/staff/portal/patientchart/{chart.pk}/change/", 302)]
    assert_page(response, "admin/change_form.html", message)


def issue(staff, chart) -> str:
    console = Client()
    console.force_login(staff)
    response = console.post(issue_url(chart))
    assert_page(response, TOKEN_SHOWN)
    return re.search(r'aria-label="Password reset token">([A-Z0-9-]+)<',
                     response.content.decode())[1]


def use(client, username, token):
    return client.post(TOKEN_PAGE, {"username": username, "token": token})


# Staff side -------------------------------------------------------------------------------------


def test_staff_issue_a_token_that_is_shown_once_and_kept_only_as_a_digest(dana, staff):
    console = Client()
    console.force_login(staff)
    response = console.post(issue_url(dana.chart))
    body = assert_page(response, TOKEN_SHOWN)
    token = re.search(r'aria-label="Password reset token">([A-Z0-9-]+)<', body)[1]
    assert "dana-dunn" in body and "only once" in body
    stored = PasswordResetToken.objects.get()
    assert stored.user == dana.user and stored.created_by == staff
    assert stored.secret_hash == secret_digest(token) != token
    assert stored.expires_at - timezone.now() > datetime.timedelta(hours=23, minutes=59)
    assert stored.expires_at - timezone.now() <= datetime.timedelta(hours=24)
    event = AuditEvent.objects.get(action=AuditAction.RESET_TOKEN_ISSUED)
    assert (event.actor, event.subject_user, event.patient) == (staff, dana.user, dana.chart)
    assert "user" not in event.extra


def test_the_chart_page_has_the_button(dana, staff):
    console = Client()
    console.force_login(staff)
    body = console.get(f"/staff/portal/patientchart/{dana.chart.pk}/change/").content.decode()
    assert f'action="{issue_url(dana.chart)}"' in body
    assert "Issue password reset token" in body


def test_a_new_token_revokes_the_earlier_one(client, dana, staff):
    first = issue(staff, dana.chart)
    second = issue(staff, dana.chart)
    assert b"don&#x27;t go together" in use(client, "dana-dunn", first).content
    assert use(client, "dana-dunn", second)["Location"] == RESET
    assert PasswordResetToken.objects.filter(revoked_at__isnull=False).count() == 1


def test_a_chart_without_its_own_account_gets_a_clear_message(practice, staff):
    chart = factories.make_chart(practice, "Nora", "North")
    console = Client()
    console.force_login(staff)
    response = console.post(issue_url(chart), follow=True)
    chart_page_says(response, chart, "no active portal account of their own")
    assert not PasswordResetToken.objects.exists()


def test_a_guardian_account_is_not_the_patient_own(practice, staff, bob):
    child = factories.make_chart(practice, "Kit", "Baker")
    factories.grant(bob.user, child, "guardian")
    console = Client()
    console.force_login(staff)
    chart_page_says(console.post(issue_url(child), follow=True), child,
                    "no active portal account")


def test_it_is_post_only(dana, staff):
    console = Client()
    console.force_login(staff)
    assert_refused(console.get(issue_url(dana.chart)), 405, ISSUE_VIEW)


def test_another_practice_gets_404(dana, other_staff):
    console = Client()
    console.force_login(other_staff)
    assert_not_found(console.post(issue_url(dana.chart)), ISSUE_VIEW)
    assert not PasswordResetToken.objects.exists()


def test_billing_staff_may_not_issue_one(dana, practice):
    billing = factories.make_staff("billing-harbor", practice, role=StaffRole.BILLING)
    console = Client()
    console.force_login(billing)
    assert_refused(console.post(issue_url(dana.chart)), 403, ISSUE_VIEW)
    assert not PasswordResetToken.objects.exists()


def test_patients_cannot_reach_the_action(dana, alice):
    browser = Client()
    browser.force_login(alice.user)
    response = browser.post(issue_url(dana.chart))
    assert_redirect(response, f"/staff/login/?next={issue_url(dana.chart)}")


# Patient side ----------------------------------------------------------------------------------


def test_the_token_leads_to_reset_password_then_home(client, dana, staff):
    token = issue(staff, dana.chart)
    response = use(client, "DANA-DUNN", token.lower().replace("-", " "))
    assert response["Location"] == RESET
    assert b"<h1>Reset Password</h1>" in client.get(RESET).content
    assert then_the_sign_in_code(client, client.post(RESET, NEW))["Location"] == "/"
    assert_page(client.get("/"), "portal/home.html", "Welcome, Dana")
    dana.user.refresh_from_db()
    assert dana.user.check_password(NEW_PASSWORD)
    assert PasswordResetToken.objects.get().used_at is not None
    # Done by someone not signed in, who proved to be dana: about her account, by nobody known.
    event = AuditEvent.objects.get(action=AuditAction.PASSWORD_RESET)
    assert (event.actor, event.subject_user, event.extra["method"]) == (
        None, dana.user, "staff_token")
    accepted = AuditEvent.objects.get(action=AuditAction.RESET_TOKEN_ACCEPTED)
    assert (accepted.actor, accepted.subject_user) == (None, dana.user)


def test_a_used_token_does_not_work_again(client, dana, staff):
    token = issue(staff, dana.chart)
    use(client, "dana-dunn", token)
    client.post(RESET, NEW)
    response = use(Client(), "dana-dunn", token)
    assert_page(response, "accounts/recovery/reset_token.html", "don&#x27;t go together")


def test_a_token_is_spent_only_once_even_from_two_browsers(dana, staff):
    token = issue(staff, dana.chart)
    first, second = Client(), Client()
    use(first, "dana-dunn", token)
    use(second, "dana-dunn", token)
    assert first.post(RESET, NEW)["Location"] == "/account/login/verify-code/"
    refused = second.post(RESET, {"new_password1": "Another-Pass-8?",
                                  "new_password2": "Another-Pass-8?"}, follow=True)
    assert b"don&#x27;t go together" in refused.content
    dana.user.refresh_from_db()
    assert dana.user.check_password(NEW_PASSWORD)


def test_an_expired_token_does_not_work(client, dana, staff):
    token = issue(staff, dana.chart)
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=24, minutes=1)):
        response = use(client, "dana-dunn", token)
    assert b"don&#x27;t go together" in response.content


def test_unknown_usernames_and_wrong_tokens_fail_the_same_way(dana, staff):
    token = issue(staff, dana.chart)
    tries = [
        ("dana-dunn", "ABCD-EFGH-JKMN"),  # wrong token
        ("nobody-here", token),  # an unknown username
        ("alice-archer", token),  # a real account, not the token's
    ]
    answers = [use(Client(), username, guess) for username, guess in tries]
    for answer in answers:
        assert_page(answer, "accounts/recovery/reset_token.html", "don&#x27;t go together")
    # The same page, but for the username and token typed back into the form.
    bodies = {page(r).replace(u, "USERNAME").replace(t, "TOKEN")
              for r, (u, t) in zip(answers, tries, strict=True)}
    assert len(bodies) == 1
    assert AuditEvent.objects.filter(action=AuditAction.RESET_TOKEN_FAILED).count() == 3


def test_the_token_reset_ends_other_sessions_tells_the_owner_and_lifts_the_lock(
    client, alice, staff
):
    verify_email(alice.user, "alice@example.com")
    alice.user.recovery_locked_at = timezone.now()
    alice.user.save()
    phone = Client()
    phone.force_login(alice.user)
    use(client, "alice-archer", issue(staff, alice.chart))
    then_the_sign_in_code(client, client.post(RESET, NEW), to="alice@example.com")
    assert_page(client.get("/"), "portal/home.html", "Welcome, Alice")
    assert_redirect(phone.get("/"), "/account/login/")
    notice = outbox("security-notice").get()
    assert (notice.channel, notice.recipient) == ("email", "alice@example.com")
    for detail in ["Alice Archer", alice.chart.record_number, "1985", "Harbor"]:
        assert detail not in notice.body_text + notice.body_html
    alice.user.refresh_from_db()
    assert alice.user.recovery_locked_at is None  # staff checked who she is


def test_token_guesses_are_throttled_per_account_then_allowed(dana, staff):
    token = issue(staff, dana.chart)
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC),
                             tick=False) as traveller:
        PasswordResetToken.objects.update(
            expires_at=datetime.datetime(2026, 3, 3, tzinfo=datetime.UTC))
        for n in range(5):  # from different addresses: the limit is the account's
            use(Client(REMOTE_ADDR=f"198.51.100.{n}"), "Dana-Dunn", f"WRNG-TKN{n}-AAAA")
        refused = use(Client(REMOTE_ADDR="198.51.100.99"), "dana-dunn", token)
        assert b"Too many attempts" in refused.content
        traveller.shift(datetime.timedelta(minutes=16))
        assert use(Client(), "dana-dunn", token)["Location"] == RESET


def test_token_guesses_are_throttled_per_device(client, dana, staff):
    token = issue(staff, dana.chart)
    for n in range(10):
        use(client, f"guess-{n:03d}", token)
    assert b"Too many attempts" in use(client, "dana-dunn", token).content


def test_a_look_alike_username_does_not_go_with_the_token(client, dana, staff):
    token = issue(staff, dana.chart)
    # Another username: a case-insensitive lookup (UPPER) on PostgreSQL found dana-dunn.
    response = use(client, f"dana-dun{DOTLESS_I}", token)
    assert_page(response, "accounts/recovery/reset_token.html", "don&#x27;t go together")
    assert use(Client(), full_width("DANA-DUNN"), token)["Location"] == RESET  # dana
