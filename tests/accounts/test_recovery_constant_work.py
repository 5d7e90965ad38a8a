"""Forgot username? and Forgot password? do the same work in the request whether or not an
account matches (SPEC A2, A3): the sending — rendering, the reset link's token, the outbox row,
the audit events — runs in one Celery task per request, after the request's transaction
commits, so a hit does not take longer than a miss."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.public_practice import public_practice
from portal.models import AuditAction, AuditEvent
from tests.accounts.recovery_support import outbox, verify_email
from tests.pages import assert_redirect

pytestmark = pytest.mark.django_db

USERNAME_URL, USERNAME_SENT = "/account/recovery/username/", "/account/recovery/username/sent/"
RESET_URL, RESET_DONE = "/account/password/reset/", "/account/password/reset/done/"


def post_counting(django_capture_on_commit_callbacks, url, data):
    """Post from a fresh browser; returns the response, the SQL the request ran and the work
    it left for after commit (not yet run)."""
    with django_capture_on_commit_callbacks() as after_commit, \
            CaptureQueriesContext(connection) as queries:
        response = Client(REMOTE_ADDR="198.51.100.7").post(url, data)
    return response, [q["sql"] for q in queries], after_commit


def writes(statements):
    return [sql for sql in statements if not sql.lstrip().upper().startswith(
        ("SELECT", "SAVEPOINT", "RELEASE SAVEPOINT"))]


@pytest.mark.parametrize("details", [{}, {"last_name": "Archer", "date_of_birth": "06/15/1985"}])
def test_forgot_username_runs_the_same_queries_for_a_hit_and_a_miss(
        alice, django_capture_on_commit_callbacks, details):
    public_practice()  # in the cache, as after any public page: neither request reads it
    verify_email(alice.user, "alice@example.com")
    alice.chart.notification_email = "alice@example.com"
    alice.chart.save()
    hit, hit_sql, hit_work = post_counting(django_capture_on_commit_callbacks, USERNAME_URL,
                                           {"email": "alice@example.com", **details})
    miss, miss_sql, miss_work = post_counting(django_capture_on_commit_callbacks, USERNAME_URL,
                                              {"email": "nobody@example.com", **details})
    assert_redirect(hit, USERNAME_SENT)
    assert_redirect(miss, USERNAME_SENT)
    assert len(hit_sql) == len(miss_sql)
    assert writes(hit_sql) == writes(miss_sql) == []  # no outbox row, no audit in the request
    assert len(hit_work) == len(miss_work) == 1  # one task each, after commit
    assert not outbox("username-reminder").exists()

    for work in hit_work + miss_work:
        work()
    message = outbox("username-reminder").get()  # only the hit sends
    assert message.recipient == "alice@example.com" and "alice-archer" in message.body_text
    sent = AuditEvent.objects.get(action=AuditAction.USERNAME_REMINDER_SENT)
    assert (sent.subject_user, sent.ip_address) == (alice.user, "198.51.100.7")
    unmatched = AuditEvent.objects.get(action=AuditAction.USERNAME_REMINDER_UNMATCHED)
    assert unmatched.ip_address == "198.51.100.7"


@pytest.mark.parametrize("typed", ["alice@example.com", "alice-archer"])
def test_forgot_password_runs_the_same_queries_for_a_hit_and_a_miss(
        alice, django_capture_on_commit_callbacks, typed):
    public_practice()  # in the cache, as after any public page: neither request reads it
    verify_email(alice.user, "alice@example.com")
    hit, hit_sql, hit_work = post_counting(django_capture_on_commit_callbacks, RESET_URL,
                                           {"email": typed})
    miss, miss_sql, miss_work = post_counting(django_capture_on_commit_callbacks, RESET_URL,
                                              {"email": typed.replace("alice", "nobody")})
    assert_redirect(hit, RESET_DONE)
    assert_redirect(miss, RESET_DONE)
    assert len(hit_sql) == len(miss_sql)
    assert writes(hit_sql) == writes(miss_sql) == []
    assert len(hit_work) == len(miss_work) == 1
    assert not outbox("password_reset_key").exists()

    for work in hit_work + miss_work:
        work()
    message = outbox("password_reset_key").get()
    assert message.recipient == "alice@example.com"
    assert "/account/password/reset/key/" in message.body_text
    requested = AuditEvent.objects.filter(action=AuditAction.PASSWORD_RESET_REQUESTED)
    assert {(e.subject_user, e.extra.get("matched", True), e.ip_address) for e in requested} == {
        (alice.user, True, "198.51.100.7"), (None, False, "198.51.100.7")}


def test_the_request_hands_over_ids_not_what_was_typed(alice, django_capture_on_commit_callbacks,
                                                       monkeypatch):
    """What reaches the broker: the account ids, the address on file and the page's language,
    never the last name or the date of birth that were typed."""
    from accounts import tasks

    handed = []
    monkeypatch.setattr(tasks.send_username_reminder, "delay",
                        lambda **kwargs: handed.append(kwargs))
    alice.chart.notification_email = "archer.home@example.com"
    alice.chart.save()
    _, _, work = post_counting(django_capture_on_commit_callbacks, USERNAME_URL, {
        "email": "archer.home@example.com", "last_name": "Archer",
        "date_of_birth": "06/15/1985"})
    work[0]()
    assert handed == [{"to": "archer.home@example.com", "user_ids": [alice.user.pk],
                       "ip_address": "198.51.100.7", "language": "en"}]
