"""Denied attempts are audited (DESIGN invariant 5): the door's 404s — a signed-in person with no
access to any record, or asking for an object that is not the open patient's — and refusals
for too many attempts, allauth's 429 page and the portal's own "Too many attempts". Only those:
an address that matches no page, or an anonymous visitor sent to sign in, writes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.models import AuditAction, AuditEvent
from tests import factories
from tests.accounts.recovery_support import verify_email
from tests.pages import assert_not_found, assert_page, assert_redirect

pytestmark = pytest.mark.django_db


def events(action: AuditAction):
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def test_a_signed_in_person_without_any_access_is_a_404_and_audited(client):
    nobody = factories.make_user("no-record")
    client.force_login(nobody)
    assert_not_found(client.get("/activity/"), "activity")
    [event] = events(AuditAction.ACCESS_NOT_FOUND)
    assert (event.actor, event.patient) == (nobody, None)
    assert event.extra == {"where": "door", "reason": "no_access", "page": "activity"}


def test_a_representative_on_a_page_for_the_patient_only_is_audited(client, alice, bob):
    client.force_login(bob.user)
    client.post("/account/switch/", {"access": bob.access.code})  # acting for alice
    assert_not_found(client.get("/account/representatives/"), "representatives")
    [event] = events(AuditAction.ACCESS_NOT_FOUND)
    assert (event.actor, event.patient) == (bob.user, None)  # not in alice's activity log
    assert event.practice == alice.chart.practice
    assert event.extra == {"where": "door", "reason": "not_own_record", "page": "representatives"}


def test_asking_for_another_patients_object_is_audited(client, alice, bob, charlie):
    client.force_login(charlie.user)
    url = reverse("representative_edit_rights", args=[bob.access.code])  # alice's representative
    assert_not_found(client.get(url), "representative_edit_rights")
    [event] = events(AuditAction.ACCESS_NOT_FOUND)
    assert (event.actor, event.patient) == (charlie.user, None)
    assert event.extra == {"where": "door", "reason": "object", "model": "accounts.portalaccess",
                           "page": "representative_edit_rights"}


def test_switching_to_someone_elses_record_is_audited(client, alice, charlie):
    client.force_login(charlie.user)
    assert_not_found(client.post("/account/switch/", {"access": alice.access.code}),
                     "switch_patient")
    [event] = events(AuditAction.ACCESS_NOT_FOUND)
    assert event.extra == {"where": "door", "reason": "switch", "page": "switch_patient"}


def test_other_404s_and_anonymous_visitors_are_not_audited(client, alice):
    assert_redirect(client.get("/activity/"), "/account/login/?next=/activity/")
    client.force_login(alice.user)
    assert client.get("/no-such-page/").status_code == 404
    assert events(AuditAction.ACCESS_NOT_FOUND) == []


def test_allauths_too_many_requests_page_is_audited(client, alice):
    verify_email(alice.user, "alice@example.com")
    for _ in range(3):
        client.post("/account/password/reset/", {"email": "alice@example.com"})
    refused = client.post("/account/password/reset/", {"email": "alice@example.com"})
    assert_page(refused, "429.html", "Too many attempts", status=429)
    [event] = events(AuditAction.RATE_LIMITED)
    assert event.actor is None and event.ip_address == "127.0.0.1"
    assert event.extra == {"page": "account_reset_password"}


def test_a_429_for_a_signed_in_person_names_them(client, alice):
    client.force_login(alice.user)
    for _ in range(30):
        client.post("/account/reauthenticate/", {"password": "wrong"})
    refused = [client.post("/account/reauthenticate/", {"password": "wrong"})
               for _ in range(3)]
    assert 429 in [r.status_code for r in refused]
    assert {e.actor for e in events(AuditAction.RATE_LIMITED)} == {alice.user}


def test_the_portals_own_too_many_attempts_is_audited(client):
    for _ in range(3):
        client.post("/account/recovery/username/", {"email": "someone@example.com"})
    refused = client.post("/account/recovery/username/", {"email": "someone@example.com"})
    assert_page(refused, "accounts/recovery/forgot_username.html", "Too many attempts")
    [event] = events(AuditAction.RATE_LIMITED)
    assert event.extra == {"limit": "username_reminder", "page": "recovery:forgot_username"}
    assert "someone" not in str(event.extra)
