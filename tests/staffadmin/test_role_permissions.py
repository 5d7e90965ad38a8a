"""A staff member's permissions come from their role in the practice whose object they work on
(DESIGN invariant 1, SPEC T1): a role change takes effect on their next request, and a role at
one practice gives nothing at another.

The people here are members of two practices at once — billing at alice's, front desk at the
other — so that the other practice's objects are not simply out of scope (a 404) but the
permission itself is what answers.
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, reverse

from accounts.models import PortalAccess, Relationship, StaffMembership, StaffRole, User
from accounts.staff import staff_membership_create
from enrollment.models import EnrollmentRequest, Invitation, InvitationKind
from portal.models import AuditAction, AuditEvent, PatientChart
from tests import factories
from tests.pages import assert_not_found, assert_page, assert_redirect, assert_refused

pytestmark = pytest.mark.django_db


def chart_form(chart: PatientChart, **changes: str) -> dict[str, object]:
    """The chart's change form as the page posts it (with its portal access rows)."""
    accesses = list(chart.portal_accesses.all())
    data: dict[str, object] = {
        "practice": chart.practice_id, "record_number": chart.record_number,
        "first_name": chart.first_name, "last_name": chart.last_name,
        "date_of_birth": chart.date_of_birth.isoformat(), "sex": chart.sex,
        "zip_code": chart.zip_code,
        "portal_accesses-TOTAL_FORMS": str(len(accesses)),
        "portal_accesses-INITIAL_FORMS": str(len(accesses)),
        "portal_accesses-MIN_NUM_FORMS": "0", "portal_accesses-MAX_NUM_FORMS": "1000",
    }
    for n, access in enumerate(accesses):
        data[f"portal_accesses-{n}-id"] = access.pk
        data[f"portal_accesses-{n}-patient"] = chart.pk
    return {**data, **changes}


def change_url(chart: PatientChart) -> str:
    return reverse("admin:portal_patientchart_change", args=[chart.pk])


@pytest.fixture
def split(practice, other_practice) -> User:
    """Billing at alice's practice, front desk at the other."""
    user = factories.make_staff("split-role", practice, role=StaffRole.BILLING)
    staff_membership_create(user=user, practice=other_practice, role=StaffRole.FRONT_DESK)
    return user


@pytest.fixture
def olga(other_practice):
    """A patient of the other practice, with her trusted representative."""
    chart = factories.make_chart(other_practice, "Olga", "Outside",
                                 notification_email="olga@example.com")
    factories.grant(factories.make_user("olga-outside"), chart)
    factories.grant(factories.make_user("gary-rep"), chart, Relationship.TRUSTED_REPRESENTATIVE)
    return chart


# A role change --------------------------------------------------------------------------------


def test_front_desk_demoted_to_billing_no_longer_edits_charts_from_the_next_request(
        client, practice, alice):
    front_desk = factories.make_staff("front-desk", practice, role=StaffRole.FRONT_DESK)
    client.force_login(front_desk)
    response = client.post(change_url(alice.chart), chart_form(alice.chart, first_name="Ali"))
    assert_redirect(response, "/staff/portal/patientchart/")

    staff_membership_create(user=front_desk, practice=practice, role=StaffRole.BILLING)

    # The same session, its next request.
    response = client.post(change_url(alice.chart), chart_form(alice.chart, first_name="Al"))
    assert_refused(response, 403, "admin:portal_patientchart_change")
    alice.chart.refresh_from_db()
    assert alice.chart.first_name == "Ali"
    body = assert_page(client.get(change_url(alice.chart)), "admin/change_form.html", "Ali")
    assert 'name="_save"' not in body  # read-only, as billing sees it
    issue = reverse("admin:portal_patientchart_issue_token", args=[alice.chart.pk])
    assert_refused(client.post(issue), 403, "admin:portal_patientchart_issue_token")


def test_a_role_change_in_the_console_takes_effect_and_is_audited_about_the_staff_member(
        client, practice, alice):
    member = factories.make_staff("front-desk", practice, role=StaffRole.FRONT_DESK)
    admin = factories.make_staff("practice-admin", practice, role=StaffRole.PRACTICE_ADMIN)
    membership = StaffMembership.objects.get(user=member)
    member_client = Client()
    member_client.force_login(member)
    client.force_login(admin)
    response = client.post(
        reverse("admin:accounts_staffmembership_change", args=[membership.pk]),
        {"role": StaffRole.BILLING, "job_title": "Billing", "is_active": "on"})
    assert_redirect(response, "/staff/accounts/staffmembership/")

    event = AuditEvent.objects.filter(action=AuditAction.STAFF_ROLE_CHANGED,
                                      subject_user=member).latest("id")
    assert (event.actor, event.practice) == (admin, practice)
    assert event.extra == {"role_before": StaffRole.FRONT_DESK, "role": StaffRole.BILLING,
                           "active_before": True, "active": True}
    response = member_client.post(change_url(alice.chart), chart_form(alice.chart))
    assert_refused(response, 403, "admin:portal_patientchart_change")


def test_a_new_membership_and_an_ended_one_are_audited(client, practice, alice):
    admin = factories.make_staff("practice-admin", practice, role=StaffRole.PRACTICE_ADMIN)
    newcomer = factories.make_user("newcomer", is_staff=True)
    StaffMembership.objects.create(user=newcomer, practice=practice, role=StaffRole.BILLING,
                                   is_active=False)  # a former member, back
    client.force_login(admin)
    membership = StaffMembership.objects.get(user=newcomer)
    response = client.post(
        reverse("admin:accounts_staffmembership_change", args=[membership.pk]),
        {"role": StaffRole.FRONT_DESK, "is_active": "on"})
    assert_redirect(response, "/staff/accounts/staffmembership/")
    response = client.post(
        reverse("admin:accounts_staffmembership_change", args=[membership.pk]),
        {"role": StaffRole.FRONT_DESK})  # ended
    assert_redirect(response, "/staff/accounts/staffmembership/")
    events = AuditEvent.objects.filter(action=AuditAction.STAFF_ROLE_CHANGED,
                                       subject_user=newcomer).order_by("id")
    assert [e.extra for e in events] == [
        {"role_before": StaffRole.BILLING, "role": StaffRole.FRONT_DESK,
         "active_before": False, "active": True},
        {"role_before": StaffRole.FRONT_DESK, "role": StaffRole.FRONT_DESK,
         "active_before": True, "active": False},
    ]


def test_a_member_added_in_the_console_is_audited(client, practice, other_practice):
    admin = factories.make_staff("practice-admin", practice, role=StaffRole.PRACTICE_ADMIN)
    staff_membership_create(user=admin, practice=other_practice, role=StaffRole.PRACTICE_ADMIN)
    colleague = factories.make_staff("colleague", other_practice, role=StaffRole.FRONT_DESK)
    client.force_login(admin)
    response = client.post(reverse("admin:accounts_staffmembership_add"), {
        "user": colleague.pk, "practice": practice.pk, "role": StaffRole.BILLING,
        "job_title": "Billing", "is_active": "on"})
    assert_redirect(response, "/staff/accounts/staffmembership/")
    event = AuditEvent.objects.filter(action=AuditAction.STAFF_ROLE_CHANGED,
                                      subject_user=colleague).latest("id")
    assert (event.actor, event.practice) == (admin, practice)
    assert event.extra == {"role_before": "", "role": StaffRole.BILLING,
                           "active_before": False, "active": True}


def test_a_membership_keeps_its_person_and_practice(client, practice):
    member = factories.make_staff("front-desk", practice, role=StaffRole.FRONT_DESK)
    admin = factories.make_staff("practice-admin", practice, role=StaffRole.PRACTICE_ADMIN)
    membership = StaffMembership.objects.get(user=member)
    client.force_login(admin)
    url = reverse("admin:accounts_staffmembership_change", args=[membership.pk])
    body = assert_page(client.get(url), "admin/change_form.html", "front-desk", practice.name)
    assert 'name="user"' not in body and 'name="practice"' not in body
    assert 'name="role"' in body


def test_roles_are_changed_only_where_the_role_allows_it(client, practice, other_practice):
    """A practice administrator at one practice and front desk at another changes no one's role
    at the other."""
    admin = factories.make_staff("practice-admin", practice, role=StaffRole.PRACTICE_ADMIN)
    staff_membership_create(user=admin, practice=other_practice, role=StaffRole.FRONT_DESK)
    colleague = factories.make_staff("colleague", other_practice, role=StaffRole.FRONT_DESK)
    membership = StaffMembership.objects.get(user=colleague)
    client.force_login(admin)
    url = reverse("admin:accounts_staffmembership_change", args=[membership.pk])
    response = client.post(url, {"user": colleague.pk, "practice": other_practice.pk,
                                 "role": StaffRole.PRACTICE_ADMIN, "is_active": "on"})
    assert_refused(response, 403, "admin:accounts_staffmembership_change")
    membership.refresh_from_db()
    assert membership.role == StaffRole.FRONT_DESK
    # Nor makes anyone staff there.
    form = assert_page(client.get(reverse("admin:accounts_staffmembership_add")),
                       "admin/change_form.html")
    assert practice.name in form and other_practice.name not in form


# A role at one practice, another at the next ------------------------------------------------


def test_billing_here_and_front_desk_there_edits_only_the_charts_there(client, split, alice,
                                                                        olga):
    client.force_login(split)
    response = client.post(change_url(alice.chart), chart_form(alice.chart, first_name="Ali"))
    assert_refused(response, 403, "admin:portal_patientchart_change")
    alice.chart.refresh_from_db()
    assert alice.chart.first_name == "Alice"
    assert 'name="_save"' not in assert_page(client.get(change_url(alice.chart)),
                                             "admin/change_form.html", "Archer")

    response = client.post(change_url(olga), chart_form(olga, first_name="Olgie"))
    assert_redirect(response, "/staff/portal/patientchart/")
    olga.refresh_from_db()
    assert olga.first_name == "Olgie"


def _chart_actions() -> list[str]:
    """The URL names of every action on a chart: the chart admin's own addresses, but those that
    show what a view permission shows (checked above and below), those with no chart, and the
    old address, which only redirects."""
    not_actions = {"portal_patientchart_changelist", "portal_patientchart_history",
                   "portal_patientchart_change", "portal_patientchart_family",
                   "portal_patientchart_age_out_report", "portal_patientchart_self_registration",
                   "portal_patientchart_add",
                   "portal_patientchart_delete"}  # no role deletes charts
    actions = []
    for pattern in admin.site._registry[PatientChart].get_urls():
        assert isinstance(pattern, URLPattern)
        if pattern.name is None or pattern.name in not_actions:
            continue
        actions.append(pattern.name)
    return sorted(actions)


CHART_ACTIONS = _chart_actions()


def test_every_chart_action_is_here():
    for name in ("portal_patientchart_issue_token", "portal_patientchart_unenroll",
                 "portal_patientchart_enable_portal_access_relationships",
                 "portal_patientchart_family_revoke", "portal_patientchart_issue_reset_token"):
        assert name in CHART_ACTIONS


def _action_url(name: str, chart: PatientChart) -> str:
    args: list[object] = [chart.pk]
    if name.startswith("portal_patientchart_family_"):
        representative = PortalAccess.objects.get(
            patient=chart, relationship=Relationship.TRUSTED_REPRESENTATIVE)
        args.append(representative.code)
    return reverse(f"admin:{name}", args=args)


@pytest.mark.parametrize("name", CHART_ACTIONS)
def test_a_chart_action_needs_the_role_at_the_charts_own_practice(client, split, practice,
                                                                   alice, olga, name):
    factories.grant(factories.make_user("gina-rep"), alice.chart,
                    Relationship.TRUSTED_REPRESENTATIVE)
    client.force_login(split)
    here = _action_url(name, alice.chart)
    for method in (client.get, client.post):
        response = method(here)
        if response.status_code != 405:  # a POST-only action
            assert_refused(response, 403, f"admin:{name}")
    nothing_done = AuditEvent.objects.filter(actor=split, practice=practice)
    assert not nothing_done.exists(), [e.action for e in nothing_done]

    there = _action_url(name, olga)
    answers = [method(there).status_code for method in (client.get, client.post)]
    assert 403 not in answers and 404 not in answers, answers
    assert all(status < 500 for status in answers), answers


def test_family_management_offers_changes_only_where_the_role_allows_them(client, split, alice,
                                                                          olga):
    representative = factories.grant(factories.make_user("gina-rep"), alice.chart,
                                     Relationship.TRUSTED_REPRESENTATIVE)
    client.force_login(split)
    here = assert_page(client.get(reverse("admin:portal_patientchart_family",
                                          args=[alice.chart.pk])),
                       "staffadmin/family_management/index.html", "gina-rep")
    assert reverse("admin:portal_patientchart_family_revoke",
                   args=[alice.chart.pk, representative.code]) not in here
    olgas = PortalAccess.objects.get(patient=olga,
                                     relationship=Relationship.TRUSTED_REPRESENTATIVE)
    there = assert_page(client.get(reverse("admin:portal_patientchart_family", args=[olga.pk])),
                        "staffadmin/family_management/index.html", "gary-rep")
    assert reverse("admin:portal_patientchart_family_revoke", args=[olga.pk, olgas.code]) in there


def test_each_list_shows_only_the_practices_where_the_role_may_see_it(client, split, alice,
                                                                     olga):
    """Billing sees no portal accesses or enrollment requests: not those of its practice
    either, though front desk elsewhere may see that practice's."""
    theirs = EnrollmentRequest.objects.create(
        practice=alice.chart.practice, first_name="Rae", last_name="Quinn",
        date_of_birth=datetime.date(1990, 1, 1), zip_code="02139", email="rae@example.com")
    client.force_login(split)
    body = assert_page(client.get("/staff/accounts/portalaccess/"), "admin/change_list.html",
                       "olga-outside")
    assert "alice-archer" not in body
    assert_not_found(client.get(reverse("admin:accounts_portalaccess_change",
                                        args=[alice.access.pk])),
                     "admin:accounts_portalaccess_change")
    body = assert_page(client.get("/staff/enrollment/enrollmentrequest/"),
                       "admin/change_list.html")
    assert "Quinn" not in body
    url = reverse("admin:enrollment_enrollmentrequest_approve", args=[theirs.pk])
    assert_not_found(client.post(url, {"patient": alice.chart.pk}),
                     "admin:enrollment_enrollmentrequest_approve")
    # Charts, which billing may see, are listed from both.
    body = assert_page(client.get("/staff/portal/patientchart/"), "admin/change_list.html")
    assert "Archer" in body and "Outside" in body


def test_a_new_chart_goes_only_to_a_practice_where_the_role_may_add_one(client, split,
                                                                        practice, other_practice):
    client.force_login(split)
    form = assert_page(client.get("/staff/portal/patientchart/add/"), "admin/change_form.html")
    assert other_practice.name in form and practice.name not in form
    response = client.post("/staff/portal/patientchart/add/", {
        "practice": practice.pk, "record_number": "X-1", "first_name": "Eve",
        "last_name": "Sneaky", "date_of_birth": "1990-01-01", "sex": "F", "zip_code": "02139",
        "portal_accesses-TOTAL_FORMS": "0", "portal_accesses-INITIAL_FORMS": "0",
    })
    assert_page(response, "admin/change_form.html", "Select a valid choice")
    assert not PatientChart.objects.filter(last_name="Sneaky").exists()


def test_self_registration_is_sent_for_the_practice_where_the_role_may_add_charts(
        client, split, other_practice):
    client.force_login(split)
    response = client.post(reverse("admin:portal_patientchart_self_registration"), {
        "first_name": "Nia", "last_name": "New", "email": "nia@example.com"})
    assert_redirect(response, "/staff/portal/patientchart/")
    invitation = Invitation.objects.get(kind=InvitationKind.SELF_REGISTRATION)
    assert invitation.practice == other_practice


def test_superusers_keep_every_permission(client, alice):
    root = factories.make_user("root-operator", is_staff=True, is_superuser=True)
    client.force_login(root)
    response = client.post(change_url(alice.chart), chart_form(alice.chart, first_name="Ali"))
    assert_redirect(response, "/staff/portal/patientchart/")


def test_a_membership_is_ended_not_deleted(client, practice):
    member = factories.make_staff("front-desk", practice, role=StaffRole.FRONT_DESK)
    membership = StaffMembership.objects.get(user=member)
    client.force_login(factories.make_user("root-operator", is_staff=True, is_superuser=True))
    response = client.post(reverse("admin:accounts_staffmembership_delete",
                                   args=[membership.pk]), {"post": "yes"})
    assert_refused(response, 403, "admin:accounts_staffmembership_delete")
    assert StaffMembership.objects.filter(pk=membership.pk).exists()
