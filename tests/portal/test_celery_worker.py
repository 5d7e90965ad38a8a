"""The Celery path with real parts: a worker thread consuming from Redis delivers an outbox email
that a committed transaction queued."""

from __future__ import annotations

import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import transaction
from kombu import pools as kombu_pools

from portal.celery import app
from portal.models import OutboxMessage, OutboxStatus
from portal.outbox import outbox_email
from tests.conftest import redis_url_or_skip

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def reset_connections() -> None:
    """Forget pooled broker connections: even eager tasks take a producer from the pool, and a
    pool made for one broker URL keeps publishing there after the URL changes."""
    app.pool.force_close_all()
    kombu_pools.reset()  # kombu also keeps producer pools per connection, process-wide
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def redis_app():
    url = redis_url_or_skip()
    saved = {k: app.conf[k] for k in ("broker_url", "task_always_eager", "task_default_queue")}
    reset_connections()
    # A queue of its own, so no other worker on this Redis can take the test's task.
    app.conf.update(broker_url=url, task_always_eager=False,
                    task_default_queue=f"portal-test-{uuid.uuid4().hex[:8]}")
    try:
        yield app
    finally:
        app.conf.update(saved)
        reset_connections()


def wait_for(message: OutboxMessage, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        message.refresh_from_db()
        if message.status != OutboxStatus.PENDING:
            return
        time.sleep(0.1)


def test_a_worker_on_redis_delivers_an_outbox_email(redis_app):
    with start_worker(redis_app, pool="solo", perform_ping_check=False, loglevel="WARNING",
                      shutdown_timeout=10):
        with transaction.atomic():
            message = outbox_email(to="worker@example.com", template="test-message", context={})
        wait_for(message)
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 1
    assert [m.to for m in mail.outbox] == [["worker@example.com"]]
