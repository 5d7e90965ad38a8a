"""SPEC A1: after the password, a one-time code (email, text or authenticator app)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.sessions import sessions_end_all
from portal.models import AuditAction, AuditEvent
from tests import factories
from tests.factories import PASSWORD
from tests.pages import assert_page
from tests.signin import latest_code, sign_in

pytestmark = pytest.mark.django_db

CODE_PAGE = "/account/login/verify-code/"


def start(client, username="alice-archer"):
    response = sign_in(client, username)
    assert response.url == CODE_PAGE
    page = client.get(CODE_PAGE)
    assert_page(page, "account/verify_code.html")
    return page


def test_the_password_alone_does_not_sign_in(client, alice, staff):
    start(client)
    assert "_auth_user_id" not in client.session
    assert client.get("/").url == "/account/login/"
    other = Client()
    start(other, "staff-harbor")
    console = other.get("/staff/", follow=True)  # the console waits for the code
    assert console.redirect_chain[-1][0] == CODE_PAGE
    assert_page(console, "account/verify_code.html")


def test_the_right_code_signs_in_and_is_audited(client, alice):
    page = start(client)
    assert b"a\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2@example.com" in page.content  # masked address
    response = client.post(CODE_PAGE, {"code": latest_code("alice@example.com")})
    assert response.url == "/"
    assert AuditEvent.objects.filter(action=AuditAction.CODE_VERIFIED, actor=alice.user).exists()
    assert AuditEvent.objects.filter(action=AuditAction.SIGNED_IN, actor=alice.user).exists()


def test_a_wrong_code_is_refused(client, alice):
    start(client)
    right = latest_code("alice@example.com")
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    response = client.post(CODE_PAGE, {"code": wrong})
    assert_page(response, "account/verify_code.html", "That code is not right")
    assert "_auth_user_id" not in client.session


def test_a_code_works_once(client, alice):
    start(client)
    code = latest_code("alice@example.com")
    assert client.post(CODE_PAGE, {"code": code}).url == "/"
    client.logout()
    start(client)  # a new attempt sends a new code; the old one is spent
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=31)):
        response = client.post(CODE_PAGE, {"code": code})
    assert "_auth_user_id" not in client.session
    assert b"That code is not right" in response.content


def test_a_code_from_another_sign_in_attempt_is_refused(alice):
    first, second = Client(), Client()
    start(first)
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=31)):
        start(second)  # after the cool-down, a new code for the second attempt
        code_for_second = latest_code("alice@example.com")
        response = first.post(CODE_PAGE, {"code": code_for_second})
        assert b"That code is not right" in response.content
    # The failure costs the account a short wait (django-otp's throttle), then it works.
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=33)):
        assert second.post(CODE_PAGE, {"code": code_for_second}).url == "/"


def test_failures_are_throttled_and_the_cool_off_ends(client, alice):
    start(client)
    right = latest_code("alice@example.com")
    for _ in range(3):
        client.post(CODE_PAGE, {"code": "000000" if right != "000000" else "111111"})
    response = client.post(CODE_PAGE, {"code": right})
    assert b"Too many wrong codes" in response.content
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=5)):
        assert client.post(CODE_PAGE, {"code": right}).url == "/"


def test_the_code_page_needs_a_password_first(client, alice):
    assert client.get(CODE_PAGE).url == "/account/login/"


def test_choosing_among_several_methods(client, alice):
    factories.add_code_method(alice.user, "+16175550123", channel="sms")
    page = start(client)
    assert b"Send a code: Text message to" in page.content
    client.post(CODE_PAGE, {"method": [m for m in page.context["methods"]
                                       if m.key.startswith("code:")][1].key})
    assert client.post(CODE_PAGE, {"code": latest_code("+16175550123")}).url == "/"


def test_an_authenticator_app_code_works(client, alice):
    device = TOTPDevice.objects.create(user=alice.user, name="phone", confirmed=True)
    page = start(client)
    client.post(CODE_PAGE, {"method": f"totp:{device.pk}"})
    page = client.get(CODE_PAGE)
    assert b"Open your authenticator app" in page.content
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    assert client.post(CODE_PAGE, {"code": code}).url == "/"


def sign_out(client):
    # Not client.logout(): that also forgets the browser's cookies, the trust one included.
    client.post("/account/logout/")


def test_trusting_the_browser_skips_the_code_next_time(client, alice):
    start(client)
    client.post(CODE_PAGE, {"code": latest_code("alice@example.com"), "trust": "on"})
    sign_out(client)
    assert sign_in(client, "alice-archer").url == "/"
    sign_out(client)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=31)):
        assert sign_in(client, "alice-archer").url == CODE_PAGE


def test_signing_out_everywhere_withdraws_the_trust(client, alice):
    start(client)
    client.post(CODE_PAGE, {"code": latest_code("alice@example.com"), "trust": "on"})
    sign_out(client)
    sessions_end_all(user=alice.user)
    assert sign_in(client, "alice-archer").url == CODE_PAGE


def test_staff_always_need_a_code(client, staff):
    start(client, "staff-harbor")
    page = client.get(CODE_PAGE)
    assert b"Trust this browser" not in page.content
    client.post(CODE_PAGE, {"code": latest_code("staff-harbor@practice.example"),
                            "trust": "on"})
    sign_out(client)
    assert sign_in(client, "staff-harbor").url == CODE_PAGE


def test_an_account_without_a_method_is_told_to_call_the_practice(client, practice):
    factories.make_user("no-methods")
    response = client.post("/account/login/", {"login": "no-methods", "password": PASSWORD},
                           follow=True)
    assert_page(response, "account/no_code_method.html", "contact your practice", status=403)
    assert "_auth_user_id" not in client.session
