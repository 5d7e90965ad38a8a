"""Every page of the portal in Spanish (issue 10, item 15): each address the URL configuration
has, opened by someone who chose Spanish — signed out, as a patient, as a guardian — and posted
empty (so the error messages show), has no English left on it.

The addresses come from the URL configuration, so a new page joins by itself. Addresses that
need an argument get the open patient's access code when they take one (the patient pages) and
a made-up token otherwise (the page then says the link cannot be used — in Spanish too).
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from accounts.models import Relationship
from portal.catalogs import catalogs_compile
from tests import factories
from tests.i18n import english_sentences

pytestmark = pytest.mark.django_db

# Not for patients or the public: the staff console (its own test), the development outbox
# (shows stored messages as sent), and addresses that answer with no page.
SKIPPED_PREFIXES = ("staff/", "dev/", "healthz", "favicon.ico", "static/")


@pytest.fixture(autouse=True)
def spanish_catalog(settings):
    catalogs_compile()
    settings.LOCALE_PATHS = list(settings.LOCALE_PATHS)  # empties Django's catalog cache


def addresses(code: str) -> list[str]:
    """A path for every address, its arguments filled in."""
    def walk(resolver: URLResolver, namespace: str) -> Iterator[tuple[str, URLPattern]]:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry, namespace + (f"{entry.namespace}:" if entry.namespace
                                                    else ""))
            elif isinstance(entry, URLPattern) and entry.name:
                yield namespace + entry.name, entry

    paths = []
    for label, pattern in walk(get_resolver(), ""):
        converters = getattr(pattern.pattern, "converters", {})
        kwargs = {}
        for name in pattern.pattern.regex.groupindex:
            converter = type(converters.get(name)).__name__
            kwargs[name] = (code or str(uuid.uuid4()) if converter == "UUIDConverter"
                            else "1" if converter == "IntConverter" else "x1")
        try:
            path = reverse(label, kwargs=kwargs)
        except NoReverseMatch:
            continue
        if not path.lstrip("/").startswith(SKIPPED_PREFIXES):
            paths.append(path)
    return paths


def english_on_every_page(client: Client, code: str = "", user=None) -> dict[str, list[str]]:
    """Each page's English, by method and path. Signed in again before each request, as an
    empty post may sign out (Sign out) or end the session (Sign out of all other devices)."""
    found: dict[str, list[str]] = {}
    paths = addresses(code)
    assert len(paths) > 40
    for path in paths:
        for method in ("get", "post"):
            if user is not None:
                user.refresh_from_db()
                client.force_login(user)
            response = getattr(client, method)(path)
            if response.status_code != 200 or "text/html" not in response["Content-Type"]:
                continue
            english = english_sentences(response.content.decode())
            if english:
                found[f"{method.upper()} {path}"] = english
    return found


def test_signed_out_pages(client):
    client.cookies["portal_language"] = "es"
    assert english_on_every_page(client) == {}


def test_a_patients_pages(client, alice):
    alice.user.language = "es"
    alice.user.save()
    assert english_on_every_page(client, str(alice.access.code), alice.user) == {}


def test_a_guardians_pages(client, practice):
    child = factories.make_chart(practice, "Mateo", "Núñez",
                                 date_of_birth=datetime.date(2016, 5, 9))
    mother = factories.make_user("sara-nunez", first_name="Sara", last_name="Núñez",
                                 language="es")
    access = factories.grant(mother, child, Relationship.GUARDIAN)
    assert english_on_every_page(client, str(access.code), mother) == {}


def test_the_walk_finds_english(client, alice):
    """The same walk in English finds English on the pages (so the checks above can fail)."""
    found = english_on_every_page(client, str(alice.access.code), alice.user)
    assert "GET /" in found
    assert len(found) > 5
