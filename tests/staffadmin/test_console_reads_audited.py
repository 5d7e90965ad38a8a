"""Staff reads of patient data in the console are audited (DESIGN invariant 5): the chart's
page, searches (that one was made and how many results, never what was typed), Family
Management, the Enable Portal Access search, the Age-out Report; so are lookups outside the
staff member's practices and a superuser opening an authenticator app's device."""

from __future__ import annotations

import datetime
import json

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Relationship
from portal.models import AuditAction, AuditEvent
from tests import factories
from tests.pages import assert_not_found, assert_page

pytestmark = pytest.mark.django_db


def events(action: AuditAction):
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def no_typed_text(event: AuditEvent, *typed: str) -> None:
    stored = json.dumps(event.extra)
    for text in typed:
        assert text.lower() not in stored.lower()


def test_opening_a_chart_is_audited(client, staff, alice):
    client.force_login(staff)
    assert_page(client.get(f"/staff/portal/patientchart/{alice.chart.pk}/change/"),
                "admin/change_form.html", "Archer")
    [event] = events(AuditAction.STAFF_VIEWED)
    assert (event.actor, event.patient, event.practice) == (staff, alice.chart,
                                                            alice.chart.practice)
    assert (event.object_type, event.object_id) == ("portal.patientchart", str(alice.chart.pk))


def test_opening_a_portal_access_is_audited_with_its_patient(client, staff, alice):
    client.force_login(staff)
    response = client.get(f"/staff/accounts/portalaccess/{alice.access.pk}/change/")
    assert_page(response, "admin/change_form.html")
    [event] = events(AuditAction.STAFF_VIEWED)
    assert (event.actor, event.patient) == (staff, alice.chart)


def test_a_search_records_that_it_was_made_and_its_count_not_the_words(client, staff, alice,
                                                                      charlie):
    client.force_login(staff)
    response = client.get("/staff/portal/patientchart/", {"q": "Archer"})
    assert_page(response, "admin/change_list.html", "Archer")
    [event] = events(AuditAction.STAFF_SEARCHED)
    assert event.actor == staff and event.practice == alice.chart.practice
    assert event.extra == {"model": "portal.patientchart", "results": 1}
    no_typed_text(event, "Archer")


def test_browsing_the_list_without_searching_writes_no_search_event(client, staff, alice):
    client.force_login(staff)
    assert_page(client.get("/staff/portal/patientchart/"), "admin/change_list.html")
    assert events(AuditAction.STAFF_SEARCHED) == []


def test_family_management_is_audited(client, staff, alice, bob):
    client.force_login(staff)
    response = client.get(reverse("admin:portal_patientchart_family", args=[alice.chart.pk]))
    assert_page(response, "staffadmin/family_management/index.html")
    [event] = events(AuditAction.FAMILY_VIEWED)
    assert (event.actor, event.patient) == (staff, alice.chart)


def test_the_enable_portal_access_search_is_audited(client, staff, alice, bob):
    client.force_login(staff)
    url = f"/staff/portal/patientchart/{alice.chart.pk}/enable-portal-access/"
    assert_page(client.get(url), "staffadmin/enable_portal_access/individuals.html")
    assert events(AuditAction.STAFF_SEARCHED) == []  # opening the wizard is not a search
    response = client.get(url, {"q": "Baker"})
    assert_page(response, "staffadmin/enable_portal_access/individuals.html", "Baker")
    [event] = events(AuditAction.STAFF_SEARCHED)
    assert (event.actor, event.patient) == (staff, alice.chart)
    assert event.extra == {"page": "enable_portal_access", "results": 1}
    no_typed_text(event, "Baker")


def test_the_age_out_report_is_audited(client, staff, practice):
    guardian = factories.make_user("gina-guardian")
    soon = factories.make_chart(practice, "Sam", "Soon",
                                date_of_birth=practice.today().replace(year=practice.today().year
                                                                       - 18)
                                + datetime.timedelta(days=5))
    factories.grant(guardian, soon, Relationship.GUARDIAN)
    client.force_login(staff)
    response = client.get("/staff/portal/patientchart/age-out-report/", {"days": "30"})
    assert_page(response, "staffadmin/age_out_report.html", "Soon")
    [event] = events(AuditAction.STAFF_REPORT_VIEWED)
    assert event.actor == staff and event.practice == practice
    assert event.extra == {"report": "age_out", "days": 30, "upcoming": 1, "recent": 0}


def test_another_practices_chart_is_a_404_and_audited(client, other_staff, alice):
    client.force_login(other_staff)
    assert_not_found(client.get(f"/staff/portal/patientchart/{alice.chart.pk}/change/"),
                     "admin:portal_patientchart_change")
    [event] = events(AuditAction.ACCESS_NOT_FOUND)
    assert event.actor == other_staff and event.patient is None
    assert event.extra == {"where": "console", "model": "portal.patientchart",
                           "object_id": str(alice.chart.pk)}
    assert events(AuditAction.STAFF_VIEWED) == []


def test_a_scoped_lookup_keeps_only_a_plain_number_of_what_was_typed(client, other_staff):
    client.force_login(other_staff)
    response = client.get("/staff/portal/patientchart/Robert%27);%20DROP/family/")
    assert_not_found(response, "admin:portal_patientchart_family")
    [event] = events(AuditAction.ACCESS_NOT_FOUND)
    assert event.extra == {"where": "console", "model": "portal.patientchart"}


def test_a_404_elsewhere_in_the_console_is_not_audited(client, staff):
    client.force_login(staff)
    assert client.get("/staff/no-such-page/").status_code in (302, 404)
    assert events(AuditAction.ACCESS_NOT_FOUND) == []


@pytest.fixture
def superuser(db):
    return factories.make_user("root-admin", is_staff=True, is_superuser=True)


@pytest.mark.parametrize("view", ["change", "config", "qrcode"])
def test_a_superuser_opening_an_authenticator_device_is_audited(client, superuser, alice, view,
                                                                settings):
    device = TOTPDevice.objects.create(user=alice.user, name="Authenticator app",
                                       confirmed=True)
    client.force_login(superuser)
    response = client.get(reverse(f"admin:otp_totp_totpdevice_{view}", args=[device.pk]))
    assert response.status_code in (200, 403)  # 403 where the seed is hidden
    [event] = events(AuditAction.AUTHENTICATOR_VIEWED)
    assert (event.actor, event.subject_user) == (superuser, alice.user)
    assert event.extra == {"view": view, "shown": response.status_code == 200}


@pytest.mark.parametrize("view", ["config", "qrcode"])
def test_an_unknown_authenticator_device_is_a_404(client, superuser, view):
    client.force_login(superuser)
    assert_not_found(client.get(reverse(f"admin:otp_totp_totpdevice_{view}", args=[987654])),
                     f"admin:otp_totp_totpdevice_{view}")
