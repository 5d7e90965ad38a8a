"""A trusted representative's invitation in a browser (issue 10, item 5), as `make run` shows it:
the demo patient invites a representative; the invitation read from the development outbox
says who invites whom and what will be asked; the Welcome page gives both choices equal weight;
the representative creates an account; the patient's notice is in the outbox. axe on each page,
at 375 px for the invitee (a phone, as an emailed link is often opened) and 1280 px for the
patient."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from portal.management.commands.seed_demo import DEMO_PASSWORD
from tests.e2e.conftest import Page, assert_accessible, newest_email, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_up_path(email_text: str) -> str:
    # The link is built from SITE_URL; the test server listens elsewhere, so follow its path.
    return re.search(r"https?://[^/\s]+(/enroll/sign-up/\S+/)", email_text)[1]


def test_invite_accept_and_the_patient_is_told(page, phone_page, settings):
    settings.DEBUG = True  # the development outbox page
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    # The patient, Emily Carter, invites Dana Diaz.
    sign_in(page, "demo-patient", DEMO_PASSWORD, code_to="emily.carter@example.com")
    page.goto("/account/representatives/invite/")
    assert_accessible(page)
    page.get_by_label("First name").fill("Dana")
    page.get_by_label("Last name").fill("Diaz")
    page.get_by_label("Email address").fill("dana@example.com")
    page.get_by_role("checkbox", name="Appointments").check()
    page.get_by_role("button", name="Send Invitation").click()
    page.get_by_text("Invitation sent to dana@example.com").wait_for()
    assert "We will email you when they accept" in page.locator("main").inner_text()

    # Dana's phone: the invitation says who invites whom and what will be asked.
    invitee = phone_page
    invitation = newest_email(invitee, "dana@example.com")
    assert_accessible(invitee)
    assert "Emily C. invites you to the Demo Family Medicine patient portal" in invitation
    assert ("Emily C. invites you to be their trusted representative on the Demo Family "
            "Medicine patient portal.") in invitation
    assert "You will be asked for Emily C.\u2019s ZIP code and date of birth." in invitation
    assert "Carter" not in invitation and "03/14/1984" not in invitation

    invitee.goto(_sign_up_path(invitation))
    invitee.get_by_role("heading", name="Verify your identity").wait_for()
    assert_accessible(invitee)
    invitee.get_by_label("ZIP code").fill("02139")
    invitee.get_by_label("Date of birth").fill("03/14/1984")
    invitee.get_by_role("button", name="Continue").click()

    # Welcome: two equal choices.
    invitee.get_by_role("heading", name="Welcome!").wait_for()
    invitee.wait_for_load_state("load")  # styled, as the sizes are compared
    assert_accessible(invitee)
    new = invitee.get_by_role("link", name="Create my account")
    existing = invitee.get_by_role("link", name="Sign in")
    new_box, existing_box = new.bounding_box(), existing.bounding_box()
    assert (new_box["width"], new_box["height"]) == (existing_box["width"],
                                                     existing_box["height"])
    assert new.evaluate("e => getComputedStyle(e).backgroundColor") == existing.evaluate(
        "e => getComputedStyle(e).backgroundColor")
    # The same page on a wide screen (the same browser session): side by side, the same size.
    wide_context = page.context.browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        wide_context.add_cookies(invitee.context.cookies())
        wide = Page(wide_context.new_page(), invitee.base_url)
        wide.goto("/enroll/welcome/")
        cards = wide.locator(".welcome-choice")
        first, second = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
        assert first["y"] == second["y"] and first["width"] == second["width"]
        assert first["height"] == second["height"]
        assert_accessible(wide)
    finally:
        wide_context.close()

    new.click()
    invitee.get_by_role("heading", name="Create Security Details").wait_for()
    invitee.wait_for_load_state("load")
    assert_accessible(invitee)
    assert invitee.get_by_label("Email address").input_value() == "dana@example.com"
    invitee.get_by_label("Username").fill("dana.diaz")
    invitee.get_by_label("Password", exact=True).fill("Lantern-Harbor-77")
    invitee.get_by_label("Type the password again").fill("Lantern-Harbor-77")
    invitee.get_by_label("Security question 1").select_option("first_pet")
    invitee.get_by_label("Answer 1").fill("Mango")
    invitee.get_by_label("Security question 2").select_option("first_car")
    invitee.get_by_label("Answer 2").fill("Civic")
    invitee.get_by_role("button", name="Continue").click()
    invitee.get_by_role("heading", name="Verify Multi-Factor Authentication").wait_for()
    assert_accessible(invitee)
    code = re.search(r"\b(\d{6})\b", newest_email(invitee, "dana@example.com"))[1]
    invitee.goto("/enroll/verify/")
    invitee.get_by_label("Verification code").fill(code)
    invitee.get_by_role("button", name="Verify").click()
    invitee.wait_for_load_state()
    assert "Emily Carter" in invitee.get_by_role("region",
                                                 name="Whose record is open").inner_text()
    assert_accessible(invitee)

    # The patient is told, by email, without health details.
    notice = newest_email(page, "emily.carter@example.com")
    assert "Dana D. can now use the patient portal on your behalf" in notice
    assert ("Dana D. accepted the invitation to be your trusted representative at Demo Family "
            "Medicine.") in notice
    assert_accessible(page)
