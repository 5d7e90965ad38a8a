from __future__ import annotations

import logging
from functools import partial
from typing import Any

from celery import shared_task
from django.conf import settings
from django.db import transaction

from accounts.recovery_reset_link import password_reset_links_send
from accounts.recovery_username import username_reminder_send
from accounts.unenrollment import inactive_accounts_unenroll

log = logging.getLogger(__name__)


@shared_task
def unenroll_inactive_accounts() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): SPEC E11."""
    return inactive_accounts_unenroll()


@shared_task
def send_username_reminder(
    *, to: str, user_ids: list[int], ip_address: str | None, language: str | None = None
) -> None:
    """Forgot username? (SPEC A2), after the request: see accounts.recovery_username.
    ``language``: the page's, for accounts without a saved one."""
    username_reminder_send(to=to, user_ids=user_ids, ip_address=ip_address, language=language)


@shared_task
def send_password_reset_links(
    *, recipients: dict[str, list[int]], ip_address: str | None, language: str | None = None
) -> None:
    """Forgot password? (SPEC A3a), after the request: see accounts.recovery_reset_link.
    ``language``: the page's, for accounts without a saved one."""
    password_reset_links_send(recipients=recipients, ip_address=ip_address, language=language)


def queue_after_commit(task: Any, **kwargs: Any) -> None:
    """Hand ``task`` to the workers once the current transaction commits (ids and addresses
    only, never what a person typed). With no broker configured it runs in-process."""
    transaction.on_commit(partial(_hand_over, task, kwargs))


def _hand_over(task: Any, kwargs: dict[str, Any]) -> None:
    try:
        task.delay(**kwargs)
    except Exception as exc:
        # Broker down: nothing else would ever send it, so send it now, in this process (the
        # rows it writes are then picked up by the outbox's own resend).
        log.warning("task %s not queued (%s); run in-process", task.name, type(exc).__name__,
                    exc_info=settings.DEBUG)
        task.apply(kwargs=kwargs)
