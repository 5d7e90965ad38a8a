"""The console's idle time-out warning (issue 10, item 12): the same warning and script as the
portal's pages, the practice's time-out, and a keep-alive and sign-out that work for staff."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from accounts.idle_timeout import LAST_ACTIVITY_KEY
from tests.pages import assert_page, assert_redirect

pytestmark = pytest.mark.django_db

START = datetime.datetime.now(tz=datetime.UTC).replace(microsecond=0) + datetime.timedelta(hours=1)
KEEPALIVE = "/account/sessions/keepalive/"
PAGES = ["/staff/", "/staff/portal/patientchart/", "/staff/portal/patientchart/{chart}/change/",
         "/staff/portal/patientchart/{chart}/family/", "/staff/portal/patientchart/age-out-report/"]


def at(minutes: float):
    return time_machine.travel(START + datetime.timedelta(minutes=minutes), tick=False)


@pytest.mark.parametrize("page", PAGES)
def test_every_console_page_carries_the_warning_and_the_practices_time_out(client, staff,
                                                                           practice, alice,
                                                                           page):
    practice.session_timeout_minutes = 20
    practice.save()
    client.force_login(staff)
    body = client.get(page.format(chart=alice.chart.pk)).content.decode()
    assert 'id="console-session"' in body
    assert 'data-session-timeout="1200"' in body and 'data-session-warning="120"' in body
    assert 'data-session-sign-in-url="/account/login/"' in body
    assert 'id="session-warning"' in body and 'role="alertdialog"' in body
    assert f'action="{KEEPALIVE}"' in body
    # The warning's "Sign out" submits the header's form, the portal's own sign-out.
    assert 'form="sign-out-form"' in body
    assert '<form id="sign-out-form" method="post" action="/account/logout/">' in body
    scripts = body.index('src="/static/js/console-session.js"')
    assert scripts < body.index('src="/static/js/session-timeout.js"')  # it runs first
    assert body.count('src="/static/js/session-timeout.js"') == 1
    assert "<script>" not in body  # CSP: nothing inline


def test_the_warning_sits_outside_the_page_it_makes_inert(client, staff):
    """The script makes every other child of <body> inert while the warning is open: the
    warning must be one of those children, not inside the admin's #container."""
    client.force_login(staff)
    body = client.get("/staff/").content.decode()
    assert body.index("<!-- END Container -->") < body.index('id="session-warning"')


def test_the_keepalive_restarts_a_staff_members_idle_clock(client, staff, practice):
    practice.session_timeout_minutes = 10
    practice.save()
    with at(0):
        client.force_login(staff)
        assert_page(client.get("/staff/"), "admin/index.html")
    with at(8):
        assert client.post(KEEPALIVE).status_code == 204
        assert client.session[LAST_ACTIVITY_KEY] == (START + datetime.timedelta(minutes=8)
                                                     ).timestamp()
    with at(8 + 9):  # 17 minutes after signing in, 9 after the ping
        assert_page(client.get("/staff/"), "admin/index.html")
    with at(8 + 9 + 11):
        assert_redirect(client.get("/staff/"), "/account/login/?next=/staff/")


def test_the_console_sign_out_signs_out(client, staff):
    client.force_login(staff)
    response = client.post("/account/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_signed_out_visitor_gets_no_warning(client):
    response = client.get("/staff/")
    assert response.status_code == 302
