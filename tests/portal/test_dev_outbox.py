from __future__ import annotations

import pytest

from portal.outbox import outbox_email, outbox_text

pytestmark = pytest.mark.django_db


def test_it_is_a_404_without_debug(client, settings):
    settings.DEBUG = False
    assert client.get("/dev/outbox/").status_code == 404


def test_it_lists_every_message_in_full_newest_first(client, settings):
    settings.DEBUG = True
    outbox_email(to="first@example.com", template="test-message", context={})
    outbox_text(to="+16175550123", template="test-message", context={})
    body = client.get("/dev/outbox/").content.decode()
    assert body.index("+16175550123") < body.index("first@example.com")
    assert "If you received it, email delivery works." in body
    assert "text delivery works" in body
