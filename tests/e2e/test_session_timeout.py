"""SPEC A5 in the browser: the warning before the idle time-out, "Stay signed in", "Sign out",
and the trip to the sign-in page when the time is up.

The browser's clock is Playwright's fake one (no waiting for minutes); the server's is moved with
time_machine, so the server still decides when the session ends."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.utils import timezone

from accounts.idle_timeout import LAST_ACTIVITY_KEY
from tests.e2e.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def signed_in_page(page, alice, practice):
    """Alice's home page with a 5-minute practice time-out (warning 2 minutes before)."""
    practice.session_timeout_minutes = 5
    practice.save()
    client = Client()
    client.force_login(alice.user)
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session_key,
                               "url": page.base_url}])
    page.clock.install()
    page.goto("/")
    page.get_by_role("heading", name="Welcome, Alice").wait_for()
    page.session_key = session_key
    return page


def warning(page):
    return page.get_by_role("alertdialog", name="Are you still there?")


def test_the_warning_opens_and_stay_signed_in_keeps_the_session(signed_in_page):
    page = signed_in_page
    assert page.locator("body").get_attribute("data-session-timeout") == "300"
    assert not warning(page).is_visible()
    page.clock.fast_forward("02:59")
    assert not warning(page).is_visible()
    page.clock.fast_forward("00:02")
    warning(page).wait_for()
    assert page.evaluate("document.activeElement.textContent") == "Stay signed in"
    assert page.evaluate("document.activeElement.closest('[role=alertdialog]') !== null")
    assert "you will be signed out in 1 minute" in warning(page).inner_text()
    assert page.evaluate("document.querySelector('main').inert") is True
    assert_accessible(page)

    before = SessionStore(page.session_key)[LAST_ACTIVITY_KEY]
    with page.expect_response(lambda r: r.url.endswith("/account/sessions/keepalive/")) as ping:
        page.get_by_role("button", name="Stay signed in").click()
    assert ping.value.status == 204
    warning(page).wait_for(state="hidden")
    assert page.evaluate("document.querySelector('main').inert") is False
    assert SessionStore(page.session_key)[LAST_ACTIVITY_KEY] > before
    # The countdown started again.
    page.clock.fast_forward("02:30")
    assert not warning(page).is_visible()
    page.clock.fast_forward("00:31")
    warning(page).wait_for()


def test_sign_out_in_the_warning_signs_out(signed_in_page):
    page = signed_in_page
    page.clock.fast_forward("03:01")
    warning(page).wait_for()
    page.get_by_role("button", name="Sign out", exact=True).last.click()
    page.wait_for_url("**/account/login/")
    assert page.get_by_role("heading", name="Sign in").is_visible()
    assert "_auth_user_id" not in SessionStore(page.session_key).load()


def test_when_the_time_is_up_the_sign_in_page_says_why(signed_in_page):
    page = signed_in_page
    later = timezone.now() + datetime.timedelta(minutes=5, seconds=30)
    with time_machine.travel(later, tick=True):
        page.clock.fast_forward("05:01")
        page.wait_for_url(re.compile(r"/account/login/\?next=%2F$"))
        message = page.get_by_text("You were signed out after 5 minutes without activity")
        message.wait_for()
    assert page.get_by_role("heading", name="Sign in").is_visible()
    assert_accessible(page)


def test_the_keyboard_stays_in_the_warning_and_escape_means_stay(signed_in_page):
    page = signed_in_page
    page.clock.fast_forward("03:01")
    warning(page).wait_for()
    focused = "document.activeElement.textContent"
    page.keyboard.press("Tab")
    assert page.evaluate(focused) == "Sign out"
    page.keyboard.press("Tab")
    assert page.evaluate(focused) == "Stay signed in"
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(focused) == "Sign out"
    with page.expect_response(lambda r: r.url.endswith("/account/sessions/keepalive/")) as ping:
        page.keyboard.press("Escape")
    assert ping.value.status == 204
    warning(page).wait_for(state="hidden")


@pytest.fixture
def spanish_page(signed_in_page, alice, settings):
    """The same page for Alice in Spanish, with the compiled catalog (portal.catalogs)."""
    from portal.catalogs import catalogs_compile

    catalogs_compile()
    settings.LOCALE_PATHS = list(settings.LOCALE_PATHS)  # empties Django's cache of catalogs
    alice.user.language = "es"
    alice.user.save()
    signed_in_page.reload()
    signed_in_page.get_by_role("heading", name="Le damos la bienvenida, Alice").wait_for()
    return signed_in_page


def test_the_warning_speaks_the_pages_language(spanish_page):
    """The script has no words of its own: the countdown and what it announces come from the
    include's data- attributes, in Spanish here."""
    page = spanish_page
    page.clock.fast_forward("03:01")
    dialog = page.get_by_role("alertdialog", name="¿Sigue ahí?")
    dialog.wait_for()
    assert re.search(r"su sesión se cerrará en 1 minuto y \d+ segundos", dialog.inner_text())
    page.clock.fast_forward("01:00")
    # The browser's clock also runs on by itself: a second or two may go by between the steps.
    assert re.fullmatch(r"5\d segundos", page.locator("[data-session-countdown]").inner_text())
    assert re.fullmatch(r"Su sesión se cerrará en 5\d segundos\.",
                        page.locator("[data-session-announce]").inner_text())
    assert_accessible(page)
