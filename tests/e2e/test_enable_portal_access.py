"""Enable Portal Access in a real browser: every page passes axe-core and the strict CSP
(SPEC E9)."""

from __future__ import annotations

import datetime

import pytest

from enrollment.models import Invitation, InvitationGrant
from tests import factories
from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_walk_through_the_wizard(page, practice):
    staff = factories.make_staff("staff-harbor", practice)
    amelie = factories.make_chart(practice, "Amelie", "North",
                                  notification_email="amelie@example.com")
    camille = factories.make_chart(practice, "Camille", "North", guarantor=amelie,
                                   date_of_birth=datetime.date(2015, 3, 4))
    leo = factories.make_chart(practice, "Leo", "North", guarantor=amelie)
    sign_in(page, staff.username, factories.PASSWORD, code_to="staff-harbor@practice.example")

    page.goto(f"/staff/portal/patientchart/{camille.pk}/change/")
    page.get_by_role("link", name="Enable Portal Access").click()
    page.get_by_role("searchbox", name="Search by name or record number").fill("Leo")
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state()
    assert page.get_by_role("radio", name="Leo North").count() == 1
    assert_accessible(page)

    page.get_by_role("group", name="Guarantor").get_by_role("checkbox").check()
    page.get_by_role("radio", name="Email").check()
    page.get_by_role("button", name="Proceed").click()
    page.get_by_text("Step 2: Identify the Relationship to the Patient").wait_for()
    assert_accessible(page)

    page.get_by_label("Relationship to Camille North").select_option("guardian")
    page.get_by_role("checkbox", name=f"Leo North ({leo.record_number})").check()
    page.get_by_role("button", name="Proceed").click()
    page.get_by_text("Portal access invitation sent to Amelie North").wait_for()
    assert InvitationGrant.objects.get(invitation=Invitation.objects.get()).patient == leo

    page.goto(f"/staff/portal/patientchart/{camille.pk}/enable-portal-access/")
    page.get_by_role("group", name="Patient", exact=True).get_by_role("checkbox").check()
    page.get_by_role("radio", name="Print").check()
    page.get_by_role("button", name="Proceed").click()
    page.get_by_role("button", name="Proceed").click()
    page.get_by_role("button", name="Print Instructions").wait_for()
    assert_accessible(page)
