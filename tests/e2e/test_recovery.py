"""SPEC A3(a) in a browser: Forgot password? → the link from the development outbox → Reset
Password → sign in with the new password and the code → home."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from tests.e2e.conftest import assert_accessible, newest_email

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_forgotten_password_is_reset_by_email(page, settings):
    settings.DEBUG = True  # the development outbox page
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    page.goto("/account/login/")
    page.get_by_role("link", name="Forgot username or password?").click()
    assert_accessible(page)
    page.get_by_role("link", name="Forgot password?", exact=True).click()
    assert_accessible(page)
    page.get_by_label("Email or Username").fill("DEMO-PATIENT")
    page.get_by_role("button", name="Email me a reset link").click()
    page.wait_for_load_state()

    email = newest_email(page, "emily.carter@example.com")
    page.goto(re.search(r"https?://[^/\s]+(/account/password/reset/key/\S+)", email)[1])
    page.get_by_role("heading", name="Reset Password").wait_for()
    assert_accessible(page)
    page.get_by_label("New password", exact=True).fill("Quiet-Meadow-58")
    page.get_by_label("Type the new password again").fill("Quiet-Meadow-58")
    page.get_by_role("button", name="Save new password").click()
    page.get_by_role("heading", name="Your password has been changed").wait_for()

    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Username").fill("demo-patient")
    page.get_by_label("Password").fill("Quiet-Meadow-58")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Verification code").wait_for()
    code = re.search(r"\b(\d{6})\b", newest_email(page, "emily.carter@example.com"))[1]
    page.goto("/account/login/verify-code/")
    page.get_by_label("Verification code").fill(code)
    page.get_by_role("button", name="Verify").click()
    page.get_by_role("heading", name="Welcome, Emily").wait_for()


def test_a_forgotten_username_is_emailed_in_spanish(phone_page, settings):
    """The choice made on the sign-in page follows the person into the recovery pages and the
    email they ask for there (the account has no language saved)."""
    settings.DEBUG = True  # the development outbox page
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    page = phone_page
    page.goto("/account/login/")
    page.get_by_role("button", name="Español").click()
    page.get_by_role("link", name="¿Olvidó su nombre de usuario o contraseña?").click()
    page.get_by_role("link", name="¿Olvidó su nombre de usuario?").click()
    page.get_by_role("heading", name="¿Olvidó su nombre de usuario?").wait_for()
    assert_accessible(page)
    page.get_by_label("Correo electrónico").fill("emily.carter@example.com")
    page.get_by_role("button", name="Enviarme mi nombre de usuario").click()
    page.get_by_role("heading", name="Revise su correo electrónico").wait_for()
    assert_accessible(page)
    email = newest_email(page, "emily.carter@example.com")
    assert "Su nombre de usuario es:" in email and "demo-patient" in email.lower()
