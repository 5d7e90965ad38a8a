"""The failed sign-in limits count what they say they count.

Per account: the account's own canonical username, whatever the request says about itself — the
Host header (allauth keyed its limit on the site's domain, which without the sites framework is
the Host header), how the username is spelt (case, full-width forms, the long s), and which page
was used (sign-in, and Welcome: tests/enrollment/test_invitation_link.py).
"""

from __future__ import annotations

import pytest
from django.test import Client

from portal.models import AuditAction, AuditEvent
from tests import factories
from tests.lookalikes import DOTLESS_I, LONG_S, full_width
from tests.pages import assert_page
from tests.signin import sign_in

pytestmark = pytest.mark.django_db

WRONG = "Wrong-Password-1!"
TOO_MANY = "Too many failed login attempts"
HOSTS = ["127.0.0.1:1", "127.0.0.1:2", "LOCALHOST", "localhost:8000", "[::1]:3", "127.0.0.1:6"]


@pytest.fixture
def hosts(settings):
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
    return HOSTS


def test_wrong_passwords_spread_over_host_headers_lock_the_account(client, alice, hosts):
    for host in hosts[:5]:
        refused = sign_in(client, "alice-archer", WRONG, HTTP_HOST=host)
        assert_page(refused, "account/login.html", "are not correct")
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
    assert_page(response, "account/login.html", "are not correct")
    assert "_auth_user_id" not in client.session
    failed = AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert failed.actor is None
