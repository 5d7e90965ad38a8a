"""Create Security Details cannot be used to pump texts or emails: sending it again with only
the destination changed keeps the pending device and its cool-down, and the code-send rate
limits (accounts.services.code_send) cap what one session, address, account or destination
can ask for."""

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
from tests.enrollment.conftest import GOOD_DETAILS, latest_code
from tests.pages import assert_page

pytestmark = pytest.mark.django_db

NUMBERS = [f"(617) 555-01{n:02d}" for n in range(10, 30)]


def texts_sent() -> int:
    return OutboxMessage.objects.filter(template="verification-code", channel="sms").count()


def limit(action: str, per: str) -> int:
    rates = settings.ACCOUNT_RATE_LIMITS[action].split(",")
    return min(int(r.split("/")[0]) for r in rates if r.endswith(f"/{per}"))


def new_account_details(client: Client, practice) -> Client:
    """Create a new account, step 1: the person's details, by the page."""
    client.post("/enroll/new-account/", {
        "practice": practice.pk, "first_name": "Nora", "last_name": "North",
        "date_of_birth": "06/15/1985", "zip_code": "02139", "email": "",
        "mobile_phone": "(617) 555-0100"})
    return client


def by_text(number: str) -> dict[str, str]:
    return {**GOOD_DETAILS, "email": "", "mobile_phone": number, "code_channel": "sms"}


def test_five_numbers_in_a_row_send_one_text(client, practice):
    """The attack: Create Security Details sent five times in 2.5 seconds, a new number each
    time. The pending account's device is kept, so its cool-down holds."""
    new_account_details(client, practice)
    for number in NUMBERS[:5]:
        response = client.post("/enroll/security-details/", by_text(number), follow=True)
        assert_page(response, "enrollment/verify.html")
    assert texts_sent() == 1
    assert CODE_TOO_SOON in response.content.decode()
    assert OneTimeCodeDevice.objects.filter(channel="sms").count() == 1


def test_past_the_cool_down_the_rate_limits_stop_the_numbers(client, practice, settings):
    # Each post also asks whether the username is free, which has its own (tighter) limit.
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "username_check": ""}
    new_account_details(client, practice)
    now = timezone.now()
    for n, number in enumerate(NUMBERS[:8]):
        with time_machine.travel(now + datetime.timedelta(seconds=31 * (n + 1))):
            response = client.post("/enroll/security-details/", by_text(number), follow=True)
    allowed = min(limit("code_send", "user"), limit("code_send_session", "key"))
    assert 0 < allowed < 8
    assert texts_sent() == allowed
    assert_page(response, "enrollment/verify.html", CODE_TOO_MANY)


def test_fresh_sessions_and_accounts_are_stopped_by_the_limit_per_address(practice, settings):
    """Starting over with a new session and a new pending account each time leaves only the
    address: its limit holds (even were starting over not limited itself)."""
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "enroll_request": ""}
    per_address = limit("code_send", "ip")
    for n, number in enumerate(NUMBERS[: per_address + 2]):
        browser = new_account_details(Client(), practice)
        browser.post("/enroll/security-details/",
                     {**by_text(number), "username": f"Nora.North{n}"})
    assert texts_sent() == per_address


def test_a_code_sent_to_the_first_number_does_not_prove_the_second(client, practice):
    """Keeping the device must not keep its code: the chart-linking rule trusts what the code
    proved (Create a new account links a chart whose mobile the code went to)."""
    new_account_details(client, practice)
    client.post("/enroll/security-details/", by_text(NUMBERS[0]))
    code = latest_code("+16175550110")
    client.post("/enroll/security-details/", by_text(NUMBERS[1]))
    response = client.post("/enroll/verify/", {"code": code})
    assert_page(response, "enrollment/verify.html", "That code is not right")
    assert not OneTimeCodeDevice.objects.filter(confirmed=True).exists()


def test_after_the_cool_down_the_new_number_gets_its_code_and_it_works(client, practice):
    new_account_details(client, practice)
    client.post("/enroll/security-details/", by_text(NUMBERS[0]))
    client.post("/enroll/security-details/", by_text(NUMBERS[1]))
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=31)):
        response = client.post("/enroll/verify/", {"resend": "1"}, follow=True)
        assert_page(response, "enrollment/verify.html", "We sent a new code to •••-•••-0111")
        response = client.post("/enroll/verify/", {"code": latest_code("+16175550111")})
    assert response.url == "/enroll/request/sent/"
