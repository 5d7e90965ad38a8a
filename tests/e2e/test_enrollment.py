"""The whole invitation path in a browser, as a newcomer would do it with `make run`: staff use
Enable Portal Access with Email, the invitation and the code are read from the development
outbox, and the patient ends on the home page."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from portal.management.commands.seed_demo import DEMO_PASSWORD
from tests.e2e.conftest import assert_accessible, newest_email, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_enable_portal_access_by_email_through_to_the_home_page(page, settings):
    settings.DEBUG = True  # the development outbox page
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    from portal.models import PatientChart

    priya = PatientChart.objects.get(record_number="DFM-100702")

    sign_in(page, "demo-staff", DEMO_PASSWORD, code_to="tina.brooks@demofamilymedicine.example")
    page.goto(f"/staff/portal/patientchart/{priya.pk}/change/")
    page.get_by_role("link", name="Enable Portal Access").click()
    page.get_by_role("group", name="Patient", exact=True).get_by_role("checkbox").check()
    page.get_by_role("radio", name="Email").check()
    page.get_by_role("button", name="Proceed").click()
    page.get_by_role("button", name="Proceed").click()
    page.get_by_text("Portal access invitation sent to Priya Shah").wait_for()
    page.context.clear_cookies()  # from here on, the patient's browser

    invitation = newest_email(page, "priya.shah@example.com")
    assert "Your invitation to the Demo Family Medicine patient portal" in invitation
    # The link is built from SITE_URL; the test server listens elsewhere, so follow its path.
    page.goto(re.search(r"https?://[^/\s]+(/enroll/sign-up/\S+/)", invitation)[1])
    page.get_by_role("heading", name="Verify your identity").wait_for()
    assert_accessible(page)
    page.get_by_label("ZIP code").fill("02115")
    page.get_by_label("Date of birth").fill("08/11/1992")
    page.get_by_role("button", name="Continue").click()

    page.get_by_role("heading", name="Create Security Details").wait_for()
    assert_accessible(page)
    page.get_by_label("Username").fill("priya.shah")
    page.get_by_label("Password", exact=True).fill("Lantern-Harbor-77")
    rules = page.locator("#password-rules")
    assert "— not met yet" in rules.inner_text()  # the live checklist: "match" is still a cross
    page.get_by_label("Type the password again").fill("Lantern-Harbor-77")
    assert "not met yet" not in rules.inner_text()
    # Filled in from the invitation the link came in, with the code going there.
    assert page.get_by_label("Email address").input_value() == "priya.shah@example.com"
    assert page.get_by_role("radio", name="Email").is_checked()
    page.get_by_label("Security question 1").select_option("first_pet")
    page.get_by_label("Answer 1").fill("Mango")
    page.get_by_label("Security question 2").select_option("first_car")
    page.get_by_label("Answer 2").fill("Civic")
    page.get_by_role("button", name="Continue").click()

    page.get_by_role("heading", name="Verify Multi-Factor Authentication").wait_for()
    assert_accessible(page)
    code = re.search(r"\b(\d{6})\b", newest_email(page, "priya.shah@example.com"))[1]
    page.goto("/enroll/verify/")
    page.get_by_label("Verification code").fill(code)
    page.get_by_role("button", name="Verify").click()

    page.get_by_role("heading", name="Welcome, Priya").wait_for()
    assert "your own record" in page.get_by_role("region", name="Whose record is open").inner_text()
    assert_accessible(page)
