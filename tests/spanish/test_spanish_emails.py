"""One email (and text) per template in Spanish (issue 10, item 15): rendered for a recipient
whose language is Spanish, none has English left — in either branch of its conditions.

Every variable a template uses gets a sample value; a new variable needs no change here. The
samples carry no English word, so any English found comes from the template itself.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from portal.models import OutboxMessage
from portal.outbox import outbox_email, outbox_text
from tests.i18n import english_sentences, english_words

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
EMAILS = sorted(p.name.removesuffix("-subject.txt")
                for p in (TEMPLATES / "emails").glob("*-subject.txt"))
TEXTS = sorted(p.stem for p in (TEMPLATES / "texts").glob("*.txt"))
ALLAUTH_EMAILS = sorted(str(p.relative_to(TEMPLATES))
                        for p in (TEMPLATES / "account" / "email").glob("*_*.txt"))

VARIABLE = re.compile(r"\{\{\s*([a-z_][a-z0-9_]*)|"
                      r"\{%\s*(?:if|elif|with|firstof|timezone)\s+(?:not\s+)?([a-z_][a-z0-9_]*)|"
                      r"\{%\s*for\s+[a-z_, ]+\s+in\s+([a-z_][a-z0-9_]*)")
LOOPED = re.compile(r"\{%\s*for\s+[a-z_, ]+\s+in\s+([a-z_][a-z0-9_]*)")


class Sample(str):
    """A name that is no English word, with any attribute (``practice.phone``)."""

    def __new__(cls, text: str = "Rivera") -> Sample:
        return super().__new__(cls, text)

    def __getattr__(self, name: str) -> Sample:
        if name.startswith("_"):
            raise AttributeError(name)
        return Sample()


def _sources(*names: str) -> str:
    text = ""
    for name in names:
        path = TEMPLATES / name
        text += path.read_text() if path.exists() else ""
    # Included and extended templates use the same context.
    for included in re.findall(r"\{%\s*(?:include|extends)\s+\"([^\"]+)\"", text):
        text += (TEMPLATES / included).read_text()
    return text


def _context(source: str, *, truthy: bool) -> dict[str, object]:
    names = {n for groups in VARIABLE.findall(source) for n in groups if n}
    looped = set(LOOPED.findall(source))
    context: dict[str, object] = {}
    for name in names - {"site_url"}:
        if name in looped:
            context[name] = [Sample(), Sample("Nguyen")] if truthy else []
        elif "time_zone" in name:
            context[name] = "America/Chicago"
        elif name.endswith("_at") or "date" in name:
            context[name] = timezone.now() + datetime.timedelta(days=5) if truthy else None
        elif name in {"code"}:
            context[name] = "123456"
        elif name in {"minutes", "days", "count"}:
            context[name] = 10 if truthy else 1
        else:
            context[name] = Sample() if truthy else ""
    return context


URL = re.compile(r"https?://\S+")


def _english(text: str) -> list[str]:
    """The lines of a plain-text message with English in them (addresses are no words)."""
    return [line for line in text.splitlines() if english_words(URL.sub("", line))]


@pytest.mark.parametrize("truthy", [True, False], ids=["with-everything", "with-nothing"])
@pytest.mark.parametrize("template", EMAILS)
def test_every_email_reads_in_spanish(template: str, truthy: bool) -> None:
    source = _sources(f"emails/{template}-subject.txt", f"emails/{template}-body.txt",
                      f"emails/{template}-body.html")
    message = outbox_email(to="paciente@example.com", template=template,
                           context=_context(source, truthy=truthy), language="es")
    assert _english(message.subject) == []
    assert _english(message.body_text) == []
    assert english_sentences(message.body_html) == []
    assert 'lang="es"' in message.body_html


@pytest.mark.parametrize("truthy", [True, False], ids=["with-everything", "with-nothing"])
@pytest.mark.parametrize("template", TEXTS)
def test_every_text_message_reads_in_spanish(template: str, truthy: bool) -> None:
    source = _sources(f"texts/{template}.txt")
    message = outbox_text(to="+16175550123", template=template,
                          context=_context(source, truthy=truthy), language="es")
    assert message.body_text
    assert _english(message.body_text) == []


@pytest.mark.parametrize("template", ALLAUTH_EMAILS)
def test_the_emails_allauth_sends_read_in_spanish(template: str) -> None:
    source = _sources(template)
    with translation.override("es"):
        text = render_to_string(template, _context(source, truthy=True))
    assert _english(text) == []


def test_the_check_finds_an_english_email() -> None:
    """The same check on the English rendering finds English (so it can fail)."""
    template = EMAILS[0]
    source = _sources(f"emails/{template}-body.txt")
    message = outbox_email(to="patient@example.com", template=template,
                           context=_context(source, truthy=True), language="en")
    assert _english(message.body_text)
    assert OutboxMessage.objects.count() == 1
