"""The end of every password reset (SPEC A3): by email link, security answers or a staff
token, the new password is set here, the account's other sessions end and its owner is told.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from allauth.account.utils import perform_login
from django.db import models, transaction
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import PasswordResetToken, User
from accounts.notices import security_notice_send
from accounts.recovery_questions import security_answer_failures_clear
from accounts.sessions import sessions_end_all
from portal.audit import audit_record
from portal.models import AuditAction

if TYPE_CHECKING:
    from django.http import HttpRequest


class ResetMethod(models.TextChoices):
    EMAIL_LINK = "email_link", _("Email link")
    SECURITY_QUESTIONS = "security_questions", _("Security questions")
    STAFF_TOKEN = "staff_token", _("Password reset token from the practice")


class ResetNoLongerPossible(Exception):
    """The token behind a reset was used, revoked or expired meanwhile."""


@transaction.atomic
def password_reset_complete(
    *,
    user: User,
    password: str,
    method: ResetMethod,
    request: HttpRequest | None = None,
    token_id: int | None = None,
) -> User:
    """Set the new password, end the account's other sessions and tell its owner. Returns the
    refreshed user (its session hash has changed)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    fields = ["password"]
    if method == ResetMethod.STAFF_TOKEN:
        token = (PasswordResetToken.objects.select_for_update()
                 .filter(pk=token_id, user=user).first() if token_id is not None else None)
        if token is None or not token.is_usable:
            raise ResetNoLongerPossible
        token.used_at = timezone.now()
        token.save(update_fields=["used_at"])
        # Staff checked the person before issuing the token: the questions may be used again.
        user.recovery_locked_at = None
        fields.append("recovery_locked_at")
    user.set_password(password)
    user.save(update_fields=fields)
    security_answer_failures_clear(user=user)
    sessions_end_all(user=user, keep=request)
    # "Your password was changed", to the verified email or else a confirmed mobile number,
    # whichever way it was reset (allauth's own email is never sent: accounts.adapters).
    notified = security_notice_send(user=user, event="password_changed", request=request)
    audit_record(action=AuditAction.PASSWORD_RESET, request=request, subject_user=user,
                 extra={"method": str(method), "notified": notified})
    return user


def recovery_sign_in(*, request: HttpRequest, user: User) -> HttpResponse:
    """Sign in after a reset by security answers or a staff token. The one-time code is still
    asked for: security answers are a weak proof, and a reset must not skip the second factor.
    Returns allauth's response (the code page, then the home page)."""
    response: HttpResponse = perform_login(request, user, redirect_url=reverse("home"))
    return response
