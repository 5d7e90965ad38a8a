"""The staff console shows each staff member only their own practice (SPEC T1)."""

from __future__ import annotations

import pytest

from portal.audit import audit_record
from portal.models import AuditAction, AuditEvent, PatientChart
from tests import factories
from tests.pages import assert_not_found, assert_page, assert_refused


def console_closed(response) -> None:
    """Sent to the console's own sign-in address, which has nothing for this person: a 404."""
    assert response.redirect_chain == [("/staff/login/?next=/staff/", 302)]
    assert_not_found(response, "admin:login")

pytestmark = pytest.mark.django_db


def test_staff_see_their_practices_patients_only(client, staff, alice, other_practice):
    outsider = factories.make_chart(other_practice, "Olga", "Outside")
    client.force_login(staff)
    body = assert_page(client.get("/staff/portal/patientchart/"), "admin/change_list.html")
    assert "Archer" in body
    assert "Outside" not in body
    assert outsider.last_name not in body


def test_other_practice_staff_get_404_on_a_chart(client, other_staff, alice):
    client.force_login(other_staff)
    url = f"/staff/portal/patientchart/{alice.chart.pk}/change/"
    assert_not_found(client.get(url), "admin:portal_patientchart_change")
    assert_not_found(client.post(url, {"first_name": "Hacked"}), "admin:portal_patientchart_change")
    alice.chart.refresh_from_db()
    assert alice.chart.first_name == "Alice"


@pytest.mark.parametrize("view", ["change", "history", "delete"])
def test_other_practice_staff_get_404_on_every_object_view(client, other_staff, alice, view):
    client.force_login(other_staff)
    assert_not_found(client.get(f"/staff/portal/patientchart/{alice.chart.pk}/{view}/"),
                     f"admin:portal_patientchart_{view}")
    assert_not_found(client.get(f"/staff/accounts/portalaccess/{alice.access.pk}/{view}/"),
                     f"admin:accounts_portalaccess_{view}")


def test_other_practice_staff_get_404_on_the_practice_itself(client, other_staff, practice):
    client.force_login(other_staff)
    assert_not_found(client.get(f"/staff/portal/practice/{practice.pk}/change/"),
                     "admin:portal_practice_change")


def test_staff_open_their_own_practices_chart(client, staff, alice):
    client.force_login(staff)
    response = client.get(f"/staff/portal/patientchart/{alice.chart.pk}/change/")
    assert_page(response, "admin/change_form.html", alice.chart.record_number,
                "alice-archer")  # the portal access inline


def test_the_audit_log_is_scoped_and_read_only(client, staff, alice, other_practice):
    outsider = factories.make_chart(other_practice, "Olga", "Outside")
    mine = audit_record(action=AuditAction.CHART_VIEWED, actor=alice.user, patient=alice.chart)
    theirs = audit_record(action=AuditAction.CHART_VIEWED, patient=outsider)
    client.force_login(staff)
    body = assert_page(client.get("/staff/portal/auditevent/"), "admin/change_list.html")
    assert f"/staff/portal/auditevent/{mine.pk}/" in body
    assert f"/staff/portal/auditevent/{theirs.pk}/" not in body
    assert_not_found(client.get(f"/staff/portal/auditevent/{theirs.pk}/change/"),
                     "admin:portal_auditevent_change")
    assert_refused(client.get("/staff/portal/auditevent/add/"), 403, "admin:portal_auditevent_add")
    response = client.post(f"/staff/portal/auditevent/{mine.pk}/delete/", {"post": "yes"})
    assert_refused(response, 403, "admin:portal_auditevent_delete")
    assert AuditEvent.objects.filter(pk=mine.pk).exists()


def test_a_new_chart_can_only_go_to_the_staff_members_practice(client, staff, other_practice):
    client.force_login(staff)
    form = assert_page(client.get("/staff/portal/patientchart/add/"), "admin/change_form.html")
    assert "Harbor Family Practice" in form
    assert "Lakeside Clinic" not in form
    response = client.post("/staff/portal/patientchart/add/", {
        "practice": other_practice.pk, "record_number": "X-1", "first_name": "Eve",
        "last_name": "Sneaky", "date_of_birth": "1990-01-01", "sex": "F", "zip_code": "02139",
        "portal_access-TOTAL_FORMS": "0", "portal_access-INITIAL_FORMS": "0",
    })
    # The form is shown again with an error.
    assert_page(response, "admin/change_form.html", "Select a valid choice")
    assert not PatientChart.objects.filter(last_name="Sneaky").exists()


def test_staff_changes_are_audited_with_the_patient(client, staff, alice):
    client.force_login(staff)
    response = client.post(f"/staff/portal/patientchart/{alice.chart.pk}/change/", {
        "practice": alice.chart.practice_id, "record_number": alice.chart.record_number,
        "first_name": "Alicia", "last_name": "Archer", "date_of_birth": "1985-06-15",
        "sex": "F", "zip_code": "02139",
        "portal_accesses-TOTAL_FORMS": "1", "portal_accesses-INITIAL_FORMS": "1",
        "portal_accesses-MIN_NUM_FORMS": "0", "portal_accesses-MAX_NUM_FORMS": "1000",
        "portal_accesses-0-id": alice.access.pk, "portal_accesses-0-patient": alice.chart.pk,
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == "/staff/portal/patientchart/"
    event = AuditEvent.objects.get(action=AuditAction.STAFF_CHANGED)
    assert (event.actor, event.patient) == (staff, alice.chart)
    assert event.practice == alice.chart.practice


def test_patients_cannot_enter_the_console(client, alice):
    client.force_login(alice.user)
    console_closed(client.get("/staff/", follow=True))


def test_is_staff_without_a_membership_is_not_enough(client, practice):
    user = factories.make_user("orphan-staff", is_staff=True)
    client.force_login(user)
    console_closed(client.get("/staff/", follow=True))


def test_an_inactive_membership_closes_the_console(client, staff):
    staff.staff_memberships.update(is_active=False)
    client.force_login(staff)
    console_closed(client.get("/staff/", follow=True))


def test_signed_out_visitors_are_sent_to_the_portal_sign_in(client):
    response = client.get("/staff/", follow=True)
    assert response.redirect_chain[-1][0] == "/account/login/?next=%2Fstaff%2F"


def test_charts_cannot_be_deleted(client, staff, alice):
    client.force_login(staff)
    response = client.post(f"/staff/portal/patientchart/{alice.chart.pk}/delete/", {"post": "yes"})
    assert_refused(response, 403, "admin:portal_patientchart_delete")


def test_staff_never_see_the_outbox_or_the_logins(client, staff):
    client.force_login(staff)
    assert_refused(client.get("/staff/portal/outboxmessage/"), 403,
                   "admin:portal_outboxmessage_changelist")
    assert_refused(client.get("/staff/accounts/user/"), 403, "admin:accounts_user_changelist")


def test_the_superuser_sees_the_outbox_read_only(client, practice):
    from tests import factories

    admin = factories.make_user("root-admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert_page(client.get("/staff/portal/outboxmessage/"), "admin/change_list.html",
                "Outgoing messages")
    assert_refused(client.get("/staff/portal/outboxmessage/add/"), 403,
                   "admin:portal_outboxmessage_add")


@pytest.mark.parametrize("url", ["/staff/portal/patientchart/",
                                 "/staff/accounts/portalaccess/",
                                 "/staff/portal/auditevent/",
                                 "/staff/enrollment/enrollmentrequest/?status=all"])
def test_list_pages_do_not_grow_queries_with_rows(client, staff, practice, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(staff)
    client.get(url)  # the first request after signing in also starts the session's idle clock

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert_page(response, "admin/change_list.html")
        return len(queries)

    for n in range(3):
        chart = factories.make_chart(practice, f"Pat{n}", "Lister")
        user = factories.make_user(f"lister-{n}")
        factories.grant(user, chart)
        audit_record(action=AuditAction.CHART_VIEWED, actor=user, patient=chart)
    few = count()
    for n in range(3, 13):
        chart = factories.make_chart(practice, f"Pat{n}", "Lister")
        user = factories.make_user(f"lister-{n}")
        factories.grant(user, chart)
        audit_record(action=AuditAction.CHART_VIEWED, actor=user, patient=chart)
    assert count() == few


def test_a_practice_administrator_sets_adolescent_confidentiality(client, practice):
    admin_user = factories.make_staff("practice-admin", practice, "practice_admin")
    client.force_login(admin_user)
    page = client.get(f"/staff/portal/practice/{practice.pk}/change/")
    assert_page(page, "admin/change_form.html", "Areas guardians of adolescents")
    data = {
        "name": practice.name, "slug": practice.slug, "time_zone": practice.time_zone,
        "invitation_email_days": 5, "invitation_print_days": 10, "enrollment_token_days": 30,
        "session_timeout_minutes": 15, "inactivity_unenroll_days": 730,
        "default_language": "en", "record_number_next": 1, "adolescent_confidentiality": "on",
        "adolescent_guardian_areas": ["appointments", "messages"],
    }
    response = client.post(f"/staff/portal/practice/{practice.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert response["Location"] == "/staff/portal/practice/"
    practice.refresh_from_db()
    assert practice.adolescent_confidentiality
    assert sorted(practice.adolescent_guardian_areas) == ["appointments", "messages"]
