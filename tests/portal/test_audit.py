from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from portal.audit import audit_record, client_ip
from portal.models import AuditAction, AuditEvent
from tests.conftest import service_missing

pytestmark = pytest.mark.django_db


def test_it_records_who_for_whom_what_and_where(alice, bob, rf: RequestFactory):
    request = rf.get("/", REMOTE_ADDR="198.51.100.4")
    request.user = bob.user
    event = audit_record(action=AuditAction.CHART_VIEWED, request=request, patient=alice.chart,
                         obj=alice.access)
    event.refresh_from_db()
    assert event.actor == bob.user
    assert event.patient == alice.chart
    assert event.practice == alice.chart.practice
    assert (event.object_type, event.object_id) == ("accounts.portalaccess", str(alice.access.pk))
    assert event.ip_address == "198.51.100.4"
    assert event.created_at is not None


def test_the_trail_cannot_be_rewritten(alice):
    event = audit_record(action=AuditAction.CHART_VIEWED, patient=alice.chart)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action=AuditAction.SIGNED_OUT)
    event.refresh_from_db()
    assert event.action == AuditAction.CHART_VIEWED


def test_the_trail_cannot_be_deleted(alice):
    if connection.vendor != "postgresql":
        service_missing("deletes are refused by the PostgreSQL trigger only")
    event = audit_record(action=AuditAction.CHART_VIEWED, patient=alice.chart)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize("statement", [
    "TRUNCATE portal_auditevent",
    # Emptying a table the trail refers to takes the trail with it: refused as well.
    "TRUNCATE portal_patientchart CASCADE",
])
def test_the_trail_cannot_be_truncated(alice, statement):
    if connection.vendor != "postgresql":
        service_missing("TRUNCATE is refused by the PostgreSQL trigger only (SQLite has none)")
    event = audit_record(action=AuditAction.CHART_VIEWED, patient=alice.chart)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
            connection.cursor() as cursor:
        # Check the test's own deferred foreign keys now: PostgreSQL refuses to truncate a table
        # with checks pending before it asks the trigger.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(statement)
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_the_test_suites_flush_leaves_the_truncate_trigger_on():
    """tests/conftest.py lets pytest-django's flush past the trigger for its one statement."""
    if connection.vendor != "postgresql":
        service_missing("the TRUNCATE trigger is PostgreSQL's")
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgenabled FROM pg_trigger WHERE tgname = %s",
                       ["portal_auditevent_no_truncate"])
        assert cursor.fetchall() == [("O",)]  # enabled, for every session


def test_forwarded_addresses_are_ignored_unless_configured(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    settings.USE_X_FORWARDED_FOR = False
    assert client_ip(request) == "10.0.0.2"
    settings.USE_X_FORWARDED_FOR = True
    # Only the entry our own proxy appended (the last) is trusted.
    assert client_ip(request) == "203.0.113.7"
