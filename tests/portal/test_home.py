from __future__ import annotations

import pytest

from portal.models import AuditAction, AuditEvent
from tests.pages import assert_page

pytestmark = pytest.mark.django_db


def test_it_shows_whose_record_is_open_and_their_details(client, alice):
    client.force_login(alice.user)
    body = client.get("/").content.decode()
    assert "You are viewing <strong>your own record</strong>" in body
    assert "Alice Archer" in body
    assert alice.chart.record_number in body
    assert "06/15/1985" in body


def test_it_shows_only_sections_that_exist(client, alice):
    client.force_login(alice.user)
    nav = client.get("/").content.decode().split('aria-label="Main"')[1].split("</nav>")[0]
    # Home, Representatives and Activity (her own record, an adult) and Account Settings;
    # Switch patient appears only with two records.
    assert nav.count("<li>") == 4
    assert "Switch patient" not in nav


def test_viewing_the_chart_is_audited(client, alice):
    client.force_login(alice.user)
    client.get("/", REMOTE_ADDR="192.0.2.10")
    event = AuditEvent.objects.get(action=AuditAction.CHART_VIEWED)
    assert (event.actor, event.patient, event.ip_address) == (
        alice.user, alice.chart, "192.0.2.10")


def test_signed_out_visitors_go_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/account/login/"


def test_the_home_page_query_count(client, alice, django_assert_max_num_queries):
    client.force_login(alice.user)
    client.get("/")
    with django_assert_max_num_queries(5):
        response = client.get("/")
    assert_page(response, "portal/home.html", "Welcome, Alice")


def test_pages_carry_a_strict_content_security_policy(client, alice):
    client.force_login(alice.user)
    response = client.get("/")
    assert_page(response, "portal/home.html", "Welcome, Alice")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "<script>" not in response.content.decode()


def test_the_healthcheck_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_only_the_staff_console_allows_inline_styles(client, staff, alice):
    client.force_login(staff)
    console = client.get("/staff/")
    assert_page(console, "admin/index.html", "Staff console")
    staff_csp = console["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in staff_csp
    assert "script-src 'self'" in staff_csp and "script-src 'self' 'unsafe" not in staff_csp
    client.force_login(alice.user)
    home = client.get("/")
    assert_page(home, "portal/home.html", "Welcome, Alice")
    assert "unsafe-inline" not in home["Content-Security-Policy"]
