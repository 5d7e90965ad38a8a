"""Forgot password? by email link (SPEC A3a): allauth makes and sends the link; this decides where
it goes for what was typed, and records the request. Whatever was typed, the page that follows
is the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from allauth.account.models import EmailAddress

from accounts.models import User
from accounts.password_policy import username_canonical
from portal.audit import audit_record
from portal.models import AuditAction

if TYPE_CHECKING:
    from django.http import HttpRequest


def password_reset_recipients(*, login: str) -> dict[str, list[User]]:
    """Where "Forgot password?" sends reset links for what was typed in "Email or Username":
    a verified address (one link per account on it, as families share addresses), or a
    username's primary verified address. Unverified addresses get nothing: anyone could have
    typed them in."""
    typed = login.strip()
    recipients: dict[str, list[User]] = {}
    for address in EmailAddress.objects.filter(email__iexact=typed, verified=True,
                                               user__is_active=True).select_related("user"):
        recipients.setdefault(address.email, []).append(address.user)
    address = (EmailAddress.objects.filter(user__username_canonical=username_canonical(typed),
                                           user__is_active=True, verified=True)
               .select_related("user").order_by("-primary", "pk").first())
    if address is not None and address.user not in recipients.get(address.email, []):
        recipients.setdefault(address.email, []).append(address.user)
    return recipients


def password_reset_request_record(
    *, users: Sequence[User], request: HttpRequest | None = None
) -> None:
    for user in users:
        audit_record(action=AuditAction.PASSWORD_RESET_REQUESTED, request=request,
                     subject_user=user)
    if not users:
        audit_record(action=AuditAction.PASSWORD_RESET_REQUESTED, request=request,
                     extra={"matched": False})
