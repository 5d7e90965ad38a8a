"""Grants, rights changes and revocations (accounts.access_changes): the rules every screen
shares."""

from __future__ import annotations

import pytest

from accounts.access_changes import access_revoke, access_rights_change, portal_access_grant
from accounts.models import Relationship
from portal.models import AuditAction, AuditEvent, PortalStatus
from tests import factories

pytestmark = pytest.mark.django_db


def _enrolled(person):
    person.chart.portal_status = PortalStatus.ENROLLED
    person.chart.save()


def test_revoking_the_patients_own_access_puts_the_chart_back_to_not_enrolled(alice, staff):
    """No account opens the chart any more: staff see "Not enrolled" and may invite again
    (not "Unenrolled", whose Re-activate would find no account to re-activate)."""
    _enrolled(alice)
    access_revoke(access=alice.access, actor=staff)
    alice.chart.refresh_from_db()
    assert alice.chart.portal_status == PortalStatus.NOT_ENROLLED


def test_an_unenrolled_chart_whose_access_is_revoked_is_not_enrolled_either(alice, staff):
    alice.chart.portal_status = PortalStatus.UNENROLLED
    alice.chart.save()
    access_revoke(access=alice.access, actor=staff)
    alice.chart.refresh_from_db()
    assert alice.chart.portal_status == PortalStatus.NOT_ENROLLED


def test_the_chart_stays_enrolled_while_another_own_access_is_live(alice, staff):
    _enrolled(alice)
    second = factories.make_user("alice-second")
    factories.grant(second, alice.chart)
    access_revoke(access=alice.access, actor=staff)
    alice.chart.refresh_from_db()
    assert alice.chart.portal_status == PortalStatus.ENROLLED


def test_revoking_a_representative_leaves_the_patients_status_alone(alice, bob):
    _enrolled(alice)
    access_revoke(access=bob.access, actor=alice.user)
    alice.chart.refresh_from_db()
    assert alice.chart.portal_status == PortalStatus.ENROLLED


def test_every_change_is_audited_about_the_person_who_has_the_access(alice, bob, staff,
                                                                     charlie):
    access_rights_change(access=bob.access, rights=["messages"], ends_at=None, actor=staff)
    access_revoke(access=bob.access, actor=staff)
    granted = portal_access_grant(user=charlie.user, patient=alice.chart,
                                  relationship=Relationship.CARE_MANAGER, granted_by=staff)
    events = {e.action: e for e in AuditEvent.objects.filter(patient=alice.chart)}
    assert events[AuditAction.ACCESS_RIGHTS_CHANGED].subject_user == bob.user
    assert events[AuditAction.ACCESS_REVOKED].subject_user == bob.user
    assert events[AuditAction.ACCESS_GRANTED].subject_user == charlie.user
    assert events[AuditAction.ACCESS_GRANTED].object_id == str(granted.pk)
    assert {e.actor for e in events.values()} == {staff}
