"""Signing in again before the first sign-in finished (a closed tab, a slow email) must not
strand the person at the code step, and "Start again" starts again."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from portal.models import OutboxMessage
from tests.factories import PASSWORD
from tests.pages import assert_page, assert_redirect
from tests.signin import latest_code

pytestmark = pytest.mark.django_db

CODE_PAGE = "/account/login/verify-code/"


def _password_step(client: Client):
    response = client.post("/account/login/", {"login": "alice-archer", "password": PASSWORD})
    assert_redirect(response, CODE_PAGE)
    return client.get(CODE_PAGE)


def _codes_sent() -> int:
    return OutboxMessage.objects.filter(template="verification-code").count()


def test_starting_again_at_once_the_code_just_sent_still_works(client, alice):
    _password_step(client)
    first_code = latest_code("alice@example.com")
    assert_redirect(client.post("/account/login/start-again/"), "/account/login/")
    again = _password_step(client)  # within the 30-second wait: no new code can go out
    assert _codes_sent() == 1
    assert_page(again, "account/verify_code.html", "moments ago", "it still works")
    assert "We sent a 6-digit code" not in again.content.decode()
    assert_redirect(client.post(CODE_PAGE, {"code": first_code}), "/")
    assert client.session["_auth_user_id"] == str(alice.user.pk)


def test_another_browser_at_once_is_told_the_truth_then_gets_a_code(client, alice):
    _password_step(client)
    other = Client()
    page = _password_step(other)
    assert _codes_sent() == 1
    assert_page(page, "account/verify_code.html", "will not work here")
    assert "We sent a 6-digit code" not in page.content.decode()
    later = timezone.now() + datetime.timedelta(seconds=31)
    with time_machine.travel(later):
        method = re.search(r'name="method" value="([^"]+)"', page.content.decode())[1]
        assert_redirect(other.post(CODE_PAGE, {"method": method}), CODE_PAGE)
        assert _codes_sent() == 2
        response = other.post(CODE_PAGE, {"code": latest_code("alice@example.com")})
    assert_redirect(response, "/")


def test_another_browser_cannot_use_the_code_sent_for_this_one(client, alice):
    _password_step(client)
    code = latest_code("alice@example.com")
    other = Client()
    _password_step(other)
    response = other.post(CODE_PAGE, {"code": code})
    assert_page(response, "account/verify_code.html", "That code is not right")


def test_start_again_drops_the_waiting_sign_in(client, alice):
    page = _password_step(client)
    assert 'action="/account/login/start-again/"' in page.content.decode()
    assert_redirect(client.post("/account/login/start-again/"), "/account/login/")
    assert_page(client.get("/account/login/"), "account/login.html")
    assert_redirect(client.get(CODE_PAGE), "/account/login/")


def test_start_again_is_a_post(client, alice):
    _password_step(client)
    assert client.get("/account/login/start-again/").status_code == 405
