"""Account recovery (SPEC A2, A3): "Forgot username?", "Forgot password?" by email link or by
security questions, and "I have my password reset token".

None of these may tell a stranger whether an account exists: an unknown username or address
goes down the same code path as a known one, does comparable work, and ends on the same page.
"""

from __future__ import annotations

import datetime
import functools
import secrets
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from allauth.account import app_settings as allauth_settings
from allauth.account.models import EmailAddress
from allauth.account.utils import perform_login
from django.conf import settings
from django.db import models, transaction
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts.models import PasswordResetToken, PortalAccess, Relationship, User
from accounts.notices import security_notice_send
from accounts.security_questions import QUESTION_TEXT, QUESTIONS, answer_matches, hash_answer
from accounts.sessions import sessions_end_all
from portal.audit import audit_record
from portal.hashing import secret_digest
from portal.models import AuditAction, AuditEvent
from portal.outbox import outbox_email_rendered
from portal.tokens import new_token, normalise_token

if TYPE_CHECKING:
    from django.http import HttpRequest

    from portal.models import PatientChart

ATTEMPTS_PER_QUESTION = 3
RESET_TOKEN_LIFETIME = datetime.timedelta(hours=24)


class ResetMethod(models.TextChoices):
    EMAIL_LINK = "email_link", "Email link"
    SECURITY_QUESTIONS = "security_questions", "Security questions"
    STAFF_TOKEN = "staff_token", "Password reset token from the practice"


class NoPortalAccount(Exception):
    """The chart has no active portal account of its own to reset."""


class ResetNoLongerPossible(Exception):
    """The token behind a reset was used, revoked or expired meanwhile."""


# A2: Forgot username? --------------------------------------------------------------------------


def username_reminder_send(
    *,
    email: str,
    last_name: str = "",
    date_of_birth: datetime.date | None = None,
    request: HttpRequest | None = None,
) -> None:
    """Email the username(s) that go with ``email``: the accounts that verified it, and (given
    a last name and date of birth) the self-access accounts of the charts that have it as their
    notification email. Nothing is sent when nothing matches, but the message is rendered all
    the same, so a miss takes about as long as a hit."""
    addresses = [(a.email, a.user) for a in EmailAddress.objects.filter(
        email__iexact=email.strip(), verified=True, user__is_active=True).select_related("user")]
    if last_name and date_of_birth:
        addresses += [(access.patient.notification_email, access.user) for access in
                      _self_accesses_of_charts(email, last_name, date_of_birth)]
    # Every match is the typed address in some case: send to the address as it was stored.
    to = addresses[0][0] if addresses else ""
    found = sorted({user.pk: user for _, user in addresses}.values(),
                   key=lambda user: user.username.casefold())
    _email_if_found(to=to, template="username-reminder",
                    context={"usernames": [user.username for user in found] or ["—"]})
    for user in found:
        audit_record(action=AuditAction.USERNAME_REMINDER_SENT, request=request, actor=user)
    if not found:
        audit_record(action=AuditAction.USERNAME_REMINDER_UNMATCHED, request=request)


def _self_accesses_of_charts(email: str, last_name: str,
                             born: datetime.date) -> list[PortalAccess]:
    return list(PortalAccess.objects.current().filter(
        relationship=Relationship.SELF, user__is_active=True,
        patient__notification_email__iexact=email.strip(),
        patient__last_name__iexact=last_name.strip(), patient__date_of_birth=born,
    ).select_related("user", "patient"))


def _email_if_found(*, to: str, template: str, context: dict[str, Any]) -> None:
    ctx = {"site_url": settings.SITE_URL, **context}
    subject = render_to_string(f"emails/{template}-subject.txt", ctx)
    body_text = render_to_string(f"emails/{template}-body.txt", ctx)
    body_html = render_to_string(f"emails/{template}-body.html", ctx)
    if to:
        outbox_email_rendered(to=to, template=template, subject=subject, body_text=body_text,
                              body_html=body_html)


# A3a: Forgot password? by email link (allauth sends it) ---------------------------------------


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
    address = (EmailAddress.objects.filter(user__username__iexact=typed, user__is_active=True,
                                           verified=True)
               .select_related("user").order_by("-primary", "pk").first())
    if address is not None and address.user not in recipients.get(address.email, []):
        recipients.setdefault(address.email, []).append(address.user)
    return recipients


def password_reset_request_record(
    *, users: Sequence[User], request: HttpRequest | None = None
) -> None:
    for user in users:
        audit_record(action=AuditAction.PASSWORD_RESET_REQUESTED, request=request, actor=user)
    if not users:
        audit_record(action=AuditAction.PASSWORD_RESET_REQUESTED, request=request,
                     extra={"matched": False})


# A3b: security questions ---------------------------------------------------------------------


@dataclass(frozen=True)
class AnswersOutcome:
    """What one try at the two security questions came to."""

    user: User | None = None  # both answers were right
    locked: bool = False  # a question has run out of attempts: contact the practice
    # Per question shown: attempts left after a wrong answer, None where the answer was right.
    attempts_left: tuple[int | None, ...] = field(default=())


def security_questions_get(*, username: str) -> list[str]:
    """The two questions to ask for ``username``. An unknown username (or an account without
    security questions) gets two made-up ones that stay the same every time it is typed."""
    _, asked = _answering(username)
    return [QUESTION_TEXT[key] for key, _ in asked]


@transaction.atomic
def security_answers_check(
    *, username: str, answers: Sequence[str], request: HttpRequest | None = None
) -> AnswersOutcome:
    """Check both answers. Each question allows three wrong answers; the third locks
    self-service recovery until the practice has checked the person's identity."""
    user, asked = _answering(username, for_update=True)
    failures = _failures(user=user, username=username)
    if (user is not None and user.recovery_locked_at) or _exhausted(failures):
        return AnswersOutcome(locked=True)
    # Made-up questions are checked against a made-up hash: the same hashing work either way.
    right = [answer_matches(typed, encoded) for typed, (_, encoded) in zip(answers, asked,
                                                                           strict=True)]
    if user is not None and all(right):
        audit_record(action=AuditAction.SECURITY_ANSWERS_PASSED, request=request, actor=user)
        return AnswersOutcome(user=user)
    for (key, _), ok in zip(asked, right, strict=True):
        if not ok:
            failures[key] += 1
            audit_record(action=AuditAction.SECURITY_ANSWER_FAILED, request=request, actor=user,
                         extra=_failure_extra(user, username, question=key))
    if _exhausted(failures):
        _recovery_lock(user=user, username=username, request=request)
        return AnswersOutcome(locked=True)
    return AnswersOutcome(attempts_left=tuple(
        None if ok else ATTEMPTS_PER_QUESTION - failures[key]
        for (key, _), ok in zip(asked, right, strict=True)
    ))


def _answering(username: str, *, for_update: bool = False) -> tuple[User | None, list]:
    """The account that answers for ``username`` (None if there is none) and its two
    (question, answer hash) pairs, or made-up ones."""
    users = User.objects.filter(username__iexact=username.strip(), is_active=True)
    user = (users.select_for_update() if for_update else users).first()
    stored = list(user.security_answers.order_by("pk")) if user is not None else []
    if len(stored) == 2:
        return user, [(a.question, a.answer_hash) for a in stored]
    return None, [(key, _decoy_hash()) for key in _decoy_questions(username)]


def _decoy_questions(username: str) -> list[str]:
    digest = salted_hmac("accounts.recovery.decoy-questions", _subject_key(username)).digest()
    first = digest[0] % len(QUESTIONS)
    second = digest[1] % (len(QUESTIONS) - 1)
    second += second >= first  # two different questions
    return [QUESTIONS[first][0], QUESTIONS[second][0]]


@functools.cache
def _decoy_hash() -> str:
    return hash_answer(secrets.token_urlsafe(32))


def _subject_key(username: str) -> str:
    return " ".join(username.split()).casefold()


def _subject(username: str) -> str:
    """Who the failures of an unknown username are counted against (typed names are not kept)."""
    return salted_hmac("accounts.recovery.subject", _subject_key(username)).hexdigest()


def _failure_extra(user: User | None, username: str, *, question: str) -> dict[str, str]:
    return {"question": question} if user is not None else {
        "question": question, "subject": _subject(username)}


def _failures(*, user: User | None, username: str) -> Counter[str]:
    """Wrong answers so far, per question: for an account, since its last successful answers or
    reset; for an unknown username, ever, so that it fails the way an account would."""
    events = AuditEvent.objects.filter(action=AuditAction.SECURITY_ANSWER_FAILED)
    if user is None:
        events = events.filter(extra__subject=_subject(username))
    else:
        last_success = AuditEvent.objects.filter(
            actor=user,
            action__in=[AuditAction.SECURITY_ANSWERS_PASSED, AuditAction.PASSWORD_RESET],
        ).order_by().values("actor").annotate(last=models.Max("created_at")).values("last")
        since = Coalesce(models.Subquery(last_success),
                         models.Value(datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)))
        # Tries at unknown usernames by someone signed in carry their actor but not their count.
        events = events.filter(actor=user, created_at__gt=since).exclude(extra__has_key="subject")
    return Counter(events.values_list("extra__question", flat=True))


def _exhausted(failures: Counter[str]) -> bool:
    return any(count >= ATTEMPTS_PER_QUESTION for count in failures.values())


def _recovery_lock(*, user: User | None, username: str, request: HttpRequest | None) -> None:
    if user is not None:
        user.recovery_locked_at = timezone.now()
        user.save(update_fields=["recovery_locked_at"])
    audit_record(action=AuditAction.RECOVERY_LOCKED, request=request, actor=user,
                 extra={} if user is not None else {"subject": _subject(username)})


def recovery_locked_users(*, patient: PatientChart) -> list[User]:
    """The accounts with access to ``patient`` whose self-service recovery is locked: staff
    see them flagged on the chart."""
    return [
        access.user for access in PortalAccess.objects.current()
        .filter(patient=patient, user__recovery_locked_at__isnull=False)
        .select_related("user").order_by("user__username")
    ]


# A3c: password reset token from the practice ----------------------------------------------------


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
                 patient=patient, obj=token, extra={"user": access.user.pk, "revoked": revoked})
    return IssuedResetToken(token=token, secret=secret)


def reset_token_accept(
    *, username: str, token: str, request: HttpRequest | None = None
) -> PasswordResetToken | None:
    """The usable token ``token`` of ``username``, or None, whichever part was wrong. It is
    spent only when the new password is set (``password_reset_complete``)."""
    user = User.objects.filter(username__iexact=username.strip(), is_active=True).first()
    found = (PasswordResetToken.objects.select_related("user")
             .filter(secret_hash=secret_digest(normalise_token(token))).first())
    ok = found is not None and user is not None and found.user_id == user.pk and found.is_usable
    audit_record(action=AuditAction.RESET_TOKEN_ACCEPTED if ok else AuditAction.RESET_TOKEN_FAILED,
                 request=request, actor=user)
    return found if ok else None


# After every reset --------------------------------------------------------------------------


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
                 .filter(pk=token_id, user=user).first())
        if token is None or not token.is_usable:
            raise ResetNoLongerPossible
        token.used_at = timezone.now()
        token.save(update_fields=["used_at"])
        # Staff checked the person before issuing the token: the questions may be used again.
        user.recovery_locked_at = None
        fields.append("recovery_locked_at")
    user.set_password(password)
    user.save(update_fields=fields)
    sessions_end_all(user=user, keep=request)
    # "Your password was changed", to the verified email or else a confirmed mobile number.
    # After an emailed link, allauth already sends that email when its notifications are on.
    notified = (
        "allauth" if method == ResetMethod.EMAIL_LINK and allauth_settings.EMAIL_NOTIFICATIONS
        else security_notice_send(user=user, event="password_changed", request=request)
    )
    audit_record(action=AuditAction.PASSWORD_RESET, request=request, actor=user,
                 extra={"method": str(method), "notified": notified})
    return user


def recovery_sign_in(*, request: HttpRequest, user: User) -> HttpResponse:
    """Sign in after a reset by security answers or a staff token. The one-time code is still
    asked for: security answers are a weak proof, and a reset must not skip the second factor.
    Returns allauth's response (the code page, then the home page)."""
    return perform_login(request, user, redirect_url=reverse("home"))
