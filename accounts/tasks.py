from __future__ import annotations

from celery import shared_task

from accounts.unenrollment import inactive_accounts_unenroll


@shared_task
def unenroll_inactive_accounts() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): SPEC E11."""
    return inactive_accounts_unenroll()


@shared_task
def age_out_guardian_accesses() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): SPEC P7. The door already ended these accesses."""
    from accounts.age_out import guardian_accesses_age_out

    return guardian_accesses_age_out()
