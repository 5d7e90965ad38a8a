"""The one door (DESIGN invariant 1): which portal accesses open a patient's data."""

from __future__ import annotations

import datetime

import pytest
from django.http import Http404
from django.test import RequestFactory
from django.utils import timezone

from accounts.access import SESSION_KEY, patient_object_or_404, patient_objects
from accounts.models import Relationship
from enrollment.representatives import representative_invite
from portal.audit import audit_record
from portal.models import AuditAction, AuditEvent, OutboxMessage
from tests import factories
from tests.pages import assert_not_found, assert_page, assert_redirect

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.accounts.door_urls")]


def test_it_serves_the_patient_their_own_data(client, alice):
    client.force_login(alice.user)
    response = client.get("/test/messages/")
    assert response.status_code == 200
    assert response.content.decode() == f"messages of {alice.chart.pk}"


def test_it_requires_sign_in(client, alice):
    response = client.get("/test/messages/")
    assert_redirect(response, "/account/login/?next=/test/messages/")


def test_it_serves_a_proxy_the_patient_they_switched_to(client, alice, bob):
    client.force_login(bob.user)
    assert client.get("/test/messages/").content.decode() == f"messages of {bob.chart.pk}"
    client.post("/account/switch/", {"access": bob.access.code})
    assert client.get("/test/messages/").content.decode() == f"messages of {alice.chart.pk}"


def test_it_opens_the_users_own_record_first(client, alice, bob):
    client.force_login(bob.user)
    client.get("/test/messages/")
    own = bob.user.portal_accesses.get(relationship=Relationship.SELF)
    assert client.session[SESSION_KEY] == own.pk


def test_it_refuses_a_proxy_without_the_areas_right(client, alice, bob):
    bob.access.right_messages = False
    bob.access.save()
    client.force_login(bob.user)
    client.post("/account/switch/", {"access": bob.access.code})
    response = client.get("/test/messages/")
    assert_page(response, "portal/no_right.html", "Messages is not available", status=403)
    denied = AuditEvent.objects.get(action=AuditAction.ACCESS_DENIED)
    assert denied.actor == bob.user
    assert denied.patient == alice.chart


def test_a_rights_change_applies_to_the_very_next_request(client, alice, bob):
    client.force_login(bob.user)
    client.post("/account/switch/", {"access": bob.access.code})
    assert client.get("/test/messages/").content.decode() == f"messages of {alice.chart.pk}"
    bob.access.right_messages = False
    bob.access.save()
    assert_page(client.get("/test/messages/"), "portal/no_right.html",
                "Messages is not available", status=403)


def test_a_revoked_access_is_a_404(client, alice, practice):
    proxy = factories.make_user("former-proxy")
    access = factories.grant(proxy, alice.chart, Relationship.TRUSTED_REPRESENTATIVE)
    client.force_login(proxy)
    assert client.get("/test/messages/").content.decode() == f"messages of {alice.chart.pk}"
    access.revoked_at = timezone.now()
    access.save()
    assert_not_found(client.get("/test/messages/"))
    assert SESSION_KEY not in client.session


def test_an_expired_access_is_a_404(client, alice):
    proxy = factories.make_user("expired-proxy")
    now = timezone.now()
    factories.grant(
        proxy, alice.chart, Relationship.TRUSTED_REPRESENTATIVE,
        starts_at=now - datetime.timedelta(days=30), ends_at=now - datetime.timedelta(seconds=1),
    )
    client.force_login(proxy)
    assert_not_found(client.get("/test/messages/"))


def test_an_access_that_has_not_started_is_a_404(client, alice):
    proxy = factories.make_user("future-proxy")
    factories.grant(proxy, alice.chart, Relationship.TRUSTED_REPRESENTATIVE,
                    starts_at=timezone.now() + datetime.timedelta(days=1))
    client.force_login(proxy)
    assert_not_found(client.get("/test/messages/"))


def test_a_deactivated_user_gets_nothing(client, alice):
    client.force_login(alice.user)
    alice.user.is_active = False
    alice.user.save()
    assert_redirect(client.get("/test/messages/"), "/account/login/?next=/test/messages/")


def test_a_revoked_active_access_falls_back_to_the_users_own_record(client, alice, bob):
    client.force_login(bob.user)
    client.post("/account/switch/", {"access": bob.access.code})
    bob.access.revoked_at = timezone.now()
    bob.access.save()
    assert client.get("/test/messages/").content.decode() == f"messages of {bob.chart.pk}"


def test_an_object_of_the_active_patient_is_served(client, alice):
    client.force_login(alice.user)
    response = client.get(f"/test/access/{alice.access.pk}/")
    assert response.status_code == 200
    assert response.content.decode() == f"access {alice.access.pk} of {alice.chart.pk}"


def test_an_object_of_another_patient_is_a_404(client, alice, charlie):
    client.force_login(charlie.user)
    assert_not_found(client.get(f"/test/access/{alice.access.pk}/"))


def test_a_proxy_gets_404_for_the_objects_of_the_patient_not_open(client, alice, bob):
    client.force_login(bob.user)  # bob's own record is open, not alice's
    assert_not_found(client.get(f"/test/access/{alice.access.pk}/"))


def test_staff_without_a_portal_access_get_404_on_patient_pages(client, alice, staff):
    client.force_login(staff)
    assert_not_found(client.get("/test/messages/"))


def test_the_door_costs_three_queries(client, alice, django_assert_num_queries):
    client.force_login(alice.user)
    client.get("/test/messages/")  # warm the session
    # session, user, accesses (with patient and practice)
    with django_assert_num_queries(3):
        response = client.get("/test/messages/")
    assert response.status_code == 200
    assert response.content.decode() == f"messages of {alice.chart.pk}"


@pytest.fixture
def alices_objects(alice, bob):
    invitation = representative_invite(
        patient=alice.chart, relationship=Relationship.CARE_MANAGER, first_name="Carl",
        last_name="Case", email="carl@example.com", rights=["billing"], ends_at=None,
        invited_by=alice.user)
    event = audit_record(action=AuditAction.CHART_VIEWED, actor=alice.user, patient=alice.chart)
    return {"access": bob.access, "invitation": invitation, "event": event}


@pytest.mark.parametrize("kind", ["access", "invitation", "event"])
def test_each_patient_owned_object_is_served_to_its_patient(client, alices_objects, alice, kind):
    client.force_login(alice.user)
    response = client.get(f"/test/{kind}/{alices_objects[kind].pk}/")
    assert response.content.decode() == f"{kind} {alices_objects[kind].pk} of {alice.chart.pk}"


@pytest.mark.parametrize("kind", ["access", "invitation", "event"])
def test_each_patient_owned_object_of_another_patient_is_a_404(client, alices_objects, charlie,
                                                               kind):
    client.force_login(charlie.user)
    assert client.get(f"/test/{kind}/{alices_objects[kind].pk}/").status_code == 404


def test_the_door_refuses_a_model_that_is_not_patient_owned(client, alice):
    message = OutboxMessage.objects.create(recipient="alice@example.com", template="t",
                                           subject="s", body_text="b")
    client.force_login(alice.user)
    with pytest.raises(TypeError, match="OutboxMessage has no for_patient"):
        client.get(f"/test/outbox/{message.pk}/")


def _request_through(access):
    request = RequestFactory().get("/")
    request.user, request.patient, request.portal_access = access.user, access.patient, access
    return request


def test_objects_and_lists_follow_the_proxy_rules_of_the_access(practice):
    """A guardian of a 14-year-old whose practice keeps adolescents' records confidential sees
    nothing of the record (the Activity log is part of it), and sees it once the practice
    allows guardians that area."""
    today = practice.today()
    teen = factories.make_chart(practice, "Tia", "Young",
                                date_of_birth=today.replace(year=today.year - 14))
    guardian = factories.grant(factories.make_user("gina-young"), teen, Relationship.GUARDIAN)
    event = audit_record(action=AuditAction.CHART_VIEWED, actor=guardian.user, patient=teen)
    practice.adolescent_confidentiality = True
    practice.adolescent_guardian_areas = ["appointments", "billing"]
    practice.save()
    request = _request_through(guardian)
    with pytest.raises(Http404):
        patient_object_or_404(request, AuditEvent, pk=event.pk)
    assert not patient_objects(request, AuditEvent).exists()
    practice.adolescent_guardian_areas = ["appointments", "health_record"]
    practice.save()
    assert patient_object_or_404(request, AuditEvent, pk=event.pk) == event
    assert list(patient_objects(request, AuditEvent)) == [event]
