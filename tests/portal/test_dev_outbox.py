from __future__ import annotations

import pytest

from portal.outbox import outbox_email, outbox_text
from tests.pages import assert_not_found, assert_page

pytestmark = pytest.mark.django_db


def test_it_is_a_404_without_debug(client, settings):
    outbox_email(to="first@example.com", template="test-message", context={})
    settings.DEBUG = False
    response = client.get("/dev/outbox/")
    assert_not_found(response, "dev_outbox")
    assert "first@example.com" not in response.content.decode()


def test_it_lists_every_message_in_full_newest_first(client, settings):
    settings.DEBUG = True
    outbox_email(to="first@example.com", template="test-message", context={})
    outbox_text(to="+16175550123", template="test-message", context={})
    body = assert_page(client.get("/dev/outbox/"), "portal/dev_outbox.html")
    assert body.index("+16175550123") < body.index("first@example.com")
    assert "If you received it, email delivery works." in body
    assert "text delivery works" in body
