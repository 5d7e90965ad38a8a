"""The console's Portal accesses pages grant, change and revoke through accounts.access_changes,
like every other screen: the same rules, the same audit trail, the chart's status kept right."""

from __future__ import annotations

import pytest

from accounts.models import PortalAccess, Relationship
from portal.models import AuditAction, AuditEvent, PortalStatus
from tests import factories

pytestmark = pytest.mark.django_db

RIGHTS = ["right_health_record", "right_messages", "right_appointments", "right_billing",
          "right_renewals"]


def _change(access) -> str:
    return f"/staff/accounts/portalaccess/{access.pk}/change/"


def _form(access, **changes) -> dict:
    """What the change page posts back, as it was (whichever fields the page shows)."""
    data = {"user": access.user_id, "patient": access.patient_id,
            "relationship": access.relationship, "starts_at_0": "2000-01-01",
            "starts_at_1": "00:00:00", "ends_at_0": "", "ends_at_1": "",
            "revoked_at_0": "", "revoked_at_1": ""}
    data.update({name: "on" for name in RIGHTS if getattr(access, name)})
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_revoking_goes_through_the_revocation_service(client, staff, alice):
    alice.chart.portal_status = PortalStatus.ENROLLED
    alice.chart.save()
    client.force_login(staff)
    # "revoke" is the page's box; revoked_at is what an older page posted.
    response = client.post(_change(alice.access), _form(
        alice.access, revoke="on", revoked_at_0="2026-01-01", revoked_at_1="00:00:00"))
    assert response.status_code == 302, response.content.decode()[-3000:]
    alice.access.refresh_from_db()
    assert alice.access.revoked_at is not None and alice.access.revoked_by == staff
    event = AuditEvent.objects.get(action=AuditAction.ACCESS_REVOKED)
    assert (event.actor, event.subject_user, event.patient) == (staff, alice.user, alice.chart)
    alice.chart.refresh_from_db()
    assert alice.chart.portal_status == PortalStatus.NOT_ENROLLED


def test_changing_rights_goes_through_the_rights_service(client, staff, alice, bob):
    client.force_login(staff)
    response = client.post(_change(bob.access), _form(bob.access, right_billing=None,
                                                      right_renewals=None))
    assert response.status_code == 302, response.content.decode()[-3000:]
    bob.access.refresh_from_db()
    assert [r.value for r in bob.access.rights] == ["health_record", "messages", "appointments"]
    event = AuditEvent.objects.get(action=AuditAction.ACCESS_RIGHTS_CHANGED)
    assert (event.actor, event.subject_user, event.patient) == (staff, bob.user, alice.chart)
    assert event.extra["before"]["rights"] == [
        "health_record", "messages", "appointments", "billing", "renewals"]
    assert event.extra["after"]["rights"] == ["health_record", "messages", "appointments"]


def test_granting_goes_through_the_grant_service(client, staff, practice, charlie):
    chart = factories.make_chart(practice, "Gail", "Grant")
    client.force_login(staff)
    response = client.post("/staff/accounts/portalaccess/add/", {
        "user": charlie.user.pk, "patient": chart.pk, "relationship": Relationship.SELF,
        "starts_at_0": "2020-01-01", "starts_at_1": "00:00:00", "right_messages": "on"})
    assert response.status_code == 302, response.content.decode()[-3000:]
    access = PortalAccess.objects.get(patient=chart)
    assert (access.user, access.granted_by) == (charlie.user, staff)
    assert [r.value for r in access.rights] == ["messages"]
    event = AuditEvent.objects.get(action=AuditAction.ACCESS_GRANTED)
    assert (event.actor, event.subject_user, event.patient) == (staff, charlie.user, chart)
    chart.refresh_from_db()
    assert chart.portal_status == PortalStatus.ENROLLED


def test_a_second_live_access_of_the_same_person_is_refused_next_to_the_field(client, staff,
                                                                            alice):
    client.force_login(staff)
    response = client.post("/staff/accounts/portalaccess/add/", {
        "user": alice.user.pk, "patient": alice.chart.pk, "relationship": Relationship.SELF,
        "starts_at_0": "2020-01-01", "starts_at_1": "00:00:00"})
    assert response.status_code == 200
    assert b"already has access to this chart" in response.content
    assert PortalAccess.objects.filter(patient=alice.chart).count() == 1


def test_a_revoked_access_is_not_brought_back(client, staff, alice, bob):
    bob.access.revoked_at = bob.access.starts_at
    bob.access.save()
    client.force_login(staff)
    client.post(_change(bob.access), _form(bob.access))  # revoked_at left empty
    bob.access.refresh_from_db()
    assert bob.access.revoked_at is not None


def test_an_access_keeps_its_person_chart_and_relationship(client, staff, practice, alice, bob,
                                                           charlie):
    """Moving an access to someone else, another chart or another relationship would bypass
    the grant: revoke it and grant a new one instead."""
    elsewhere = factories.make_chart(practice, "Ed", "Else")
    client.force_login(staff)
    client.post(_change(bob.access), _form(bob.access, user=charlie.user.pk))
    client.post(_change(bob.access), _form(bob.access, patient=elsewhere.pk,
                                           relationship="guardian"))
    bob.access.refresh_from_db()
    assert (bob.access.user, bob.access.patient, bob.access.relationship) == (
        bob.user, alice.chart, Relationship.TRUSTED_REPRESENTATIVE)


def test_no_generic_staff_change_event_hides_the_real_one(client, staff, alice, bob):
    client.force_login(staff)
    client.post(_change(bob.access), _form(bob.access, right_billing=None))
    assert not AuditEvent.objects.filter(action=AuditAction.STAFF_CHANGED).exists()
