"""A password change is a security event (DESIGN invariant 5, SPEC A4): on the portal's Change
password page (allauth's) it is audited and the person gets the one security notice, by their
verified email or else by text, as for every other change in Account Settings. The console's
password pages: tests/staffadmin/test_console_password_change.py."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress

from portal.models import AuditAction, AuditEvent, OutboxMessage
from tests.accounts.recovery_support import DANA_MOBILE, dana_fixture  # noqa: F401
from tests.factories import PASSWORD
from tests.pages import assert_page
from tests.signin import sign_in

pytestmark = pytest.mark.django_db

NEW = "New-Harbor-77!"
CHANGE = {"oldpassword": PASSWORD, "password1": NEW, "password2": NEW}


def notices(**where):
    return list(OutboxMessage.objects.filter(template__in=["security-notice", "password_changed"],
                                             **where))


def test_the_portals_change_password_page_audits_and_sends_one_notice(client, alice):
    EmailAddress.objects.create(user=alice.user, email="alice@example.com", verified=True,
                                primary=True)
    sign_in(client, "alice-archer", code_to="alice@example.com")
    client.post("/account/password/change/", CHANGE)
    alice.user.refresh_from_db()
    assert alice.user.check_password(NEW)
    [event] = AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGED)
    assert (event.actor, event.subject_user) == (alice.user, None)
    assert event.extra == {"where": "portal"}
    [notice] = notices()  # ours, not allauth's as well
    assert (notice.template, notice.recipient) == ("security-notice", "alice@example.com")
    assert "Your password was changed." in notice.body_text


def test_without_an_email_the_notice_goes_by_text(client, dana):
    sign_in(client, "dana-dunn", code_to=DANA_MOBILE)
    client.post("/account/password/change/", CHANGE)
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGED,
                                     actor=dana.user).exists()
    [notice] = notices(channel="sms")
    assert notice.recipient == DANA_MOBILE and "password was changed" in notice.body_text


def test_a_wrong_current_password_changes_and_audits_nothing(client, alice):
    sign_in(client, "alice-archer", code_to="alice@example.com")
    response = client.post("/account/password/change/", {**CHANGE, "oldpassword": "wrong"})
    assert_page(response, "account/password_change.html", "Please type your current password")
    assert not AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGED).exists()
    assert notices() == []
