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


# Issue 10, item 1: signing in again before the first sign-in finished ----------------------------


def _password_step(page, username: str = "demo-patient", *, button: str = "Sign in",
                   username_label: str = "Username", password_label: str = "Password") -> None:
    page.get_by_label(username_label).fill(username)
    page.get_by_label(password_label, exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=button, exact=True).click()


def _codes_sent() -> int:
    from portal.models import OutboxMessage

    return OutboxMessage.objects.filter(template="verification-code").count()


def test_signing_in_again_at_once_the_code_page_tells_the_truth_and_the_code_works(
        page, demo_data):
    from tests.signin import latest_code

    page.goto("/account/login/")
    _password_step(page)
    page.get_by_label("Verification code").wait_for()
    assert "We sent a 6-digit code" in page.locator("main").inner_text()
    first_code = latest_code("emily.carter@example.com")
    # The person gives up on this sign-in (a slow email) and starts again at once, within the
    # 30 seconds before another code may be sent.
    page.get_by_role("button", name="Start again").click()
    page.get_by_role("heading", name="Sign in").wait_for()
    _password_step(page)
    page.get_by_label("Verification code").wait_for()
    text = page.locator("main").inner_text()
    assert "moments ago" in text and "it still works for this sign-in" in text
    assert "We sent a 6-digit code" not in text
    assert _codes_sent() == 1
    assert_accessible(page)
    # The code that arrived meanwhile works.
    page.get_by_label("Verification code").fill(first_code)
    page.get_by_role("button", name="Verify", exact=True).click()
    page.get_by_role("heading", name="Welcome, Emily").wait_for()


def test_a_closed_tab_leads_back_to_the_waiting_code_whose_code_works(page, demo_data):
    from tests.signin import latest_code

    page.goto("/account/login/")
    _password_step(page)
    page.get_by_label("Verification code").wait_for()
    page.goto("/")  # the tab was closed; the person opens the portal again
    page.get_by_label("Verification code").wait_for()
    assert "We sent a 6-digit code" in page.locator("main").inner_text()
    assert _codes_sent() == 1
    page.get_by_label("Verification code").fill(latest_code("emily.carter@example.com"))
    page.get_by_role("button", name="Verify", exact=True).click()
    page.get_by_role("heading", name="Welcome, Emily").wait_for()


def test_start_again_starts_again(page, demo_data):
    page.goto("/account/login/")
    _password_step(page)
    page.get_by_label("Verification code").wait_for()
    page.get_by_role("button", name="Start again").click()
    page.get_by_role("heading", name="Sign in").wait_for()
    assert page.url.endswith("/account/login/")
    assert page.get_by_label("Username").input_value() == ""
    page.goto("/account/login/verify-code/")  # the waiting sign-in is gone
    page.get_by_role("heading", name="Sign in").wait_for()
    assert page.url.endswith("/account/login/")


# Issue 10, item 6: the sign-in page's ways in and out -------------------------------------------


def test_forgot_username_or_password_and_new_here_lead_to_their_pages(page, demo_data):
    page.goto("/account/login/")
    page.get_by_role("link", name="Forgot username or password?").click()
    page.get_by_role("heading", name="Forgot username or password?").wait_for()
    for name in ("Forgot username?", "Forgot password?", "I have my password reset token"):
        assert page.get_by_role("link", name=name, exact=True).is_visible()
    assert_accessible(page)
    page.goto("/account/login/")
    page.get_by_role("link", name="See the ways to get an account").click()
    page.get_by_role("heading", name="New here? How to get a portal account").wait_for()
    for name in ("Enroll with a token", "Create a new account", "Request portal access"):
        assert page.get_by_role("link", name=name).is_visible()
    assert_accessible(page)


# Issue 10, item 14: signing in in Spanish, at a phone's width and a desktop's --------------------


@pytest.mark.parametrize("screen", ["phone_page", "page"])
def test_a_person_signs_in_in_spanish(request, demo_data, screen):
    from tests.signin import latest_code

    page = request.getfixturevalue(screen)
    page.goto("/account/login/")
    page.get_by_role("button", name="Español").click()
    page.get_by_role("heading", name="Iniciar sesión").wait_for()
    assert page.get_by_role("link", name="¿Olvidó su nombre de usuario o contraseña?").is_visible()
    assert_accessible(page)
    _password_step(page, button="Iniciar sesión", username_label="Nombre de usuario",
                   password_label="Contraseña")
    page.get_by_role("heading", name="Verifique que es usted").wait_for()
    assert "Enviamos un código de 6 dígitos" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_label("Código de verificación").fill(latest_code("emily.carter@example.com"))
    page.get_by_role("button", name="Verificar", exact=True).click()
    page.wait_for_url("**/")
    # The choice made before signing in is now the account's: its pages stay Spanish.
    page.goto("/account/settings/")
    page.get_by_role("heading", name="Configuración de la cuenta", level=1).wait_for()
    assert_accessible(page)
    from accounts.models import User

    assert User.objects.with_username("demo-patient").get().language == "es"


def test_a_page_in_spanish_tells_the_browser_so(page, demo_data):
    """The <html lang> follows the language (templates/base.html, issue 10 item 14): screen
    readers then read Spanish with a Spanish voice, from the sign-in page to the home page."""
    from tests.signin import latest_code

    page.goto("/account/login/")
    page.get_by_role("button", name="Español").click()
    page.get_by_role("heading", name="Iniciar sesión").wait_for()
    assert page.evaluate("document.documentElement.lang") == "es"
    _password_step(page, button="Iniciar sesión", username_label="Nombre de usuario",
                   password_label="Contraseña")
    page.get_by_label("Código de verificación").fill(latest_code("emily.carter@example.com"))
    page.get_by_role("button", name="Verificar", exact=True).click()
    page.wait_for_url("**/")
    assert page.evaluate("document.documentElement.lang") == "es"


def test_account_settings_and_the_authenticator_page_on_a_phone(phone_page, demo_data):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    sign_in(phone_page, "demo-patient")
    phone_page.goto("/account/settings/")
    phone_page.get_by_role("heading", name="Account Settings", level=1).wait_for()
    assert_accessible(phone_page)
    phone_page.get_by_role("link", name="Set up an authenticator app").click()
    phone_page.get_by_role("heading", name="Set up an authenticator app").wait_for()
    assert_accessible(phone_page)
    assert not TOTPDevice.objects.exists()  # nothing stored until a code from the app is right
