"""Forgot password? by email link (SPEC A3a): allauth's flow, taking an email or a username."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.conf import settings
from django.test import Client

from portal.models import AuditAction, AuditEvent, OutboxMessage
from tests.accounts.recovery_support import (
    NEW_PASSWORD,
    CommittingClient,
    outbox,
    page,
    verify_email,
)
from tests.lookalikes import DOTLESS_I, full_width
from tests.pages import assert_page, assert_redirect

pytestmark = pytest.mark.django_db

URL = "/account/password/reset/"
DONE = "/account/password/reset/done/"


@pytest.fixture
def client(db):
    """Each request's work after commit (the email, in a task) runs, as in production."""
    return CommittingClient()


def reset_link(to: str) -> str:
    message = outbox("password_reset_key").filter(recipient=to).first()
    assert message.body_text.count(settings.SITE_URL) == 1  # not built from the Host header
    return re.search(r"https?://[^/\s]+(/account/password/reset/key/\S+/)", message.body_text)[1]


def set_new_password(client, link, password=NEW_PASSWORD):
    form_page = client.get(link)
    assert form_page.status_code == 302  # the key leaves the address bar
    assert form_page["Location"].endswith("-set-password/")
    assert_page(client.get(form_page["Location"]), "account/password_reset_from_key.html")
    return client.post(form_page["Location"], {"password1": password, "password2": password})


@pytest.fixture
def alice_verified(alice):
    verify_email(alice.user, "alice@example.com")
    return alice


def test_the_pages_are_ours_and_labelled(client):
    body = client.get(URL).content.decode()
    assert "<h1>Forgot password?</h1>" in body
    assert '<label for="id_email">Email or Username' in body
    assert 'href="/account/recovery/security-questions/">Answer your security questions' in body


def test_it_emails_a_link_to_a_verified_address(client, alice_verified):
    response = client.post(URL, {"email": "Alice@Example.com"})
    assert response["Location"] == DONE
    message = outbox("password_reset_key").get()
    assert message.recipient == "alice@example.com"
    assert "alice-archer" in message.body_text
    assert "works once, within one hour" in message.body_text
    reset_link("alice@example.com")
    event = AuditEvent.objects.get(action=AuditAction.PASSWORD_RESET_REQUESTED)
    assert (event.actor, event.subject_user) == (None, alice_verified.user)


def test_a_username_works_too_and_the_link_goes_to_its_verified_address(client, alice_verified):
    response = client.post(URL, {"email": "ALICE-ARCHER"})
    assert response["Location"] == DONE
    assert outbox("password_reset_key").get().recipient == "alice@example.com"


def test_every_account_on_a_shared_address_gets_its_own_link(client, alice_verified, bob):
    verify_email(bob.user, "alice@example.com")
    client.post(URL, {"email": "alice@example.com"})
    bodies = " ".join(outbox("password_reset_key").values_list("body_text", flat=True))
    assert outbox("password_reset_key").count() == 2
    assert "alice-archer" in bodies and "bob-baker" in bodies


@pytest.mark.parametrize("typed", ["alice@example.com", "alice-archer"])
def test_an_unverified_address_gets_no_link(client, alice, typed):
    EmailAddress.objects.create(user=alice.user, email="alice@example.com", verified=False)
    assert client.post(URL, {"email": typed})["Location"] == DONE
    assert not outbox("password_reset_key").exists()


def test_known_and_unknown_get_the_same_answer(client, alice_verified):
    known = client.post(URL, {"email": "alice@example.com"}, follow=True)
    unknown_email = client.post(URL, {"email": "nobody@example.com"}, follow=True)
    unknown_username = client.post(URL, {"email": "nobody-at-all"}, follow=True)
    assert known.redirect_chain == unknown_email.redirect_chain == unknown_username.redirect_chain
    assert_page(known, "account/password_reset_done.html")
    assert page(known) == page(unknown_email) == page(unknown_username)
    assert outbox("password_reset_key").count() == 1  # unknown addresses get no email at all


def test_the_link_sets_a_new_password_once(client, alice_verified):
    client.post(URL, {"email": "alice@example.com"})
    link = reset_link("alice@example.com")
    response = set_new_password(client, link)
    assert response["Location"] == "/account/password/reset/key/done/"
    alice_verified.user.refresh_from_db()
    assert alice_verified.user.check_password(NEW_PASSWORD)
    assert b"Your password has been changed" in client.get(response["Location"]).content
    again = Client().get(link)
    assert_page(again, "account/password_reset_from_key.html", "This link can\u2019t be used")
    event = AuditEvent.objects.get(action=AuditAction.PASSWORD_RESET)
    assert (event.actor, event.subject_user, event.extra["method"]) == (
        None, alice_verified.user, "email_link")


def test_the_link_expires_after_an_hour(client, alice_verified):
    start = datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        client.post(URL, {"email": "alice@example.com"})
        link = reset_link("alice@example.com")
        traveller.shift(datetime.timedelta(minutes=59))
        still_good = Client().get(link)
        assert still_good.status_code == 302
        assert still_good["Location"].endswith("-set-password/")
        traveller.shift(datetime.timedelta(minutes=2))
        expired = client.get(link)
    assert_page(expired, "account/password_reset_from_key.html", "This link can\u2019t be used")


def test_the_new_password_must_follow_the_policy(client, alice_verified):
    client.post(URL, {"email": "alice@example.com"})
    response = set_new_password(client, reset_link("alice@example.com"), "password1")
    assert_page(response, "account/password_reset_from_key.html", "field-error")
    alice_verified.user.refresh_from_db()
    assert not alice_verified.user.check_password("password1")


def test_other_sessions_end_and_the_owner_is_told(client, alice_verified):
    phone, laptop = Client(), CommittingClient()
    phone.force_login(alice_verified.user)
    laptop.force_login(alice_verified.user)
    laptop.post(URL, {"email": "alice@example.com"})
    set_new_password(laptop, reset_link("alice@example.com"))
    assert_redirect(phone.get("/"), "/account/login/")  # signed out
    # The browser that reset it stays signed in.
    assert_page(laptop.get("/"), "portal/home.html", "Welcome, Alice")
    # One notice, the portal's.
    notice = OutboxMessage.objects.get(template="security-notice")
    assert notice.recipient == "alice@example.com"
    assert "Your password was changed." in notice.body_text
    for detail in ["Archer,", alice_verified.chart.record_number, "1985", "Harbor"]:
        assert detail not in notice.body_text + notice.body_html


@pytest.mark.parametrize("allauth_notifies", [True, False])
def test_exactly_one_notice_is_sent_the_portals(client, alice_verified, settings,
                                                allauth_notifies):
    """allauth's "Password Reset" email (its tone, the browser's whole user-agent string) never
    goes out, even with its notifications switched on: the portal's notice does, once."""
    settings.ACCOUNT_EMAIL_NOTIFICATIONS = allauth_notifies
    client.post(URL, {"email": "alice@example.com"}, HTTP_USER_AGENT="Mozilla/5.0 (X11) Test/1")
    set_new_password(client, reset_link("alice@example.com"))
    sent = OutboxMessage.objects.exclude(template="password_reset_key")
    assert list(sent.values_list("template", flat=True)) == ["security-notice"]
    notice = sent.get()
    assert "Your password was changed." in notice.body_text
    assert "Mozilla" not in notice.body_text + notice.body_html


def test_asking_again_and_again_is_throttled_then_allowed(client, alice_verified):
    start = datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        for _ in range(3):
            assert_redirect(client.post(URL, {"email": "alice@example.com"}), DONE)
        refused = client.post(URL, {"email": "ALICE@example.com"})
        assert refused.status_code == 429
        assert b"<h1>Too many attempts</h1>" in refused.content
        traveller.shift(datetime.timedelta(minutes=61))
        assert_redirect(client.post(URL, {"email": "alice@example.com"}), DONE)
    assert outbox("password_reset_key").count() == 4


def test_a_look_alike_username_is_an_unknown_username(client, alice_verified):
    # A case-insensitive lookup (UPPER) on PostgreSQL found alice-archer for this one.
    assert client.post(URL, {"email": f"al{DOTLESS_I}ce-archer"})["Location"] == DONE
    assert not outbox("password_reset_key").exists()
    client.post(URL, {"email": full_width("ALICE-ARCHER")})  # the same username
    assert outbox("password_reset_key").get().recipient == "alice@example.com"
