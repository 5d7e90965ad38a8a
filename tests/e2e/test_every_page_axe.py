"""Every page of the portal passes axe at 375 px and 1280 px (issue 10, "Done when"): each
address of the URL configuration — signed out, and signed in as a patient who also acts for a
child — opened in Chromium. The console has its own walk (test_console.py).

The addresses come from the URL configuration (the same walk as the Spanish pages test), so a
new page joins by itself.
"""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.test import Client

from accounts.models import Relationship
from tests import factories
from tests.e2e.conftest import Page, assert_accessible
from tests.spanish.test_every_page_in_spanish import addresses

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def walk(viewer, code: str = "") -> list[str]:
    """Open each page, each in a tab of its own (a refused address logs its status to the
    console of the tab it was opened in); return the paths that answered with a page of their
    own (one that sends the person elsewhere, such as to sign in, is checked there)."""
    from playwright.sync_api import Error

    seen = []
    for path in addresses(code):
        page = Page(viewer.context.new_page(), viewer.base_url)
        try:
            response = page.goto_response(path)
        except Error:  # an empty answer (405 to a GET of a POST-only address): no page
            response = None
        if (response is not None and response.status == 200
                and "text/html" in response.headers.get("content-type", "")
                and response.url.startswith(viewer.base_url + path)):  # not sent elsewhere
            assert_accessible(page)
            seen.append(path)
        page.page.close()
    return seen


@pytest.mark.parametrize("viewer", ["page", "phone_page"])
def test_every_public_page(request, viewer):
    page = request.getfixturevalue(viewer)
    seen = walk(page)
    assert "/account/login/" in seen and len(seen) > 6


@pytest.mark.parametrize("viewer", ["page", "phone_page"])
def test_every_page_of_a_patient_who_acts_for_a_child(request, viewer):
    practice = factories.make_practice("Harbor Family Practice")
    mother_chart = factories.make_chart(practice, "Sara", "Nguyen")
    child = factories.make_chart(practice, "Liam", "Nguyen",
                                 date_of_birth=datetime.date(2015, 4, 2))
    mother = factories.make_user("sara-nguyen", first_name="Sara", last_name="Nguyen")
    own = factories.grant(mother, mother_chart)
    factories.grant(mother, child, Relationship.GUARDIAN)
    helper = factories.make_user("tom-helper", first_name="Tom", last_name="Helper")
    factories.grant(helper, mother_chart, Relationship.TRUSTED_REPRESENTATIVE)

    client = Client()
    client.force_login(mother)
    page = request.getfixturevalue(viewer)
    page.context.add_cookies([{
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": page.base_url,
    }])
    seen = walk(page, str(own.code))
    assert {"/", "/activity/", "/account/settings/"} <= set(seen) and len(seen) > 12
