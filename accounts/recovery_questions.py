"""Forgot password? by the two security questions (SPEC A3b, A6): three wrong answers to a
question lock self-service recovery until the practice has checked the person's identity.

A username without an account (or an account without security questions) gets made-up questions
that fail and lock the same way, so the pages never tell a stranger whether an account exists.
"""

from __future__ import annotations

import datetime
import functools
import secrets
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import models, transaction
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts.models import PortalAccess, User
from accounts.security_questions import QUESTION_TEXT, QUESTIONS, answer_matches, hash_answer
from portal.audit import audit_record
from portal.models import AuditAction, AuditEvent

if TYPE_CHECKING:
    from django.http import HttpRequest

    from portal.models import PatientChart

ATTEMPTS_PER_QUESTION = 3


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
        audit_record(action=AuditAction.SECURITY_ANSWERS_PASSED, request=request,
                     subject_user=user)
        return AnswersOutcome(user=user)
    for (key, _), ok in zip(asked, right, strict=True):
        if not ok:
            failures[key] += 1
            audit_record(action=AuditAction.SECURITY_ANSWER_FAILED, request=request,
                         subject_user=user, extra=_failure_extra(user, username, question=key))
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
            subject_user=user,
            action__in=[AuditAction.SECURITY_ANSWERS_PASSED, AuditAction.PASSWORD_RESET],
        ).order_by().values("subject_user").annotate(last=models.Max("created_at")).values("last")
        since = Coalesce(models.Subquery(last_success),
                         models.Value(datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)))
        events = events.filter(subject_user=user, created_at__gt=since)
    return Counter(events.values_list("extra__question", flat=True))


def _exhausted(failures: Counter[str]) -> bool:
    return any(count >= ATTEMPTS_PER_QUESTION for count in failures.values())


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
