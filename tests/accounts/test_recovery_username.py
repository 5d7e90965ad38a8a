"""Forgot username? (SPEC A2), and the recovery links on the sign-in page."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from allauth.account.models import EmailAddress

from portal.models import AuditAction, AuditEvent
from tests.accounts.recovery_support import CommittingClient, outbox, page, verify_email
from tests.pages import assert_page, assert_redirect

pytestmark = pytest.mark.django_db

URL = "/account/recovery/username/"
SENT = "/account/recovery/username/sent/"


@pytest.fixture
def client(db):
    """Each request's work after commit (the email, in a task) runs, as in production."""
    return CommittingClient()


def test_the_sign_in_page_leads_to_every_way_back_in(client):
    sign_in_page = client.get("/account/login/").content.decode()
    assert sign_in_page.count('href="/account/recovery/"') == 1
    body = client.get("/account/recovery/").content.decode()
    assert '<a href="/account/recovery/username/">Forgot username?</a>' in body
    assert '<a href="/account/password/reset/">Forgot password?</a>' in body
    assert '<a href="/account/recovery/token/">I have my password reset token</a>' in body


def test_the_page_has_labelled_fields(client):
    body = client.get(URL).content.decode()
    assert '<label for="id_email">Email address' in body
    assert '<label for="id_last_name">Last name' in body
    assert '<label for="id_date_of_birth">Date of birth' in body
    assert "<legend>No verified account email?</legend>" in body


def test_it_emails_every_username_on_a_verified_address(client, alice, bob):
    verify_email(alice.user, "archers@example.com")
    verify_email(bob.user, "archers@example.com")  # a family shares one address
    response = client.post(URL, {"email": "ARCHERS@example.com "})
    assert_redirect(response, SENT)
    message = outbox("username-reminder").get()
    assert message.recipient == "archers@example.com"  # as verified, not as typed
    assert "alice-archer" in message.body_text and "bob-baker" in message.body_text
    assert "alice-archer" in message.body_html
    events = AuditEvent.objects.filter(action=AuditAction.USERNAME_REMINDER_SENT)
    assert {(e.actor, e.subject_user) for e in events} == {(None, alice.user), (None, bob.user)}


def test_an_unverified_address_gets_nothing(client, alice):
    EmailAddress.objects.create(user=alice.user, email="alice@example.com", verified=False)
    assert_redirect(client.post(URL, {"email": "alice@example.com"}), SENT)
    assert not outbox("username-reminder").exists()
    assert AuditEvent.objects.filter(action=AuditAction.USERNAME_REMINDER_UNMATCHED).exists()


def test_the_chart_notification_email_works_with_last_name_and_birth_date(client, alice, bob):
    alice.chart.notification_email = "archer.home@example.com"
    alice.chart.save()
    response = client.post(URL, {"email": "archer.home@example.com", "last_name": " ARCHER",
                                 "date_of_birth": "06/15/1985"})
    assert response["Location"] == SENT
    message = outbox("username-reminder").get()
    assert message.recipient == "archer.home@example.com"
    assert "alice-archer" in message.body_text
    # Only the patient's own account: not bob, her trusted representative.
    assert "bob-baker" not in message.body_text


@pytest.mark.parametrize("details", [
    {"last_name": "Archer", "date_of_birth": "06/16/1985"},
    {"last_name": "Baker", "date_of_birth": "06/15/1985"},
    {},  # the notification email alone is not enough
])
def test_the_chart_route_needs_every_detail_to_match(client, alice, details):
    alice.chart.notification_email = "archer.home@example.com"
    alice.chart.save()
    assert_redirect(client.post(URL, {"email": "archer.home@example.com", **details}), SENT)
    assert not outbox("username-reminder").exists()


def test_it_asks_for_both_the_last_name_and_the_birth_date(client):
    response = client.post(URL, {"email": "someone@example.com", "last_name": "Archer"})
    assert_page(response, "accounts/recovery/forgot_username.html",
                "Enter both the last name and the date of birth, or neither.")


def test_known_and_unknown_addresses_get_the_same_answer(client, alice):
    verify_email(alice.user, "alice@example.com")
    known = client.post(URL, {"email": "alice@example.com"})
    unknown = client.post(URL, {"email": "nobody@example.com"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert outbox("username-reminder").count() == 1


def test_the_next_page_reads_the_same_either_way(client, alice):
    verify_email(alice.user, "alice@example.com")
    known = client.post(URL, {"email": "alice@example.com"}, follow=True)
    unknown = client.post(URL, {"email": "nobody@example.com"}, follow=True)
    assert page(known) == page(unknown)
    assert "If what you entered matches a portal account" in page(known)


def test_the_reminder_carries_no_health_details(client, alice):
    verify_email(alice.user, "alice@example.com")
    client.post(URL, {"email": "alice@example.com"})
    message = outbox("username-reminder").get()
    assert "alice-archer" in message.body_text and "alice-archer" in message.body_html
    for detail in ["Alice Archer", alice.chart.record_number, "1985", "Harbor"]:
        assert detail not in message.body_text
        assert detail not in message.body_html


def test_it_is_throttled_per_address_and_recovers_after_an_hour(client, alice):
    verify_email(alice.user, "alice@example.com")
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC),
                             tick=False) as traveller:
        for _ in range(3):
            assert_redirect(client.post(URL, {"email": "alice@example.com"}), SENT)
        refused = client.post(URL, {"email": "alice@example.com"})
        assert_page(refused, "accounts/recovery/forgot_username.html", "Too many attempts")
        assert outbox("username-reminder").count() == 3
        traveller.shift(datetime.timedelta(minutes=61))
        assert_redirect(client.post(URL, {"email": "alice@example.com"}), SENT)
    assert outbox("username-reminder").count() == 4


def test_it_is_throttled_per_device(client):
    for n in range(10):
        client.post(URL, {"email": f"person{n}@example.com"})
    refused = client.post(URL, {"email": "another@example.com"})
    assert_page(refused, "accounts/recovery/forgot_username.html", "Too many attempts")
