"""Plain-text emails and texts show names as typed: HTML escaping belongs to the HTML body only
(O'Connor, not O&#x27;Connor). Every plain-text template turns it off."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from portal.outbox import outbox_email, outbox_text

pytestmark = pytest.mark.django_db

NAME = "Zoë O'Connor & <Sons>"
ESCAPED = "Zoë O&#x27;Connor &amp; &lt;Sons&gt;"
TEMPLATES = Path(settings.BASE_DIR) / "templates"


def invitation_context() -> dict:
    return {"practice_name": NAME, "first_name": NAME, "url": "https://portal.example/x/",
            "expires_at": timezone.now() + datetime.timedelta(days=5),
            "practice_time_zone": "America/New_York", "as_proxy": True,
            "relationship": "trusted representative"}


def test_an_emails_subject_and_text_body_keep_the_name_as_typed_and_the_html_escapes_it():
    message = outbox_email(to="pat@example.com", template="invitation",
                           context=invitation_context())
    assert message.subject == f"Your invitation to the {NAME} patient portal"
    assert message.body_text.startswith(f"Hello {NAME},\n")
    assert f"{NAME} invites you to its patient portal as the trusted representative" in (
        message.body_text)
    assert "&#x27;" not in message.body_text and "&amp;" not in message.body_text
    assert f"Hello {ESCAPED}," in message.body_html and "<Sons>" not in message.body_html


def test_a_reason_typed_by_staff_reads_as_typed():
    message = outbox_email(to="pat@example.com", template="enrollment-rejected", context={
        "practice_name": NAME, "first_name": "Nora", "practice_phone": "",
        "reason": "We couldn't match you & your ZIP <02139>."})
    assert "We couldn't match you & your ZIP <02139>." in message.body_text
    assert "We couldn&#x27;t match you &amp; your ZIP &lt;02139&gt;." in message.body_html


def test_a_text_message_keeps_the_name_as_typed():
    message = outbox_text(to="+16175550123", template="invitation",
                          context=invitation_context())
    assert message.body_text.startswith(f"{NAME} invites you")


@pytest.mark.parametrize("path", sorted(
    str(p.relative_to(TEMPLATES)) for folder in ("emails", "texts")
    for p in (TEMPLATES / folder).glob("*.txt")))
def test_every_plain_text_template_turns_escaping_off(path):
    source = (TEMPLATES / path).read_text()
    assert source.startswith("{% autoescape off %}"), path
    assert source.rstrip().endswith("{% endautoescape %}"), path
