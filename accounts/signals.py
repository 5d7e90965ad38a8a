"""Audit of sign-in, sign-out and failed sign-in, and of a password changed on allauth's page.

These are the one place where signals are the right tool: Django and allauth announce
authentication events through ``django.contrib.auth.signals`` (and allauth its password change
through ``allauth.account.signals``), from whichever view or backend handled them, and the audit
trail must hear about every one.
"""

from __future__ import annotations

from typing import Any

from allauth.account.signals import password_changed, password_set
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from accounts.models import User
from portal.audit import audit_record
from portal.models import AuditAction


def _on_logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(action=AuditAction.SIGNED_IN, request=request, actor=user)


def _on_logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(action=AuditAction.SIGNED_OUT, request=request, actor=user)


def _on_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    # What was typed is never stored: people type passwords into the username box.
    username = credentials.get("username") or ""
    user = User.objects.with_username(username).first() if username else None
    audit_record(action=AuditAction.SIGN_IN_FAILED, request=request, actor=user)


def _on_password_changed(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    # The service audits and sends the security notice (allauth's own email is left out by the
    # adapter, so the person is told once, by email or else by text).
    from accounts.account_settings import password_change_record

    password_change_record(user=user, request=request, where="portal")


def connect() -> None:
    user_logged_in.connect(_on_logged_in, dispatch_uid="portal-audit-login")
    user_logged_out.connect(_on_logged_out, dispatch_uid="portal-audit-logout")
    user_login_failed.connect(_on_login_failed, dispatch_uid="portal-audit-login-failed")
    password_changed.connect(_on_password_changed, dispatch_uid="portal-password-changed")
    password_set.connect(_on_password_changed, dispatch_uid="portal-password-set")
