"""Sending one-time codes is limited (SMS and email pumping): each device waits 30 seconds
between codes, and the allauth rate limits ``code_send`` (per address, per account, per
destination) and ``code_send_session`` (per session) cap what any one of them can ask for.
Every code goes through ``accounts.services.code_send``, which applies them all."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from accounts.devices import OneTimeCodeDevice
from accounts.services import CODE_TOO_MANY, CODE_TOO_SOON
from portal.models import OutboxMessage
from tests import factories
from tests.pages import assert_page
from tests.signin import latest_code

pytestmark = pytest.mark.django_db

NUMBERS = [f"(617) 555-01{n:02d}" for n in range(10, 30)]


def texts_sent() -> int:
    return OutboxMessage.objects.filter(template="verification-code", channel="sms").count()


def codes_sent() -> int:
    return OutboxMessage.objects.filter(template="verification-code").count()


def limit(action: str, per: str) -> int:
    """The amount of the rate limit ``action`` has ``per`` ip, user or key (the settings)."""
    rates = settings.ACCOUNT_RATE_LIMITS[action].split(",")
    return min(int(r.split("/")[0]) for r in rates if r.endswith(f"/{per}"))


def test_five_numbers_in_a_row_in_account_settings_send_one_text(signed_in, alice):
    """The attack: five texts to five numbers in 2.5 seconds. The pending number is kept when
    only the number changes, so its cool-down holds; each refusal says why."""
    for number in NUMBERS[:5]:
        response = signed_in.post("/account/settings/mobile/", {"mobile_phone": number},
                                  follow=True)
        assert_page(response, "accounts/settings/verify_mobile.html")
    assert texts_sent() == 1
    assert CODE_TOO_SOON in response.content.decode()
    assert OneTimeCodeDevice.objects.filter(user=alice.user, channel="sms").count() == 1


def test_past_the_cool_down_the_rate_limits_stop_the_numbers(signed_in, alice):
    now = timezone.now()
    for n, number in enumerate(NUMBERS[:7]):  # 31 s apart: inside the reauthentication window
        with time_machine.travel(now + datetime.timedelta(seconds=31 * (n + 1))):
            response = signed_in.post("/account/settings/mobile/", {"mobile_phone": number},
                                      follow=True)
    # The account's limit counts the code sent by email at sign-in (in the session before
    # the sign-in, which then got a new key).
    allowed = min(limit("code_send", "user") - 1, limit("code_send_session", "key"))
    assert 0 < allowed < 6
    assert texts_sent() == allowed
    assert_page(response, "accounts/settings/verify_mobile.html", CODE_TOO_MANY)


def test_a_code_sent_to_the_first_number_does_not_confirm_the_second(signed_in, alice):
    signed_in.post("/account/settings/mobile/", {"mobile_phone": NUMBERS[0]})
    code = latest_code("+16175550110")
    signed_in.post("/account/settings/mobile/", {"mobile_phone": NUMBERS[1]})
    response = signed_in.post("/account/settings/mobile/verify/", {"code": code})
    assert_page(response, "accounts/settings/verify_mobile.html", "That code is not right")
    assert not OneTimeCodeDevice.objects.filter(user=alice.user, channel="sms",
                                                confirmed=True).exists()


def test_the_page_does_not_claim_a_code_was_sent_when_none_was(signed_in):
    signed_in.post("/account/settings/mobile/", {"mobile_phone": NUMBERS[0]})
    response = signed_in.post("/account/settings/mobile/", {"mobile_phone": NUMBERS[1]},
                              follow=True)
    body = assert_page(response, "accounts/settings/verify_mobile.html", "•••-•••-0111")
    assert "We sent a 6-digit code" not in body


def test_one_destination_gets_no_more_than_its_limit_whatever_the_accounts(practice):
    """A family's shared address, or a number typed into many accounts: the per-destination
    limit counts every account and every session."""
    per_destination = limit("code_send", "key")
    now = timezone.now()
    for n in range(per_destination + 2):
        user = factories.make_user(f"sibling-{n}")
        factories.add_code_method(user, "family@example.com")
        with time_machine.travel(now + datetime.timedelta(seconds=n)):
            browser = Client()
            browser.post("/account/login/", {"login": f"sibling-{n}",
                                             "password": factories.PASSWORD})
            browser.get("/account/login/verify-code/")
    assert codes_sent() == per_destination


def test_resending_a_sign_in_code_is_limited_too(client, alice):
    client.post("/account/login/", {"login": "alice-archer", "password": factories.PASSWORD})
    client.get("/account/login/verify-code/")
    device = OneTimeCodeDevice.objects.get(user=alice.user)
    now = timezone.now()
    for n in range(7):
        with time_machine.travel(now + datetime.timedelta(seconds=31 * (n + 1))):
            response = client.post("/account/login/verify-code/",
                                   {"method": f"code:{device.pk}"}, follow=True)
    assert codes_sent() == min(limit("code_send", "user"), limit("code_send_session", "key"))
    assert_page(response, "account/verify_code.html", CODE_TOO_MANY)
