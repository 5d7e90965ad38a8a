"""SPEC R8 / P5: the patient sees who acted on their record, and for whom."""

from __future__ import annotations

import pytest

from portal.audit import audit_record
from portal.models import AuditAction
from tests import factories
from tests.pages import assert_not_found, assert_page

pytestmark = pytest.mark.django_db


def test_the_patient_sees_themself_their_representative_and_staff(client, alice, bob, staff):
    bob.user.first_name, bob.user.last_name = "Bob", "Baker"
    bob.user.save()
    staff.first_name, staff.last_name = "Sam", "Staff"
    staff.save()
    audit_record(action=AuditAction.CHART_VIEWED, actor=bob.user, patient=alice.chart)
    audit_record(action=AuditAction.STAFF_CHANGED, actor=staff, patient=alice.chart)
    client.force_login(alice.user)
    body = assert_page(client.get("/activity/"), "records/activity.html")
    assert "Bob Baker (trusted representative)" in body
    assert "Sam Staff, staff of Harbor Family Practice" in body
    assert "Viewed the chart summary" in body


def test_only_the_patient_themself_sees_it(client, alice, bob, charlie):
    audit_record(action=AuditAction.CHART_VIEWED, actor=alice.user, patient=alice.chart)
    client.force_login(bob.user)
    client.post("/account/switch/", {"access": bob.access.code})
    assert_not_found(client.get("/activity/"), "activity")
    client.force_login(charlie.user)
    audit_record(action=AuditAction.CHART_VIEWED, actor=charlie.user, patient=charlie.chart)
    body = assert_page(client.get("/activity/"), "records/activity.html",
                       "Viewed the chart summary")
    assert "Alice" not in body


def test_the_page_costs_a_fixed_number_of_queries(client, alice, practice,
                                                  django_assert_max_num_queries):
    for n in range(30):
        helper = factories.make_user(f"helper-{n}")
        factories.grant(helper, alice.chart, "representative")
        audit_record(action=AuditAction.CHART_VIEWED, actor=helper, patient=alice.chart)
    client.force_login(alice.user)
    client.get("/activity/")
    with django_assert_max_num_queries(10):
        response = client.get("/activity/")
    assert_page(response, "records/activity.html", "helper-29")


def test_the_list_comes_through_for_patient(client, alice, monkeypatch):
    from portal.models import AuditEvent
    from portal.models.patient_owned import PatientOwnedQuerySet

    calls = []
    original = PatientOwnedQuerySet.for_patient

    def spy(queryset, patient, access):
        calls.append((queryset.model, patient.pk, access.pk))
        return original(queryset, patient, access)

    monkeypatch.setattr(PatientOwnedQuerySet, "for_patient", spy)
    audit_record(action=AuditAction.CHART_VIEWED, actor=alice.user, patient=alice.chart)
    client.force_login(alice.user)
    assert "Viewed the chart summary" in client.get("/activity/").content.decode()
    assert calls == [(AuditEvent, alice.chart.pk, alice.access.pk)]


def test_it_says_whose_access_an_event_concerned(client, alice, bob):
    from accounts.access_changes import access_rights_change

    bob.user.first_name, bob.user.last_name = "Bob", "Baker"
    bob.user.save()
    access_rights_change(access=bob.access, rights=["messages"], ends_at=None, actor=alice.user)
    client.force_login(alice.user)
    body = client.get("/activity/").content.decode()
    assert "<td>You</td><td>Access rights changed: Bob Baker</td>" in body
