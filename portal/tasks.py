from __future__ import annotations

from celery import shared_task

from portal.outbox import outbox_deliver, outbox_resend_pending


@shared_task
def deliver_outbox_message(message_id: int) -> bool:
    return outbox_deliver(message_id=message_id)


@shared_task
def resend_pending_outbox() -> int:
    return outbox_resend_pending()
