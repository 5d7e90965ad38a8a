"""SPEC A5: signed out after the practice's idle time-out and at the session's absolute lifetime,
a warning before it, secure cookies, "sign out of all other devices"."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.test import Client

from accounts.idle_timeout import LAST_ACTIVITY_KEY
from portal.models import AuditAction, AuditEvent
from tests import factories
from tests.pages import assert_page, assert_redirect
from tests.portal.test_settings import PRODUCTION, manage
from tests.signin import sign_in

pytestmark = pytest.mark.django_db

# After the fixtures are made (portal accesses start when they are created).
START = datetime.datetime.now(tz=datetime.UTC).replace(microsecond=0) + datetime.timedelta(hours=1)
KEEPALIVE = "/account/sessions/keepalive/"


def at(minutes: float):
    return time_machine.travel(START + datetime.timedelta(minutes=minutes), tick=False)


def signed_in(client, user) -> None:
    with at(0):
        client.force_login(user)
        response = client.get("/")
    if user.is_staff:
        assert_redirect(response, "/staff/")
    elif user.portal_accesses.exists():
        assert_page(response, "portal/home.html")
    else:
        assert_page(response, "portal/no_record.html")


def home_page(response) -> None:
    assert_page(response, "portal/home.html", "Welcome, Alice")


def sign_in_page(response, next_url: str = "/") -> None:
    assert_redirect(response, f"/account/login/?next={next_url}")


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize(("idle", "still_in"), [(14, True), (16, False)])
def test_it_follows_the_practices_time_out(client, alice, practice, idle, still_in):
    practice.session_timeout_minutes = 15
    practice.save()
    signed_in(client, alice.user)
    with at(idle):
        response = client.get("/")
    assert is_signed_in(client) is still_in
    if still_in:
        home_page(response)
    else:
        sign_in_page(response)


def test_it_says_calmly_why_and_records_it(client, alice):
    signed_in(client, alice.user)
    with at(16):
        response = client.get("/", follow=True)
    assert response.request["PATH_INFO"] == "/account/login/"
    assert b"You were signed out after 15 minutes without activity" in response.content
    event = AuditEvent.objects.get(action=AuditAction.SESSION_TIMED_OUT)
    assert event.actor == alice.user
    assert event.extra == {"after_minutes": 15}
    assert AuditEvent.objects.filter(action=AuditAction.SIGNED_OUT, actor=alice.user).exists()


def test_a_longer_practice_setting_keeps_the_session(client, alice, practice):
    practice.session_timeout_minutes = 30
    practice.save()
    signed_in(client, alice.user)
    with at(29):
        home_page(client.get("/"))
    with at(29 + 31):
        sign_in_page(client.get("/"))


def test_each_request_restarts_the_clock(client, alice):
    signed_in(client, alice.user)
    for minute in (10, 20, 30, 40):
        with at(minute):
            home_page(client.get("/"))
    assert is_signed_in(client)


def test_the_keepalive_ping_counts_as_activity(client, alice):
    signed_in(client, alice.user)
    with at(13):
        assert client.post(KEEPALIVE).status_code == 204
    with at(13 + 14):
        home_page(client.get("/"))


def test_without_the_ping_the_same_wait_signs_out(client, alice):
    signed_in(client, alice.user)
    with at(13 + 14):
        sign_in_page(client.get("/"))


def test_a_late_ping_gets_401_and_ends_the_session(client, alice):
    signed_in(client, alice.user)
    with at(16):
        assert client.post(KEEPALIVE).status_code == 401
    assert not is_signed_in(client)


def test_the_keepalive_is_post_only_and_needs_the_csrf_token(alice):
    client = Client(enforce_csrf_checks=True)
    signed_in(client, alice.user)
    with at(1):
        assert client.get(KEEPALIVE).status_code == 405
        refused = client.post(KEEPALIVE)
        assert refused.status_code == 403
        assert "403_csrf.html" in [t.name for t in refused.templates]
        page = client.get("/").content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
        assert client.post(KEEPALIVE, {"csrfmiddlewaretoken": token}).status_code == 204


def test_the_keepalive_answers_401_to_a_signed_out_browser(client):
    assert client.post(KEEPALIVE).status_code == 401


def test_a_form_sent_after_the_time_out_goes_to_sign_in_without_acting(client, alice, bob):
    signed_in(client, bob.user)
    with at(16):
        response = client.post("/account/switch/", {"access": bob.access.code})
    assert response.status_code == 302
    assert response["Location"] == "/account/login/"
    assert not AuditEvent.objects.filter(action=AuditAction.PATIENT_SWITCHED).exists()


def test_the_sign_in_page_still_opens_for_a_timed_out_session(client, alice):
    signed_in(client, alice.user)
    with at(20):
        response = client.post("/account/login/", {"login": "alice-archer",
                                                    "password": factories.PASSWORD})
    # The old session ended; the new sign-in went on to its code step.
    assert response.status_code == 302
    assert response["Location"] == "/account/login/verify-code/"


def test_signing_in_again_starts_a_fresh_clock(client, alice):
    signed_in(client, alice.user)
    with at(20):
        response = sign_in(client, "alice-archer", code_to="alice@example.com")
        assert response.status_code == 302
        assert response["Location"] == "/"
    with at(20 + 14):
        home_page(client.get("/"))


def test_the_session_ends_at_its_absolute_lifetime_even_when_used(client, alice, settings):
    settings.SESSION_COOKIE_AGE = 60 * 60
    signed_in(client, alice.user)
    for minute in range(10, 60, 10):
        with at(minute):
            home_page(client.get("/"))
    with at(61):
        response = client.get("/", follow=True)
    assert response.request["PATH_INFO"] == "/account/login/"
    assert b"sessions last at most 1 hour" in response.content
    assert AuditEvent.objects.filter(action=AuditAction.SESSION_EXPIRED,
                                     actor=alice.user).exists()


def test_save_every_request_is_off_so_django_keeps_the_lifetime_too(settings):
    assert settings.SESSION_SAVE_EVERY_REQUEST is False
    assert settings.SESSION_COOKIE_AGE == 12 * 60 * 60


def test_staff_time_out_follows_their_practice(client, staff, practice):
    practice.session_timeout_minutes = 5
    practice.save()
    signed_in(client, staff)
    with at(4):
        assert_page(client.get("/staff/"), "admin/index.html", "Staff console")
    with at(4 + 6):
        response = client.get("/staff/")
    sign_in_page(response, "/staff/")


def test_staff_of_several_practices_get_the_strictest(client, staff, practice, other_practice):
    from accounts.models import StaffRole
    from accounts.staff import staff_membership_create

    staff_membership_create(user=staff, practice=other_practice, role=StaffRole.FRONT_DESK)
    practice.session_timeout_minutes = 30
    practice.save()
    other_practice.session_timeout_minutes = 10
    other_practice.save()
    signed_in(client, staff)
    with at(9):
        assert_page(client.get("/staff/"), "admin/index.html", "Staff console")
    with at(9 + 11):
        sign_in_page(client.get("/staff/"), "/staff/")


def test_without_a_practice_the_default_is_15_minutes(client):
    user = factories.make_user("no-practice-yet")
    signed_in(client, user)
    with at(14):
        assert_page(client.get("/"), "portal/no_record.html")
    with at(14 + 16):
        sign_in_page(client.get("/"))


def test_the_client_cannot_move_the_time_out(client, alice):
    # Whatever the browser sends, only the server's clock and the practice setting count.
    signed_in(client, alice.user)
    with at(16):
        response = client.get("/?timeout=999", HTTP_X_SESSION_TIMEOUT="999")
    sign_in_page(response, "/%3Ftimeout%3D999")


def test_the_page_carries_the_time_out_for_the_warning(client, alice, practice):
    practice.session_timeout_minutes = 20
    practice.save()
    signed_in(client, alice.user)
    with at(1):
        body = client.get("/").content.decode()
    assert 'data-session-timeout="1200"' in body
    assert 'data-session-warning="120"' in body
    assert 'data-session-sign-in-url="/account/login/"' in body
    assert body.count('src="/static/js/session-timeout.js"') == 1
    assert 'role="alertdialog"' in body
    assert f'action="{KEEPALIVE}"' in body
    assert 'form="sign-out-form"' in body and 'id="sign-out-form"' in body
    assert "<script>" not in body and "style=" not in body  # CSP: nothing inline


def test_signed_out_pages_have_no_warning(client):
    body = assert_page(client.get("/account/login/"), "account/login.html")
    assert "data-session-timeout" not in body
    assert "session-timeout.js" not in body
    assert "alertdialog" not in body


def test_the_activity_time_is_kept_on_the_server(client, alice):
    signed_in(client, alice.user)
    assert client.session[LAST_ACTIVITY_KEY] == START.timestamp()


def test_sign_out_of_all_other_devices_is_offered_to_signed_in_people(client, alice):
    signed_in(client, alice.user)
    with at(1):
        body = client.get("/account/settings/").content.decode()
    assert 'action="/account/sessions/sign-out-other-devices/"' in body
    assert "Sign out of all other devices" in body
    sign_in = assert_page(Client().get("/account/login/"), "account/login.html")
    assert "Sign out of all other devices" not in sign_in


def test_production_cookies_are_secure_http_only_and_lax():
    script = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,"
        " s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SAMESITE, s.SESSION_ENGINE,"
        " s.SESSION_SAVE_EVERY_REQUEST)"
    )
    result = manage("shell", "-c", script, env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == [
        "False", "True", "True", "True", "Lax", "Lax", "django.contrib.sessions.backends.db",
        "False",
    ]

