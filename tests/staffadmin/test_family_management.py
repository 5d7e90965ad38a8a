"""Family Management on the staff patient page (SPEC P8): who is linked, Edit Access Rights and
Revoke, scoped to the staff member's practice."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from accounts.models import Relationship, StaffRole
from enrollment.representatives import representative_invite
from portal.models import AuditAction, AuditEvent
from tests import factories
from tests.pages import assert_not_found, assert_page, assert_redirect, assert_refused

pytestmark = pytest.mark.django_db

FAMILY_VIEW = "admin:portal_patientchart_family"
EDIT_VIEW = "admin:portal_patientchart_family_edit_rights"
REVOKE_VIEW = "admin:portal_patientchart_family_revoke"


# One helper per kind of address, from the objects' own fields.
def _family(chart) -> str:
    return reverse(FAMILY_VIEW, args=[chart.pk])


def _edit(chart, access) -> str:
    return reverse(EDIT_VIEW, args=[chart.pk, access.code])


def _revoke(chart, access) -> str:
    return reverse(REVOKE_VIEW, args=[chart.pk, access.code])


def family_page(response) -> str:
    return assert_page(response, "staffadmin/family_management/index.html",
                       "Guardians and trusted representatives")


def _future(practice, days: int = 20) -> str:
    return (practice.today() + datetime.timedelta(days=days)).isoformat()


@pytest.fixture
def billing_staff(practice):
    return factories.make_staff("billing-harbor", practice, role=StaffRole.BILLING)


def test_the_change_page_links_to_family_management(client, staff, alice):
    client.force_login(staff)
    body = client.get(f"/staff/portal/patientchart/{alice.chart.pk}/change/").content.decode()
    assert f'href="{_family(alice.chart)}"' in body


def test_it_lists_representatives_invitations_and_dependents(client, staff, practice, alice, bob):
    kid = factories.make_chart(practice, "Kit", "Archer", date_of_birth=datetime.date(2016, 2, 2),
                               guarantor=alice.chart)
    factories.grant(alice.user, factories.make_chart(
        practice, "Max", "Archer", date_of_birth=datetime.date(2014, 5, 5)), Relationship.GUARDIAN)
    representative_invite(patient=alice.chart, relationship=Relationship.CARE_MANAGER,
                          first_name="Carl", last_name="Case", email="carl@example.com",
                          rights=["billing"], ends_at=None, invited_by=alice.user)
    client.force_login(staff)
    body = family_page(client.get(_family(alice.chart)))
    assert "bob-baker" in body and "Trusted representative" in body
    assert "Health record, Messages, Appointments, Billing, Medication renewals" in body
    assert _edit(alice.chart, bob.access) in body and _revoke(alice.chart, bob.access) in body
    assert "Carl Case" in body and "Care manager" in body
    assert "Max Archer" in body and "This patient is their guardian" in body
    assert kid.full_name in body and "This patient is their guarantor" in body
    assert "alice-archer" not in body  # her own access is not a representative
    bobs = client.get(_family(bob.chart)).content.decode()
    assert "Alice Archer" in bobs and "This patient is their trusted representative" in bobs


def test_it_edits_access_rights_and_audits(client, staff, alice, bob):
    client.force_login(staff)
    assert b'value="billing"' in client.get(_edit(alice.chart, bob.access)).content
    ends_on = _future(alice.chart.practice)
    response = client.post(_edit(alice.chart, bob.access),
                           {"rights": ["health_record", "renewals"], "ends_on": ends_on})
    assert response.status_code == 302 and response.url == _family(alice.chart)
    bob.access.refresh_from_db()
    assert [r.value for r in bob.access.rights] == ["health_record", "renewals"]
    assert bob.access.ends_at.astimezone(alice.chart.practice.tzinfo).date().isoformat() == ends_on
    event = AuditEvent.objects.get(action=AuditAction.ACCESS_RIGHTS_CHANGED)
    assert (event.actor, event.subject_user, event.patient, event.object_id) == (
        staff, bob.user, alice.chart, str(bob.access.pk))


def test_it_refuses_an_end_date_in_the_past(client, staff, alice, bob):
    client.force_login(staff)
    response = client.post(_edit(alice.chart, bob.access),
                           {"rights": ["messages"], "ends_on": _future(alice.chart.practice, -3)})
    assert_page(response, "staffadmin/family_management/edit_rights.html",
                "The end date must be in the future.")
    bob.access.refresh_from_db()
    assert bob.access.ends_at is None and bob.access.right_billing


def test_it_revokes_and_audits(client, staff, alice, bob):
    client.force_login(staff)
    assert_refused(client.get(_revoke(alice.chart, bob.access)), 405, REVOKE_VIEW)
    assert_redirect(client.post(_revoke(alice.chart, bob.access)), _family(alice.chart))
    bob.access.refresh_from_db()
    assert bob.access.revoked_at is not None and bob.access.revoked_by == staff
    event = AuditEvent.objects.get(action=AuditAction.ACCESS_REVOKED)
    assert (event.actor, event.subject_user, event.patient) == (staff, bob.user, alice.chart)
    assert _revoke(alice.chart, bob.access) not in family_page(client.get(_family(alice.chart)))


def test_an_access_of_another_chart_is_a_404(client, staff, alice, bob, charlie):
    client.force_login(staff)
    for access in (charlie.access, alice.access, bob.access):  # bob's is to alice, not charlie
        assert_not_found(client.post(_revoke(charlie.chart, access)), REVOKE_VIEW)
        assert_not_found(client.get(_edit(charlie.chart, access)), EDIT_VIEW)
    assert_not_found(client.post(_revoke(alice.chart, alice.access)), REVOKE_VIEW)  # her own
    bob.access.refresh_from_db()
    assert bob.access.is_current() and alice.access.is_current()


def test_an_integer_id_in_the_urls_is_a_404(client, staff, alice, bob):
    client.force_login(staff)
    # No family route takes it: the admin's catch-all sends it on to a change page that is not.
    for method in (client.get, client.post):
        for action in ("rights", "revoke"):
            url = f"{_family(alice.chart)}{bob.access.pk}/{action}/"
            assert method(url, follow=True).status_code == 404, url
    bob.access.refresh_from_db()
    assert bob.access.is_current()


def test_other_practice_staff_get_404(client, other_staff, alice, bob):
    client.force_login(other_staff)
    assert_not_found(client.get(_family(alice.chart)), FAMILY_VIEW)
    assert_not_found(client.get(_edit(alice.chart, bob.access)), EDIT_VIEW)
    assert_not_found(client.post(_edit(alice.chart, bob.access), {"rights": ["messages"]}),
                     EDIT_VIEW)
    assert_not_found(client.post(_revoke(alice.chart, bob.access)), REVOKE_VIEW)
    bob.access.refresh_from_db()
    assert bob.access.is_current() and bob.access.right_billing


def test_billing_staff_may_look_but_not_change(client, billing_staff, alice, bob):
    client.force_login(billing_staff)
    body = family_page(client.get(_family(alice.chart)))
    assert "bob-baker" in body and _revoke(alice.chart, bob.access) not in body
    assert_refused(client.get(_edit(alice.chart, bob.access)), 403, EDIT_VIEW)
    assert_refused(client.post(_edit(alice.chart, bob.access), {"rights": ["messages"]}), 403,
                   EDIT_VIEW)
    assert_refused(client.post(_revoke(alice.chart, bob.access)), 403, REVOKE_VIEW)
    bob.access.refresh_from_db()
    assert bob.access.is_current() and bob.access.right_billing
    assert not AuditEvent.objects.filter(action__in=[AuditAction.ACCESS_REVOKED,
                                                     AuditAction.ACCESS_RIGHTS_CHANGED]).exists()
