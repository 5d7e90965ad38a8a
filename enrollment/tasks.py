from __future__ import annotations

from celery import shared_task

from enrollment.age_out import guardian_accesses_age_out
from enrollment.expiry import abandoned_accounts_retire, invitations_expire


@shared_task
def expire_invitations() -> int:
    expired = invitations_expire()
    abandoned_accounts_retire()
    return expired


@shared_task
def age_out_guardian_accesses() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): SPEC P7. The door already ended these accesses."""
    return guardian_accesses_age_out()
