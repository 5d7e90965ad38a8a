from __future__ import annotations

from celery import shared_task

from accounts.unenrollment import inactive_accounts_unenroll


@shared_task
def unenroll_inactive_accounts() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): SPEC E11."""
    return inactive_accounts_unenroll()
