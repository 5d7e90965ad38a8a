"""SPEC P3 in a browser: demo-guardian moves between her own record and each child's, from the
banner of whatever page she is on, and the banner always says whose record is open. The Switch
patient page does the same, with each record's practice."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from portal.management.commands.seed_demo import DEMO_PASSWORD
from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def banner(page):
    return page.get_by_role("region", name="Whose record is open")


def test_demo_guardian_switches_between_her_record_and_each_childs(page):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    sign_in(page, "demo-guardian", DEMO_PASSWORD, code_to="nguyen.family@example.com")
    assert "your own record" in banner(page).inner_text()
    for child, start in (("Liam Nguyen", "/account/settings/"), ("Ava Nguyen", "/activity/")):
        page.goto(start)
        banner(page).get_by_text("Switch", exact=True).click()
        page.get_by_role("button", name=f"{child} Guardian").click()
        page.get_by_role("heading", name=child).wait_for()
        assert f"the record of {child} as their guardian" in banner(page).inner_text()
        assert_accessible(page)
    banner(page).get_by_text("Switch", exact=True).click()
    page.get_by_role("button", name="Sarah Nguyen Your own record").click()
    page.get_by_role("heading", name="Welcome, Sarah").wait_for()
    assert "your own record" in banner(page).inner_text()


def test_the_switch_patient_page(phone_page):
    page = phone_page
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    sign_in(page, "demo-guardian", DEMO_PASSWORD, code_to="nguyen.family@example.com")
    page.goto("/account/switch/")
    page.get_by_role("heading", name="Switch patient").wait_for()
    assert page.locator(".patient-list .person-badge").all_inner_texts() == ["SN", "AN", "LN"]
    assert_accessible(page)
    page.get_by_role("button", name="Open Liam Nguyen\u2019s record").click()
    page.get_by_role("heading", name="Liam Nguyen").wait_for()
    assert "the record of Liam Nguyen as their guardian" in banner(page).inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
