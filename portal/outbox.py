"""Every email and text leaves through here (DESIGN invariant 4).

``outbox_email`` and ``outbox_text`` write an OutboxMessage row in the caller's transaction and
hand its id to Celery once that transaction commits. If it rolls back, nothing is sent; if the
broker is down, the row stays pending and ``outbox_resend_pending`` (run by beat) picks it up.
"""

from __future__ import annotations

import datetime
import logging
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.module_loading import import_string

from portal.models import Channel, OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)


def _base_context(context: dict[str, Any]) -> dict[str, Any]:
    return {"site_url": settings.SITE_URL, **context}


def _queue_delivery(message: OutboxMessage) -> None:
    from portal.tasks import deliver_outbox_message

    transaction.on_commit(partial(_hand_to_workers, deliver_outbox_message, message.pk))


def _hand_to_workers(task: Any, message_id: int) -> None:
    try:
        task.delay(message_id)
    except Exception as exc:  # broker down: the periodic resend will deliver it
        log.warning("outbox message %s not queued (%s); left pending", message_id,
                    type(exc).__name__, exc_info=settings.DEBUG)


def outbox_email(
    *, to: str, template: str, context: dict[str, Any], language: str | None = None
) -> OutboxMessage:
    """Render ``emails/<template>-subject.txt``, ``-body.txt`` and ``-body.html`` and queue them.

    ``language`` is the recipient's (``None``: the language of the current request). Plain text
    is not HTML: every ``.txt`` template (emails and texts) wraps itself in
    ``{% autoescape off %}``, so that O'Connor reads as typed; the HTML body stays escaped."""
    ctx = _base_context(context)
    with translation.override(language or translation.get_language()):
        subject = render_to_string(f"emails/{template}-subject.txt", ctx)
        body_text = render_to_string(f"emails/{template}-body.txt", ctx)
        body_html = render_to_string(f"emails/{template}-body.html", ctx)
    return outbox_email_rendered(
        to=to, template=template, subject=subject, body_text=body_text, body_html=body_html
    )


def outbox_email_rendered(
    *, to: str, template: str, subject: str, body_text: str, body_html: str = ""
) -> OutboxMessage:
    """Queue an email rendered elsewhere (allauth's, through the account adapter)."""
    message = OutboxMessage.objects.create(
        channel=Channel.EMAIL,
        recipient=to,
        template=template,
        subject=" ".join(subject.split())[:200],
        body_text=body_text,
        body_html=body_html,
    )
    _queue_delivery(message)
    return message


def outbox_text(
    *, to: str, template: str, context: dict[str, Any], language: str | None = None
) -> OutboxMessage:
    """Render ``texts/<template>.txt`` in ``language`` (``None``: the current request's) and
    queue it as a text message to ``to`` (E.164)."""
    with translation.override(language or translation.get_language()):
        body_text = render_to_string(f"texts/{template}.txt", _base_context(context)).strip()
    message = OutboxMessage.objects.create(
        channel=Channel.SMS, recipient=to, template=template, body_text=body_text
    )
    _queue_delivery(message)
    return message


def _send(message: OutboxMessage) -> None:
    if message.channel == Channel.EMAIL:
        email = EmailMultiAlternatives(
            subject=message.subject,
            body=message.body_text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.recipient],
        )
        if message.body_html:
            email.attach_alternative(message.body_html, "text/html")
        email.send(fail_silently=False)
    else:
        backend = import_string(settings.SMS_BACKEND)()
        backend.send(to=message.recipient, body=message.body_text)


def outbox_deliver(*, message_id: int) -> bool:
    """Send one pending message. Returns True if this call sent it.

    The row stays locked while it is sent, so two workers never send the same message; a
    message already sent (or being sent elsewhere) is skipped.
    """
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, status=OutboxStatus.PENDING)
            .first()
        )
        if message is None:
            return False
        message.attempts += 1
        message.last_attempt_at = timezone.now()
        try:
            _send(message)
        except Exception as exc:
            # The exception class only: a message can carry an address, never health details,
            # but the error text of a mail server may echo either.
            message.last_error = type(exc).__name__
            if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                message.status = OutboxStatus.FAILED
            log.warning("outbox message %s not delivered (attempt %s, %s)", message.pk,
                        message.attempts, message.last_error)
            message.save(update_fields=["attempts", "last_attempt_at", "last_error", "status"])
            return False
        message.status = OutboxStatus.SENT
        message.sent_at = message.last_attempt_at
        message.last_error = ""
        message.save(
            update_fields=["attempts", "last_attempt_at", "sent_at", "status", "last_error"]
        )
        return True


def outbox_resend_pending(*, now: datetime.datetime | None = None, limit: int = 500) -> int:
    """Deliver what is still pending a while after it was written. Returns how many were sent."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.OUTBOX_RETRY_AFTER_SECONDS)
    ids = list(
        OutboxMessage.objects.filter(status=OutboxStatus.PENDING, created_at__lte=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(outbox_deliver(message_id=pk) for pk in ids)
