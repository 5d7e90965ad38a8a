"""The outbox (DESIGN invariant 4): written with the change, sent after commit, never lost,
never sent twice."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from portal.models import OutboxMessage, OutboxStatus
from portal.outbox import outbox_deliver, outbox_email, outbox_resend_pending, outbox_text
from tests import sms

pytestmark = pytest.mark.django_db(transaction=True)


def queue_email(to="pat@example.com"):
    return outbox_email(to=to, template="test-message", context={})


def test_a_rolled_back_transaction_sends_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_email()
        raise RuntimeError("the change failed")
    assert OutboxMessage.objects.count() == 0
    assert mail.outbox == []


def test_a_committed_transaction_sends_once():
    with transaction.atomic():
        message = queue_email()
        assert mail.outbox == []  # nothing leaves before the commit
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["pat@example.com"]
    assert sent.subject == "Test message from the patient portal"
    assert "http://" in sent.body
    assert sent.alternatives[0][1] == "text/html"
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 1
    assert message.sent_at is not None
    # Delivering again (a duplicate task, the periodic resend) does nothing.
    assert outbox_deliver(message_id=message.pk) is False
    assert len(mail.outbox) == 1


def test_texts_go_through_the_sms_backend():
    with transaction.atomic():
        message = outbox_text(to="+16175550123", template="test-message", context={})
    assert sms.sent == [{"to": "+16175550123", "body": message.body_text}]
    assert "text delivery works" in message.body_text


def test_a_message_whose_broker_was_down_is_resent_later(settings):
    broker_down = mock.patch("portal.tasks.deliver_outbox_message.delay", side_effect=OSError)
    with broker_down, transaction.atomic():
        message = queue_email()
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert mail.outbox == []
    # Too recent to be picked up yet: the normal path may still be on its way.
    assert outbox_resend_pending() == 0
    later = timezone.now() + datetime.timedelta(seconds=settings.OUTBOX_RETRY_AFTER_SECONDS + 1)
    assert outbox_resend_pending(now=later) == 1
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT


def test_a_failed_send_stays_pending_then_gives_up(settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    with mock.patch("django.core.mail.EmailMultiAlternatives.send",
                    side_effect=ConnectionRefusedError("smtp down: pat@example.com")):
        message = queue_email()
        message.refresh_from_db()
        assert (message.status, message.attempts) == (OutboxStatus.PENDING, 1)
        assert message.last_error == "ConnectionRefusedError"  # no addresses in the error
        outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, 2)
    assert outbox_resend_pending(now=timezone.now() + datetime.timedelta(hours=1)) == 0


def test_the_periodic_task_is_scheduled(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert any(e["task"] == "portal.tasks.resend_pending_outbox" for e in schedule.values())
