from __future__ import annotations

from celery import shared_task

from enrollment.expiry import abandoned_accounts_retire, invitations_expire


@shared_task
def expire_invitations() -> int:
    expired = invitations_expire()
    abandoned_accounts_retire()
    return expired
