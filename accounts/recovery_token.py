"""I have my password reset token (SPEC A3c, T4): staff issue a token for the patient's own
account after checking who they are; with it and the username, the patient sets a new password.
Only a digest of the token is stored; issuing a new one revokes the old.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from accounts.models import PasswordResetToken, PortalAccess, Relationship, User
from portal.audit import audit_record
from portal.hashing import secret_digest
from portal.models import AuditAction
from portal.tokens import new_token, normalise_token

if TYPE_CHECKING:
    from django.http import HttpRequest

    from portal.models import PatientChart

RESET_TOKEN_LIFETIME = datetime.timedelta(hours=24)


class NoPortalAccount(Exception):
    """The chart has no active portal account of its own to reset."""


@dataclass(frozen=True)
class IssuedResetToken:
    token: PasswordResetToken
    secret: str  # shown to staff once, never stored


@transaction.atomic
def reset_token_issue(
    *, patient: PatientChart, created_by: User, request: HttpRequest | None = None
) -> IssuedResetToken:
    """A new token for the patient's own account; every earlier one stops working."""
    access = (PortalAccess.objects.current()
              .filter(patient=patient, relationship=Relationship.SELF, user__is_active=True)
              .select_related("user").first())
    if access is None:
        raise NoPortalAccount
    now = timezone.now()
    revoked = PasswordResetToken.objects.filter(
        user=access.user, used_at__isnull=True, revoked_at__isnull=True,
    ).update(revoked_at=now)
    secret = new_token()
    token = PasswordResetToken.objects.create(
        user=access.user, secret_hash=secret_digest(secret), created_by=created_by,
        expires_at=now + RESET_TOKEN_LIFETIME,
    )
    audit_record(action=AuditAction.RESET_TOKEN_ISSUED, request=request, actor=created_by,
                 subject_user=access.user, patient=patient, obj=token,
                 extra={"revoked": revoked})
    return IssuedResetToken(token=token, secret=secret)


def reset_token_accept(
    *, username: str, token: str, request: HttpRequest | None = None
) -> PasswordResetToken | None:
    """The usable token ``token`` of ``username``, or None, whichever part was wrong. It is
    spent only when the new password is set (``password_reset_complete``)."""
    user = User.objects.with_username(username).filter(is_active=True).first()
    found = (PasswordResetToken.objects.select_related("user")
             .filter(secret_hash=secret_digest(normalise_token(token))).first())
    ok = found is not None and user is not None and found.user_id == user.pk and found.is_usable
    audit_record(action=AuditAction.RESET_TOKEN_ACCEPTED if ok else AuditAction.RESET_TOKEN_FAILED,
                 request=request, subject_user=user)
    return found if ok else None
