"""The console's own words (issue 10, item 7): no "Select patient chart to change", no
"Otp_Totp", not two sections called "Accounts", the practice's name in the header, one date
format (MM/DD/YYYY); and every date and time box with a name a screen reader says (item 12)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.urls import reverse

from accounts.models import StaffRole
from portal.models import PortalStatus
from tests import factories
from tests.pages import assert_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def root():
    return factories.make_user("root-admin", is_staff=True, is_superuser=True,
                               first_name="Rita", last_name="Root")


def sections(body: str) -> list[str]:
    """The section names of the console's home page."""
    return re.findall(r'<caption>\s*<a href="[^"]*" class="section"[^>]*>([^<]+)</a>', body)


def test_the_sections_have_the_consoles_own_names(client, root):
    client.force_login(root)
    found = sections(assert_page(client.get("/staff/"), "admin/index.html"))
    assert sorted(found) == sorted(["Authenticator apps", "Enrollment", "Patients and practice",
                                    "Sign-in and access", "Sign-in email addresses"])
    assert len(set(found)) == len(found)  # no two sections of the same name
    body = client.get("/staff/").content.decode()
    assert "Otp_Totp" not in body and "OTP_TOTP" not in body and "TOTP devices" not in body
    assert "Authentication and Authorization" not in body


def test_a_practices_staff_see_their_practice_in_the_header(client, staff, practice):
    client.force_login(staff)
    body = assert_page(client.get("/staff/"), "admin/index.html",
                       f"{practice.name} — Staff console", "<h1>My Home</h1>")
    assert f"<title>My Home | {practice.name} — Staff console</title>" in body
    assert "Django administration" not in body and "Django site admin" not in body
    assert "View site" not in body  # it only led back here
    assert "Signed in as <strong>staff-harbor</strong>" in body
    assert ">Sign out</button>" in body and "Log out" not in body


def test_someone_working_for_two_practices_sees_the_consoles_name(client, staff,
                                                                   other_practice):
    from accounts.staff import staff_membership_create

    staff_membership_create(user=staff, practice=other_practice, role=StaffRole.FRONT_DESK)
    client.force_login(staff)
    body = client.get("/staff/").content.decode()
    assert '<a href="/staff/">Staff console</a>' in body


def test_no_list_is_headed_select_something_to_change(client, root, alice):
    client.force_login(root)
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        body = assert_page(client.get(url), "admin/change_list.html")
        heading = re.search(r"<h1>([^<]*)</h1>", body)[1]
        assert not heading.startswith("Select "), (url, heading)
    body = client.get("/staff/portal/patientchart/").content.decode()
    assert "<h1>Patients</h1>" in body
    assert "Find a patient by last name, first name, record number or email." in body


def test_the_audit_trail_filters_by_the_actions_words(client, staff, alice):
    from portal.audit import audit_record
    from portal.models import AuditAction

    audit_record(action=AuditAction.CHART_VIEWED, actor=alice.user, patient=alice.chart)
    client.force_login(staff)
    body = client.get("/staff/portal/auditevent/").content.decode()
    assert "?action=chart.viewed" in body and "Viewed the chart summary" in body
    filtered = client.get("/staff/portal/auditevent/", {"action": "auth.signed_in"})
    assert 'id="result_list"' not in filtered.content.decode()  # no signed_in event here
    shown = client.get("/staff/portal/auditevent/", {"action": "chart.viewed"})
    assert 'id="result_list"' in shown.content.decode()


# One date format ---------------------------------------------------------------------------

TEMPLATES = Path(settings.BASE_DIR) / "templates"


@pytest.mark.parametrize("folder", ["admin", "staffadmin"])
def test_the_consoles_templates_use_only_the_short_formats(folder):
    """MM/DD/YYYY everywhere: |date:"SHORT_DATE_FORMAT" (or SHORT_DATETIME_FORMAT), never a
    format of their own like "F j, Y" or "m/d/Y"; "T" (the time zone's name) aside."""
    allowed = {"SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT", "T"}
    for path in (TEMPLATES / folder).rglob("*.html"):
        for fmt in re.findall(r'\|date:"([^"]*)"', path.read_text()):
            assert fmt in allowed, (path, fmt)


def test_dates_on_the_console_pages_read_mm_dd_yyyy(client, staff, practice, alice, bob):
    client.force_login(staff)
    nora = factories.make_chart(practice, "Nora", "North", notification_email="nora@example.com")
    body = client.post(f"/staff/portal/patientchart/{nora.pk}/issue-token/").content.decode()
    assert re.search(r"It expires on \d\d/\d\d/\d{4}\.", body), body[-3000:]
    body = client.get(f"/staff/portal/patientchart/{alice.chart.pk}/family/").content.decode()
    since = bob.access.starts_at.astimezone(practice.tzinfo).strftime("%m/%d/%Y")
    assert f"<td>{since}</td>" in body


# Date and time boxes -------------------------------------------------------------------------


def test_each_date_and_time_box_has_its_own_name(client, root, alice):
    client.force_login(root)
    body = client.get(f"/staff/accounts/user/{alice.user.pk}/change/").content.decode()
    for name, label in (("last_login", "Last login"), ("date_joined", "Date joined")):
        date = re.search(rf'<input[^>]*name="{name}_0"[^>]*>', body)[0]
        time = re.search(rf'<input[^>]*name="{name}_1"[^>]*>', body)[0]
        assert f'aria-label="{label} (date)"' in date
        assert f'aria-label="{label} (time)"' in time


def test_the_user_page_offers_no_groups_or_permissions_that_grant_nothing(client, root, alice):
    client.force_login(root)
    body = client.get(f"/staff/accounts/user/{alice.user.pk}/change/").content.decode()
    assert 'name="groups"' not in body and 'name="user_permissions"' not in body
    assert 'name="is_staff"' in body


# Spanish -----------------------------------------------------------------------------------


def test_staff_pages_follow_the_staff_members_language(client, staff, alice):
    staff.language = "es"
    staff.save()
    alice.chart.portal_status = PortalStatus.ENROLLED
    alice.chart.save()
    client.force_login(staff)
    body = client.get("/staff/portal/patientchart/").content.decode()
    assert '<html lang="es"' in body
    assert "<h1>Pacientes</h1>" in body
    body = client.get(f"/staff/portal/patientchart/{alice.chart.pk}/change/").content.decode()
    assert "Dar de baja del portal" in body
    assert "Habilitar el acceso al portal" in body
    assert "Unenroll from portal" not in body


def test_printed_instructions_are_in_the_practices_language(client, staff, practice):
    """The person has no account yet, so no language of their own: the practice's default."""
    practice.default_language = "es"
    practice.save()
    nora = factories.make_chart(practice, "Nora", "North")
    client.force_login(staff)
    body = client.post(f"/staff/portal/patientchart/{nora.pk}/generate-password/"
                       ).content.decode()
    sheet = body[body.index('<article class="instructions-sheet" lang="es">'):]
    assert "Contraseña temporal" in sheet and "Temporary password" not in sheet
    assert "Print these instructions now" in body  # the staff member's own words stay English
