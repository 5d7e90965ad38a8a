"""A password change in the staff console — a staff member's own (Django admin's Change
password) or a superuser setting someone's — is audited, and the person whose password it is
gets the security notice (DESIGN invariant 5)."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress

from portal.models import AuditAction, AuditEvent, OutboxMessage
from tests import factories
from tests.factories import PASSWORD
from tests.pages import assert_redirect

pytestmark = pytest.mark.django_db

NEW = "New-Harbor-77!"


def notices():
    return list(OutboxMessage.objects.filter(template="security-notice"))


def staff_with_email(practice):
    user = factories.make_staff("staff-harbor", practice)
    EmailAddress.objects.create(user=user, email="staff@practice.example", verified=True,
                                primary=True)
    return user


def test_a_staff_members_own_change_in_the_console_is_audited_and_told(client, practice):
    staff = staff_with_email(practice)
    client.force_login(staff)
    response = client.post("/staff/password_change/", {
        "old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})
    assert_redirect(response, "/staff/password_change/done/")
    [event] = AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGED)
    assert (event.actor, event.subject_user, event.extra) == (staff, None, {"where": "console"})
    [notice] = notices()
    assert notice.recipient == "staff@practice.example"


def test_a_failed_change_in_the_console_audits_nothing(client, practice):
    client.force_login(staff_with_email(practice))
    response = client.post("/staff/password_change/", {
        "old_password": "wrong", "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 200
    assert not AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGED).exists()
    assert notices() == []


def test_a_superuser_setting_someones_password_is_audited_and_they_are_told(client, alice):
    EmailAddress.objects.create(user=alice.user, email="alice@example.com", verified=True,
                                primary=True)
    root = factories.make_user("root-admin", is_staff=True, is_superuser=True)
    client.force_login(root)
    url = f"/staff/accounts/user/{alice.user.pk}/password/"
    response = client.post(url, {"password1": NEW, "password2": NEW,
                                 "usable_password": "true"})
    assert_redirect(response, f"/staff/accounts/user/{alice.user.pk}/change/")
    alice.user.refresh_from_db()
    assert alice.user.check_password(NEW)
    [event] = AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGED)
    assert (event.actor, event.subject_user, event.extra) == (root, alice.user,
                                                              {"where": "console"})
    [notice] = notices()
    assert notice.recipient == "alice@example.com"
