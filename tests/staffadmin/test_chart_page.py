"""The staff chart page's actions (issue 10, item 4): in groups under the patient's name, not a
floating row of look-alike pills over it; unenrolling, which locks the patient out, set apart as
risky and behind a page that says what will happen."""

from __future__ import annotations

import pytest

from accounts.models import StaffRole
from portal.models import AuditAction, AuditEvent, PortalStatus
from tests import factories
from tests.pages import assert_not_found, assert_page, assert_refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolled(alice):
    alice.chart.portal_status = PortalStatus.ENROLLED
    alice.chart.save()
    return alice


def chart_page(client, user, chart) -> str:
    client.force_login(user)
    return assert_page(client.get(f"/staff/portal/patientchart/{chart.pk}/change/"),
                       "admin/portal/patientchart/change_form.html")


def group(body: str, heading_id: str) -> str:
    """The HTML of one action group, found by its heading."""
    start = body.index(f'aria-labelledby="{heading_id}"')
    return body[start:body.index("</section>", start)]


def test_the_actions_come_in_groups_under_the_name_not_as_object_tools(client, staff,
                                                                       enrolled):
    body = chart_page(client, staff, enrolled.chart)
    assert 'class="object-tools"' not in body  # Django's floating row over the title
    access = group(body, "chart-actions-access")
    for action in ("Enable Portal Access", "Family Management", "Send portal invitation",
                   "Issue enrollment token", "Generate Password"):
        assert action in access
    assert "Issue password reset token" in group(body, "chart-actions-sign-in")
    risky = group(body, "chart-actions-risky")
    assert "action-group-risky" in body.split('aria-labelledby="chart-actions-risky"')[0][-80:]
    assert "Unenroll from portal" in risky and "action-button-risky" in risky
    # The name comes first, the actions after it.
    assert body.index("<h2>Alice Archer") < body.index('class="chart-actions"')
    assert "Change history of this chart" in body


def test_unenroll_opens_a_page_that_asks_first(client, staff, enrolled):
    body = chart_page(client, staff, enrolled.chart)
    confirm = f"/staff/portal/patientchart/{enrolled.chart.pk}/unenroll/confirm/"
    assert f'href="{confirm}"' in group(body, "chart-actions-risky")
    assert f'action="/staff/portal/patientchart/{enrolled.chart.pk}/unenroll/"' not in body
    page = assert_page(client.get(confirm), "staffadmin/confirm_unenroll.html",
                       "the account “alice-archer” can no longer sign in",
                       "guardians and trusted representatives keep their own access")
    assert f'action="/staff/portal/patientchart/{enrolled.chart.pk}/unenroll/"' in page
    enrolled.user.refresh_from_db()
    assert enrolled.user.is_active  # looking changed nothing
    assert not AuditEvent.objects.filter(action=AuditAction.ACCOUNT_UNENROLLED).exists()
    client.post(f"/staff/portal/patientchart/{enrolled.chart.pk}/unenroll/")
    enrolled.user.refresh_from_db()
    assert not enrolled.user.is_active


def test_the_confirm_page_is_scoped_and_needs_the_change_permission(client, practice,
                                                                     other_staff, enrolled):
    confirm = f"/staff/portal/patientchart/{enrolled.chart.pk}/unenroll/confirm/"
    client.force_login(other_staff)
    assert_not_found(client.get(confirm), "admin:portal_patientchart_unenroll_confirm")
    client.force_login(factories.make_staff("staff-billing", practice, StaffRole.BILLING))
    assert_refused(client.get(confirm), 403, "admin:portal_patientchart_unenroll_confirm")
    client.force_login(factories.make_staff("staff-desk", practice))
    assert_refused(client.post(confirm), 405, "admin:portal_patientchart_unenroll_confirm")


def test_an_unenrolled_chart_offers_reactivation_among_the_access_actions(client, staff,
                                                                        enrolled):
    enrolled.chart.portal_status = PortalStatus.UNENROLLED
    enrolled.chart.save()
    body = chart_page(client, staff, enrolled.chart)
    assert "Re-activate portal account" in group(body, "chart-actions-access")
    assert 'aria-labelledby="chart-actions-risky"' not in body


def test_staff_who_may_only_look_see_no_action_that_changes_anything(client, practice,
                                                                     enrolled):
    billing = factories.make_staff("staff-billing", practice, StaffRole.BILLING)
    body = chart_page(client, billing, enrolled.chart)
    actions = body[body.index('class="chart-actions"'):body.index('class="chart-history"')]
    assert "Family Management" in group(body, "chart-actions-access")
    for action in ("Enable Portal Access", "Send portal invitation", "Issue enrollment token",
                   "Generate Password", "Issue password reset token", "Unenroll from portal"):
        assert action not in actions
    assert 'method="post"' not in actions


def test_no_action_is_shown_on_the_add_page(client, staff):
    client.force_login(staff)
    body = client.get("/staff/portal/patientchart/add/").content.decode()
    assert 'class="chart-actions"' not in body
    assert "Portal access" not in body.split('id="content-main"')[1]


def test_a_superuser_gets_the_same_groups(client, enrolled):
    root = factories.make_user("root", is_staff=True, is_superuser=True)
    body = chart_page(client, root, enrolled.chart)
    assert "Unenroll from portal" in group(body, "chart-actions-risky")
