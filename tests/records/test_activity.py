"""SPEC R8 / P5, ONC § 170.315(e)(1): the activity log of a record — who did what, and for whom —
in plain words, repeats within one sign-in shown once with how many times; the patient sees it,
and so do their guardians and representatives whose access opens the health record."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Relationship
from portal.audit import audit_record
from portal.models import AuditAction, AuditEvent
from records.activity import ACTION_WORDS, action_words
from tests import factories
from tests.pages import assert_not_found, assert_page, assert_refused

pytestmark = pytest.mark.django_db

SUMMARY = "Viewed the summary of the record"


def rows(body: str) -> list[list[str]]:
    """The table's rows, each cell's text with tags dropped and spaces squeezed."""
    table = body.split("<tbody>")[1].split("</tbody>")[0]
    return [[" ".join(re.sub(r"<[^>]+>", " ", cell).split())
             for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)]


def activity(client) -> list[list[str]]:
    return rows(assert_page(client.get("/activity/"), "records/activity.html"))


def named(user, first, last):
    user.first_name, user.last_name = first, last
    user.save()
    return user


def test_it_names_you_the_representative_and_staff_in_plain_words(client, alice, bob, staff):
    named(bob.user, "Bob", "Baker")
    named(staff, "Sam", "Staff")
    audit_record(action=AuditAction.CHART_VIEWED, actor=bob.user, patient=alice.chart)
    audit_record(action=AuditAction.STAFF_CHANGED, actor=staff, patient=alice.chart)
    client.force_login(alice.user)
    client.get("/")
    whos_and_whats = [row[1:] for row in activity(client)]
    assert whos_and_whats == [
        ["You", SUMMARY],
        ["Sam Staff, staff of Harbor Family Practice", "Changed the record"],
        ["Bob Baker (trusted representative)", SUMMARY],
    ]


def test_repeats_within_a_sign_in_are_one_line_with_how_many_times(client, alice):
    client.force_login(alice.user)
    for _ in range(3):
        client.get("/")
    client.force_login(alice.user)  # a new sign-in
    client.get("/")
    assert [row[1:] for row in activity(client)] == [
        ["You", SUMMARY],
        ["You", f"{SUMMARY} (3 times)"],
    ]
    # The trail itself keeps every view, for the staff console's audit log.
    assert AuditEvent.objects.filter(action=AuditAction.CHART_VIEWED).count() == 4


def test_different_people_and_actions_stay_apart_within_a_sign_in(client, alice, bob):
    named(bob.user, "Bob", "Baker")
    client.force_login(alice.user)
    client.get("/")
    audit_record(action=AuditAction.CHART_VIEWED, actor=bob.user, patient=alice.chart)
    audit_record(action=AuditAction.REPRESENTATIVE_INVITED, actor=alice.user,
                 patient=alice.chart)
    client.get("/")
    audit_record(action=AuditAction.REPRESENTATIVE_INVITED, actor=alice.user,
                 patient=alice.chart)
    assert [row[1:] for row in activity(client)] == [
        ["You", "Invited a trusted representative (2 times)"],
        ["You", f"{SUMMARY} (2 times)"],
        ["Bob Baker (trusted representative)", SUMMARY],
    ]


def test_the_portals_own_actions_and_those_before_any_sign_in_stand_alone(client, alice, bob):
    for _ in range(2):
        audit_record(action=AuditAction.INVITATION_EXPIRED, patient=alice.chart)
    for _ in range(2):  # bob has never signed in
        audit_record(action=AuditAction.CHART_VIEWED, actor=bob.user, patient=alice.chart)
    client.force_login(alice.user)
    assert [row[2] for row in activity(client)] == [
        SUMMARY, SUMMARY, "An invitation to the portal expired",
        "An invitation to the portal expired"]


def test_a_line_says_from_when_to_when_in_the_practices_time_zone(client, alice, practice):
    practice.time_zone = "America/New_York"
    practice.save()
    start = datetime.datetime(2026, 3, 2, 14, 2, tzinfo=datetime.UTC)  # 9:02 AM in Boston

    def at(minutes: int, action=AuditAction.CHART_VIEWED) -> None:
        with time_machine.travel(start + datetime.timedelta(minutes=minutes), tick=False):
            patient = None if action == AuditAction.SIGNED_IN else alice.chart
            audit_record(action=action, actor=alice.user, patient=patient)

    def when() -> str:
        client.force_login(alice.user)
        return activity(client)[0][0]

    at(0, AuditAction.SIGNED_IN)
    at(0)
    at(0)
    assert when() == "03/02/2026 9:02 AM"  # twice within the minute: one time is enough
    at(38)
    assert when() == "03/02/2026 9:02 AM to 9:40 AM"
    at(1, AuditAction.SIGNED_IN)  # the sign-in before the second view: they are two lines
    assert when() == "03/02/2026 9:40 AM"
    at(60 * 16)  # past midnight in Boston: both days are said
    assert when() == "03/02/2026 9:40 AM to 03/03/2026 1:02 AM"


def test_it_says_whose_account_an_event_concerned(client, alice, bob):
    from accounts.access_changes import access_rights_change

    named(bob.user, "Bob", "Baker")
    access_rights_change(access=bob.access, rights=["messages"], ends_at=None, actor=alice.user)
    audit_record(action=AuditAction.ACCESS_GRANTED, actor=bob.user, subject_user=alice.user,
                 patient=alice.chart)
    client.force_login(alice.user)
    assert [row[1:] for row in activity(client)] == [
        ["Bob Baker (trusted representative)", "Gave access to the portal Your account"],
        ["You", "Changed what someone can see and do Account of Bob Baker"],
    ]


def test_a_guardian_of_a_minor_sees_the_childs_activity(client, practice, staff):
    child = factories.make_chart(practice, "Liam", "Nguyen",
                                 date_of_birth=datetime.date.today().replace(year=2020, day=1))
    mother = named(factories.make_user("sarah-n"), "Sarah", "Nguyen")
    father = named(factories.make_user("tom-n"), "Tom", "Nguyen")
    factories.grant(mother, child, Relationship.GUARDIAN)
    factories.grant(father, child, Relationship.GUARDIAN)
    named(staff, "Sam", "Staff")
    audit_record(action=AuditAction.STAFF_VIEWED, actor=staff, patient=child)
    audit_record(action=AuditAction.CHART_VIEWED, actor=father, patient=child)
    client.force_login(mother)
    client.get("/")
    body = assert_page(client.get("/activity/"), "records/activity.html",
                       "Everything done with the record of Liam Nguyen")
    assert [row[1:] for row in rows(body)] == [
        ["You", SUMMARY],
        ["Tom Nguyen (guardian)", SUMMARY],
        ["Sam Staff, staff of Harbor Family Practice", "Opened the record at the practice"],
    ]


def test_a_representative_with_the_health_record_right_sees_the_patients_activity(
        client, alice, bob):
    named(alice.user, "Alice", "Archer")
    client.force_login(alice.user)
    client.get("/")
    client.force_login(bob.user)
    client.post("/account/switch/", {"access": bob.access.code})
    assert [row[1:] for row in activity(client)] == [
        ["You", "Opened this record"],
        ["Alice Archer (the patient)", SUMMARY],
    ]


def test_without_the_health_record_right_the_door_refuses(client, alice, bob):
    bob.access.right_health_record = False
    bob.access.save()
    client.force_login(bob.user)
    client.post("/account/switch/", {"access": bob.access.code})
    response = client.get("/activity/")
    assert_refused(response, 403, "activity")
    assert "portal/no_right.html" in [t.name for t in response.templates]
    assert AuditEvent.objects.filter(action=AuditAction.ACCESS_DENIED, actor=bob.user).exists()


def test_a_guardian_of_a_confidential_adolescent_is_refused(client, practice):
    practice.adolescent_confidentiality = True
    practice.save()
    teen = factories.make_chart(practice, "Tia", "Teen",
                                date_of_birth=practice.today().replace(year=practice.today().year
                                                                       - 15, day=1))
    guardian = factories.make_user("teen-guardian")
    factories.grant(guardian, teen, Relationship.GUARDIAN)
    client.force_login(guardian)
    assert_refused(client.get("/activity/"), 403, "activity")


def test_nobody_sees_anyone_elses_activity(client, alice, charlie):
    audit_record(action=AuditAction.CHART_VIEWED, actor=alice.user, patient=alice.chart)
    client.force_login(charlie.user)
    audit_record(action=AuditAction.CHART_VIEWED, actor=charlie.user, patient=charlie.chart)
    assert activity(client) == [[activity(client)[0][0], "You", SUMMARY]]
    client.force_login(factories.make_user("nobody"))
    assert_not_found(client.get("/activity/"), "activity")


def test_the_list_comes_through_for_patient(client, alice, monkeypatch):
    from portal.models.patient_owned import PatientOwnedQuerySet

    calls = []
    original = PatientOwnedQuerySet.for_patient

    def spy(queryset, patient, access):
        calls.append((queryset.model, patient.pk, access.pk))
        return original(queryset, patient, access)

    monkeypatch.setattr(PatientOwnedQuerySet, "for_patient", spy)
    audit_record(action=AuditAction.CHART_VIEWED, actor=alice.user, patient=alice.chart)
    client.force_login(alice.user)
    assert SUMMARY in client.get("/activity/").content.decode()
    assert calls == [(AuditEvent, alice.chart.pk, alice.access.pk)]


def queries_of_the_page(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert_page(client.get("/activity/"), "records/activity.html")
    return len(queries)


def test_the_page_costs_a_fixed_number_of_queries(client, alice, staff,
                                                  django_assert_max_num_queries):
    client.force_login(alice.user)
    client.get("/")
    few = queries_of_the_page(client)
    for n in range(30):
        helper = factories.make_user(f"helper-{n}")
        factories.grant(helper, alice.chart, "representative")
        for _ in range(3):
            audit_record(action=AuditAction.CHART_VIEWED, actor=helper, patient=alice.chart)
        audit_record(action=AuditAction.ACCESS_GRANTED, actor=staff, subject_user=helper,
                     patient=alice.chart)
    with django_assert_max_num_queries(10):
        response = client.get("/activity/")
    assert_page(response, "records/activity.html", "helper-29")
    assert queries_of_the_page(client) == few


def test_long_logs_are_paged_by_lines(client, alice):
    for n in range(55):
        audit_record(action=AuditAction.STAFF_VIEWED if n % 2 else AuditAction.STAFF_SEARCHED,
                     patient=alice.chart)  # the portal's own: each stands alone
    client.force_login(alice.user)
    assert len(activity(client)) == 50
    second = assert_page(client.get("/activity/?page=2"), "records/activity.html",
                         "Page 2 of 2", "Newer")
    assert len(rows(second)) == 5
    assert_page(client.get("/activity/?page=x"), "records/activity.html", "Page 1 of 2")


def test_every_action_has_plain_words():
    assert set(ACTION_WORDS) == set(AuditAction), "new actions need their words on the page"
    assert action_words(AuditAction.CHART_VIEWED) == SUMMARY
    assert action_words("no.such_action") == "no.such_action"
