"""A form sent without its security token (an old tab, cookies cleared, a page left open across
a sign-in) gets the portal's own page saying what to do, not Django's technical one."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import PASSWORD
from tests.pages import assert_page

pytestmark = pytest.mark.django_db


def test_a_form_without_its_token_gets_the_portals_page_with_what_to_do(alice):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post("/account/login/", {"login": "alice-archer", "password": PASSWORD})
    body = assert_page(response, "403_csrf.html", "reload the page",
                       alice.chart.practice.name, status=403)  # the public practice's name
    assert "CSRF" not in body  # no technical words, no Django debug page
    assert "_auth_user_id" not in browser.session


def test_the_console_uses_the_same_page(staff):
    console = Client(enforce_csrf_checks=True)
    console.force_login(staff)
    response = console.post("/staff/portal/provider/add/", {"first_name": "Pat"})
    assert_page(response, "403_csrf.html", "reload the page", status=403)
