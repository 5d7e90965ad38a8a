"""Forgot password? by the two security questions (SPEC A3b, A6): three wrong answers to a
question lock self-service recovery until the practice has checked the person's identity.

A username without an account (or an account without security questions) gets made-up questions
that fail and lock the same way, so the pages never tell a stranger whether an account exists.
The wrong answers are counted where they belong — on the account's SecurityAnswer rows, or on
DecoySecurityAnswer rows keyed on a hash of the username — and never read back from the audit
trail, which records each try all the same.
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts.models import DecoySecurityAnswer, PortalAccess, SecurityAnswer, User
from accounts.password_policy import username_canonical
from accounts.security_questions import QUESTION_TEXT, QUESTIONS, answer_matches, hash_answer
from portal.audit import audit_record
from portal.models import AuditAction

if TYPE_CHECKING:
    from django.http import HttpRequest

    from portal.models import PatientChart

ATTEMPTS_PER_QUESTION = 3


@dataclass(frozen=True)
class AnswersOutcome:
    """What one try at the two security questions came to."""

    user: User | None = None  # both answers were right
    locked: bool = False  # a question has run out of attempts: contact the practice


def security_questions_get(*, username: str) -> list[str]:
    """The two questions to ask for ``username``. An unknown username (or an account without
    security questions) gets two made-up ones that stay the same every time it is typed."""
    user, stored = _account(username)
    keys = [a.question for a in stored] if user is not None else _decoy_questions(username)
    return [str(QUESTION_TEXT[key]) for key in keys]


@transaction.atomic
def security_answers_check(
    *, username: str, answers: Sequence[str], request: HttpRequest | None = None
) -> AnswersOutcome:
    """Check both answers. Each question allows three wrong answers; the third locks
    self-service recovery until the practice has checked the person's identity."""
    user, stored = _account(username, for_update=True)
    asked: Sequence[SecurityAnswer | DecoySecurityAnswer] = (
        stored if user is not None else _decoys(username))
    if (user is not None and user.recovery_locked_at) or _exhausted(asked):
        return AnswersOutcome(locked=True)
    # Made-up questions are checked against a made-up hash: the same hashing work either way.
    right = [answer_matches(typed, _answer_hash(answer))
             for typed, answer in zip(answers, asked, strict=True)]
    if user is not None and all(right):
        security_answer_failures_clear(user=user)
        audit_record(action=AuditAction.SECURITY_ANSWERS_PASSED, request=request,
                     subject_user=user)
        return AnswersOutcome(user=user)
    for answer, ok in zip(asked, right, strict=True):
        if not ok:
            answer.failed_attempts += 1
            answer.save(update_fields=["failed_attempts"])
            audit_record(action=AuditAction.SECURITY_ANSWER_FAILED, request=request,
                         subject_user=user,
                         extra=_failure_extra(user, username, question=answer.question))
    if _exhausted(asked):
        _recovery_lock(user=user, username=username, request=request)
        return AnswersOutcome(locked=True)
    # Which answer was wrong stays here: the page says only that one or both were.
    return AnswersOutcome()


def security_answer_failures_clear(*, user: User) -> None:
    """Right answers, or a new password however it was set: the count starts again."""
    SecurityAnswer.objects.filter(user=user, failed_attempts__gt=0).update(failed_attempts=0)


def _account(username: str, *, for_update: bool = False
             ) -> tuple[User | None, list[SecurityAnswer]]:
    """The active account that answers for ``username`` with its own two questions, and those;
    (None, []) when there is none. Checking locks the account row, so that the counts on its
    answers change one try at a time."""
    users = User.objects.with_username(username).filter(is_active=True)
    user = (users.select_for_update() if for_update else users).first()
    stored = list(user.security_answers.order_by("pk")) if user is not None else []
    return (user, stored) if len(stored) == 2 else (None, [])


def _decoys(username: str) -> list[DecoySecurityAnswer]:
    """The made-up questions of ``username``, with their counts, locked for this try."""
    subject, keys = _subject(username), _decoy_questions(username)
    DecoySecurityAnswer.objects.bulk_create(
        [DecoySecurityAnswer(subject=subject, question=key) for key in keys],
        ignore_conflicts=True,  # a concurrent first try made them already
    )
    found = {d.question: d for d in DecoySecurityAnswer.objects.select_for_update()
             .filter(subject=subject, question__in=keys)}
    return [found[key] for key in keys]


def _answer_hash(answer: SecurityAnswer | DecoySecurityAnswer) -> str:
    return answer.answer_hash if isinstance(answer, SecurityAnswer) else _decoy_hash()


def _decoy_questions(username: str) -> list[str]:
    # The salt keeps its name from before the module was split: the same username must keep
    # getting the same made-up questions.
    digest = salted_hmac("accounts.recovery.decoy-questions", _subject_key(username)).digest()
    first = digest[0] % len(QUESTIONS)
    second = digest[1] % (len(QUESTIONS) - 1)
    second += second >= first  # two different questions
    return [QUESTIONS[first][0], QUESTIONS[second][0]]


@functools.cache
def _decoy_hash() -> str:
    return hash_answer(secrets.token_urlsafe(32))


def _subject_key(username: str) -> str:
    # The canonical username (the same as the case-folded one it was, for ASCII names).
    return username_canonical(" ".join(username.split()))


def _subject(username: str) -> str:
    """Who the failures of an unknown username are counted against (typed names are not kept)."""
    return salted_hmac("accounts.recovery.subject", _subject_key(username)).hexdigest()


def _failure_extra(user: User | None, username: str, *, question: str) -> dict[str, str]:
    return {"question": question} if user is not None else {
        "question": question, "subject": _subject(username)}


def _exhausted(answers: Sequence[SecurityAnswer | DecoySecurityAnswer]) -> bool:
    return any(answer.failed_attempts >= ATTEMPTS_PER_QUESTION for answer in answers)


def _recovery_lock(*, user: User | None, username: str, request: HttpRequest | None) -> None:
    if user is not None:
        user.recovery_locked_at = timezone.now()
        user.save(update_fields=["recovery_locked_at"])
    audit_record(action=AuditAction.RECOVERY_LOCKED, request=request, subject_user=user,
                 extra={} if user is not None else {"subject": _subject(username)})


def recovery_locked_users(*, patient: PatientChart) -> list[User]:
    """The accounts with access to ``patient`` whose self-service recovery is locked: staff
    see them flagged on the chart."""
    return [
        access.user for access in PortalAccess.objects.current()
        .filter(patient=patient, user__recovery_locked_at__isnull=False)
        .select_related("user").order_by("user__username")
    ]
