from __future__ import annotations

import pytest
from django.core.management import call_command

from portal.management.commands.seed_demo import DEMO_PASSWORD
from tests.e2e.conftest import assert_accessible
from tests.e2e.conftest import sign_in as sign_in_with_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_data():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def sign_in(page, username: str) -> None:
    from accounts.models import User

    email = User.objects.with_username(username).get().email
    sign_in_with_code(page, username, DEMO_PASSWORD, code_to=email)


def test_a_demo_patient_signs_in_and_sees_the_home_page(page, demo_data):
    page.goto("/account/login/")
    assert_accessible(page)
    sign_in(page, "Demo-Patient")
    assert page.url.endswith("/")
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, Emily"
    banner = page.get_by_role("region", name="Whose record is open")
    assert "your own record" in banner.inner_text()
    assert_accessible(page)


def test_the_home_page_fits_a_phone(phone_page, demo_data):
    sign_in(phone_page, "demo-guardian")
    assert phone_page.get_by_role("heading", level=1).inner_text() == "Welcome, Sarah"
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page is {width}px wide on a 375px screen"
    assert_accessible(phone_page)


def test_the_skip_link_moves_focus_to_the_main_content(page, demo_data):
    sign_in(page, "demo-patient")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize(("username", "practice"), [
    ("demo-staff", "Demo Family Medicine"), ("demo-staff-2", "Riverside Pediatrics")])
def test_staff_reach_their_console(page, demo_data, username, practice):
    sign_in(page, username)
    assert page.url.endswith("/staff/")
    assert page.get_by_role("heading", name="My Home").is_visible()
    assert_accessible(page)
    page.goto("/staff/portal/patientchart/")
    assert_accessible(page)
    page.goto("/staff/portal/practice/")
    assert page.get_by_role("link", name=practice, exact=True).is_visible()


def test_the_sign_in_code_is_read_from_the_development_outbox(page, demo_data, settings):
    import re

    settings.DEBUG = True  # the development outbox page
    page.goto("/account/login/")
    page.get_by_label("Username").fill("demo-patient")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Verification code").wait_for()
    assert_accessible(page)
    page.goto("/dev/outbox/")
    newest = page.locator("article.outbox-message").first.inner_text()
    assert "emily.carter@example.com" in newest
    code = re.search(r"\b(\d{6})\b", newest)[1]
    page.goto("/account/login/verify-code/")
    page.get_by_label("Verification code").fill(code)
    page.get_by_role("button", name="Verify").click()
    page.get_by_role("heading", name="Welcome, Emily").wait_for()
