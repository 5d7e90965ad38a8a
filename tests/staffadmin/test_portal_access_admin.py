"""Portal access in the console (issue 10, item 4): the rows are there to look up, never to
edit. Access is given through Enable Portal Access and changed or revoked through Family
Management, which apply the rules and the audit trail; the raw add and change forms (raw ids,
unlabelled date and time boxes) are gone. On the chart, a person's name links to their login's
page only for someone who may open it."""

from __future__ import annotations

import pytest

from accounts.models import PortalAccess, Relationship
from portal.models import AuditAction, AuditEvent
from tests import factories
from tests.pages import assert_page, assert_refused

pytestmark = pytest.mark.django_db


def _change(access) -> str:
    return f"/staff/accounts/portalaccess/{access.pk}/change/"


def test_it_refuses_to_add_an_access_by_hand(client, staff, practice, charlie):
    chart = factories.make_chart(practice, "Gail", "Grant")
    client.force_login(staff)
    assert_refused(client.get("/staff/accounts/portalaccess/add/"), 403,
                   "admin:accounts_portalaccess_add")
    response = client.post("/staff/accounts/portalaccess/add/", {
        "user": charlie.user.pk, "patient": chart.pk, "relationship": Relationship.SELF,
        "starts_at_0": "2020-01-01", "starts_at_1": "00:00:00", "right_messages": "on"})
    assert_refused(response, 403, "admin:accounts_portalaccess_add")
    assert not PortalAccess.objects.filter(patient=chart).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.ACCESS_GRANTED).exists()


def test_it_shows_an_access_without_a_form_to_change_it(client, staff, alice, bob):
    client.force_login(staff)
    body = assert_page(client.get(_change(bob.access)), "admin/change_form.html",
                       "Trusted representative", "bob-baker")
    assert 'name="_save"' not in body
    assert 'name="starts_at_0"' not in body and 'name="user"' not in body
    # The person's own page is for operators: plain text for staff of a practice.
    assert "/staff/accounts/user/" not in body


def test_posting_the_old_change_form_changes_nothing(client, staff, alice, bob):
    client.force_login(staff)
    response = client.post(_change(bob.access), {
        "user": bob.user.pk, "patient": alice.chart.pk, "relationship": "representative",
        "revoke": "on", "starts_at_0": "2000-01-01", "starts_at_1": "00:00:00"})
    assert_refused(response, 403, "admin:accounts_portalaccess_change")
    bob.access.refresh_from_db()
    assert bob.access.revoked_at is None and bob.access.right_billing
    assert not AuditEvent.objects.filter(action__in=[
        AuditAction.ACCESS_REVOKED, AuditAction.ACCESS_RIGHTS_CHANGED,
        AuditAction.STAFF_CHANGED]).exists()


def test_the_list_says_who_has_access_in_plain_words(client, staff, alice, bob):
    client.force_login(staff)
    body = assert_page(client.get("/staff/accounts/portalaccess/"), "admin/change_list.html",
                       "<h1>Portal access</h1>", "alice-archer", "bob-baker")
    assert "Add portal access" not in body


def test_the_chart_lists_its_accesses_and_links_names_only_for_who_may_open_them(
        client, staff, alice, bob):
    client.force_login(staff)
    page = f"/staff/portal/patientchart/{alice.chart.pk}/change/"
    body = assert_page(client.get(page), "admin/portal/patientchart/change_form.html",
                       "Portal access", "alice-archer", "bob-baker", "Trusted representative",
                       "Active")
    assert f"/staff/accounts/user/{bob.user.pk}/change/" not in body
    # A front-desk staff member gets 403 on that page: the chart must not send them there.
    assert_refused(client.get(f"/staff/accounts/user/{bob.user.pk}/change/"), 403,
                   "admin:accounts_user_change")

    root = factories.make_user("root-admin", is_staff=True, is_superuser=True)
    client.force_login(root)
    body = client.get(page).content.decode()
    assert f'href="/staff/accounts/user/{bob.user.pk}/change/"' in body


def test_the_chart_page_has_no_inline_access_forms(client, staff, alice, bob):
    client.force_login(staff)
    body = client.get(f"/staff/portal/patientchart/{alice.chart.pk}/change/").content.decode()
    assert "portal_accesses-TOTAL_FORMS" not in body
    assert 'name="portal_accesses-0-' not in body


def test_a_revoked_access_says_so_on_the_chart(client, staff, alice, bob):
    from django.utils import timezone

    bob.access.revoked_at = timezone.now()
    bob.access.save()
    client.force_login(staff)
    body = client.get(f"/staff/portal/patientchart/{alice.chart.pk}/change/").content.decode()
    row = body.split("bob-baker")[1].split("</tr>")[0]
    assert "Revoked" in row
