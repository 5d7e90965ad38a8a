"""Issue 10, items 14 and 15: a person whose language is Spanish reads no English on the pages of
the portal's frame — home (as the patient and as a guardian), Activity, Switch patient and the
error pages — header, menu, banner, footer and time-out warning included.

The catalog is compiled from locale/es/LC_MESSAGES/django.po first (portal.catalogs), as `make
test` does, and Django's cache of catalogs is emptied so that the compiled one is read.
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.utils import translation

from accounts.models import Relationship
from portal.audit import audit_record
from portal.catalogs import catalogs_compile
from portal.models import AuditAction
from tests import factories
from tests.i18n import english_sentences
from tests.pages import assert_page

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def spanish_catalog(settings):
    catalogs_compile()
    # Any change of LOCALE_PATHS empties Django's cache of loaded catalogs.
    settings.LOCALE_PATHS = list(settings.LOCALE_PATHS)


def spanish(user):
    user.language = "es"
    user.save()
    return user


def assert_spanish(body: str) -> None:
    assert '<html lang="es">' in body
    assert english_sentences(body) == []


@pytest.fixture
def family(practice, staff):
    """A mother (own record) with a son at the practice, both through her one login."""
    practice.phone = "+16175550100"
    practice.address = "200 Harbor Street, Cambridge, MA 02139"
    practice.save()
    mother_chart = factories.make_chart(practice, "Sara", "Núñez", address_line1="42 Maple Ave",
                                        city="Medford", state="MA")
    son = factories.make_chart(practice, "Mateo", "Núñez",
                               date_of_birth=datetime.date(2016, 5, 9))
    mother = spanish(factories.make_user("sara-nunez", first_name="Sara", last_name="Núñez"))
    factories.grant(mother, mother_chart)
    factories.grant(mother, son, Relationship.GUARDIAN)
    return mother, mother_chart, son


def test_home_as_the_patient(client, alice):
    spanish(alice.user)
    client.force_login(alice.user)
    body = assert_page(client.get("/"), "portal/home.html")
    assert_spanish(body)


def test_home_activity_and_switching_as_a_guardian(client, family, staff):
    mother, _, son = family
    other_guardian = factories.make_user("pablo", first_name="Pablo", last_name="Núñez")
    factories.grant(other_guardian, son, Relationship.GUARDIAN)
    client.force_login(mother)
    assert_spanish(assert_page(client.get("/"), "portal/home.html"))
    assert_spanish(assert_page(client.get("/account/switch/"), "accounts/switch_patient.html"))
    client.post("/account/switch/", {"access": mother.portal_accesses.get(patient=son).code})
    home = assert_page(client.get("/"), "portal/home.html", "Mateo Núñez")
    assert_spanish(home)
    for _ in range(2):
        client.get("/")
    audit_record(action=AuditAction.STAFF_VIEWED, actor=staff, patient=son)
    audit_record(action=AuditAction.CHART_VIEWED, actor=other_guardian, patient=son)
    audit_record(action=AuditAction.INVITATION_EXPIRED, patient=son)
    audit_record(action=AuditAction.ACCESS_RIGHTS_CHANGED, actor=other_guardian,
                 subject_user=mother, patient=son)
    activity = assert_page(client.get("/activity/"), "records/activity.html")
    assert "(3 veces)" in activity  # the repeats of one sign-in
    assert_spanish(activity)


def test_activity_as_the_patient(client, alice, bob, staff):
    spanish(alice.user)
    audit_record(action=AuditAction.CHART_VIEWED, actor=bob.user, patient=alice.chart)
    audit_record(action=AuditAction.STAFF_CHANGED, actor=staff, patient=alice.chart)
    client.force_login(alice.user)
    client.get("/")
    assert_spanish(assert_page(client.get("/activity/"), "records/activity.html"))


def test_page_not_found(client, alice):
    spanish(alice.user)
    client.force_login(alice.user)
    assert_spanish(assert_page(client.get("/no-such-page/"), "404.html", status=404))


def test_a_form_without_its_security_token(alice):
    spanish(alice.user)
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice.user)
    response = client.post("/account/switch/", {"access": alice.access.code})
    assert_spanish(assert_page(response, "403_csrf.html", status=403))


def request_as(user):
    request = RequestFactory().get("/")
    request.user = user
    request.session = SessionStore()
    request.LANGUAGE_CODE = "es"
    return request


@pytest.mark.parametrize("template", ["403.html", "404.html", "429.html"])
def test_the_error_pages(template, alice):
    with translation.override("es"):
        assert_spanish(render_to_string(template, request=request_as(alice.user)))
        assert_spanish(render_to_string(template, request=request_as(AnonymousUser())))


def test_the_server_error_page_needs_no_context():
    with translation.override("es"):
        assert_spanish(render_to_string("500.html"))


def test_the_same_pages_in_english_are_flagged(client, alice):
    """The check can fail: the English pages it is given are full of English."""
    client.force_login(alice.user)
    body = client.get("/").content.decode()
    found = english_sentences(body)
    assert "Skip to main content" in found
    assert "In an emergency, call 911. Do not use the portal for urgent medical needs." in found
    assert any("You are viewing your own record" in sentence for sentence in found)
    with translation.override("en"):
        assert english_sentences(render_to_string("500.html"))
