"""The failed sign-in limits count what they say they count.

Per account: the account's own canonical username, whatever the request says about itself — the
Host header (allauth keyed its limit on the site's domain, which without the sites framework is
the Host header), how the username is spelt (case, full-width forms, the long s), and which page
was used (sign-in, and Welcome: tests/enrollment/test_invitation_link.py). Per address: the
client's, behind a proxy too, never the proxy's.
"""

from __future__ import annotations

import pytest
from django.test import Client

from portal.models import AuditAction, AuditEvent
from tests import factories
from tests.lookalikes import DOTLESS_I, LONG_S, full_width
from tests.pages import assert_page, assert_redirect
from tests.signin import sign_in

pytestmark = pytest.mark.django_db

WRONG = "Wrong-Password-1!"
CODE_PAGE = "/account/login/verify-code/"
TOO_MANY = "Too many failed login attempts"
HOSTS = ["127.0.0.1:1", "127.0.0.1:2", "LOCALHOST", "localhost:8000", "[::1]:3", "127.0.0.1:6"]


@pytest.fixture
def hosts(settings):
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
    return HOSTS


def test_wrong_passwords_spread_over_host_headers_lock_the_account(client, alice, hosts):
    for host in hosts[:5]:
        refused = sign_in(client, "alice-archer", WRONG, HTTP_HOST=host)
        assert_page(refused, "account/login.html", "is not correct")
    # The right password, under yet another Host header, from a fresh browser: still locked.
    response = sign_in(Client(), "alice-archer", HTTP_HOST=hosts[5])
    assert_page(response, "account/login.html", TOO_MANY)


@pytest.mark.parametrize("spelling", ["ALICE-ARCHER", full_width("alice-archer"), "Alice-Archer"])
def test_every_spelling_of_a_username_counts_against_the_one_account(client, alice, spelling):
    for _ in range(4):
        sign_in(client, "alice-archer", WRONG)
    sign_in(client, spelling, WRONG)
    response = sign_in(Client(), "alice-archer")
    assert_page(response, "account/login.html", TOO_MANY)


def test_the_long_s_is_the_same_username_and_the_same_limit(client):
    jess = factories.make_user("jess-stone")
    factories.add_code_method(jess, "jess@example.com")
    for _ in range(3):
        sign_in(client, "jess-stone", WRONG)
    for _ in range(2):
        sign_in(client, f"je{LONG_S}s-{LONG_S}tone", WRONG)
    assert_page(sign_in(Client(), "JESS-STONE"), "account/login.html", TOO_MANY)


def test_a_look_alike_username_is_another_username_not_a_way_into_the_account(client, alice):
    # A dotless i: PostgreSQL's UPPER() turns it into I, so a case-insensitive lookup found
    # alice-archer — under a lockout bucket of its own.
    response = sign_in(client, f"al{DOTLESS_I}ce-archer")
    assert_page(response, "account/login.html", "is not correct")
    assert "_auth_user_id" not in client.session
    failed = AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert failed.actor is None


# Per address, behind a proxy -------------------------------------------------------------------

PROXY = "10.0.0.1"


def test_behind_a_proxy_each_client_has_its_own_address_limit(alice, settings):
    settings.USE_X_FORWARDED_FOR = True
    for n in range(10):  # ten usernames, so that no account's own limit is reached
        sign_in(Client(), f"nobody-{n}", WRONG, REMOTE_ADDR=PROXY,
                HTTP_X_FORWARDED_FOR="198.51.100.7")
    failed = AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED).first()
    assert failed.ip_address == "198.51.100.7"
    # That client is refused, even when it puts another address in front of its own.
    for claimed in ("198.51.100.7", "203.0.113.99, 198.51.100.7"):
        response = sign_in(Client(), "alice-archer", REMOTE_ADDR=PROXY,
                           HTTP_X_FORWARDED_FOR=claimed)
        assert_page(response, "account/login.html", TOO_MANY)
    # Everyone else behind the same proxy signs in.
    response = sign_in(Client(), "alice-archer", REMOTE_ADDR=PROXY,
                       HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert_redirect(response, CODE_PAGE)


def test_without_the_proxy_setting_a_forwarded_address_is_ignored(alice, settings):
    settings.USE_X_FORWARDED_FOR = False
    for n in range(10):
        sign_in(Client(), f"nobody-{n}", WRONG, REMOTE_ADDR="198.51.100.8",
                HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    response = sign_in(Client(), "alice-archer", REMOTE_ADDR="198.51.100.8",
                       HTTP_X_FORWARDED_FOR="203.0.113.200")
    assert_page(response, "account/login.html", TOO_MANY)


def test_a_forwarded_header_that_is_no_address_falls_back_to_the_peer(alice, settings):
    settings.USE_X_FORWARDED_FOR = True
    response = sign_in(Client(), "alice-archer", WRONG, REMOTE_ADDR=PROXY,
                       HTTP_X_FORWARDED_FOR="<script>, not-an-address")
    assert_page(response, "account/login.html", "is not correct")
    assert AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED).ip_address == PROXY
