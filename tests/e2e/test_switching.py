"""SPEC P3 in a browser: demo-guardian moves between her own record and each child's, and the
banner always says whose record is open."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from portal.management.commands.seed_demo import DEMO_PASSWORD
from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def banner(page) -> str:
    return page.get_by_role("region", name="Whose record is open").inner_text()


def test_demo_guardian_switches_between_her_record_and_each_childs(page):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    sign_in(page, "demo-guardian", DEMO_PASSWORD, code_to="nguyen.family@example.com")
    assert "your own record" in banner(page)
    for child in ("Liam Nguyen", "Ava Nguyen"):
        page.get_by_role("link", name="Switch patient").first.click()
        page.get_by_role("heading", name="Switch patient").wait_for()
        assert_accessible(page)
        page.get_by_role("button", name=f"Open {child}\u2019s record").click()
        page.get_by_role("heading", name=child).wait_for()
        assert f"the record of {child} as their guardian" in banner(page)
        assert_accessible(page)
    page.get_by_role("link", name="Switch patient").first.click()
    page.get_by_role("button", name="Open my record").click()
    page.get_by_role("heading", name="Welcome, Sarah").wait_for()
    assert "your own record" in banner(page)
