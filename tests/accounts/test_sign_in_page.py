"""Issue 10, item 6 (and the accounts' part of item 7): the sign-in page names the practice, has
one way to "Forgot username or password?" and one "New here?", and no stock allauth text."""

from __future__ import annotations

import re

import pytest
from django.test import Client, RequestFactory

from accounts.public_practice import public_logo_url, public_name, public_practice
from tests import factories
from tests.pages import assert_page
from tests.signin import sign_in

pytestmark = pytest.mark.django_db

LOGIN = "/account/login/"


def practice_name_on(body: str) -> str:
    return re.search(r'<p class="practice-name">([^<]*)</p>', body)[1]


# The practice of the public pages -------------------------------------------------------------


def test_it_shows_the_only_practices_name(client, practice):
    body = assert_page(client.get(LOGIN), "account/login.html")
    assert practice_name_on(body) == "Harbor Family Practice"


def test_with_several_practices_the_setting_chooses(client, practice, other_practice, settings):
    settings.PORTAL_PRACTICE = other_practice.slug
    assert practice_name_on(client.get(LOGIN).content.decode()) == "Lakeside Clinic"


def test_with_several_practices_and_no_setting_it_says_patient_portal(client, practice,
                                                                      other_practice):
    assert practice_name_on(client.get(LOGIN).content.decode()) == "Patient Portal"


def test_a_setting_naming_no_practice_says_patient_portal(client, practice, settings):
    settings.PORTAL_PRACTICE = "no-such-practice"
    assert practice_name_on(client.get(LOGIN).content.decode()) == "Patient Portal"


def test_without_any_practice_it_says_patient_portal(client, db):
    assert practice_name_on(client.get(LOGIN).content.decode()) == "Patient Portal"


def test_the_practice_is_looked_up_once_per_request(practice, django_assert_num_queries):
    request = RequestFactory().get(LOGIN)
    with django_assert_num_queries(1):
        assert public_practice(request) == practice
        assert public_practice(request) == practice
        assert public_name(request) == "Harbor Family Practice"


def test_the_public_pages_read_the_practice_once_a_minute(client, practice,
                                                         django_assert_num_queries):
    """Every public page's header names the practice; the cache keeps it for a minute.
    (A browser that names a language of ours: one that names none is answered in the practice's
    default language, which reads the same cached practice.)"""
    page, english = "/account/recovery/username/", {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}
    with django_assert_num_queries(1):
        body = client.get(page, **english).content.decode()
    assert '<span>Harbor Family Practice</span>' in body
    with django_assert_num_queries(0):
        client.get(page, **english)


def test_the_logo_shows_when_set(client, practice, settings):
    settings.PORTAL_LOGO = "img/favicon.svg"
    body = client.get(LOGIN).content.decode()
    assert '<img class="practice-logo" src="/static/img/favicon.svg" alt=""' in body


def test_no_logo_by_default(client, practice):
    assert "practice-logo" not in client.get(LOGIN).content.decode()


def test_a_logo_missing_from_the_collected_files_is_left_out(settings):
    """In production (the manifest storage) a wrong path hides the logo, not the page."""
    settings.PORTAL_LOGO = "img/no-such-logo.png"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}}
    assert public_logo_url() == ""


# One "Forgot username or password?", one "New here?" ------------------------------------------


def test_the_sign_in_page_has_one_way_to_recover(client, practice):
    body = client.get(LOGIN).content.decode()
    assert body.count("Forgot") == 1
    assert '<a href="/account/recovery/">Forgot username or password?</a>' in body


def test_forgot_username_or_password_offers_the_three_ways_with_a_sentence_each(client,
                                                                                 practice):
    body = assert_page(client.get("/account/recovery/"), "accounts/recovery/start.html",
                       "Forgot username or password?")
    items = re.findall(r"<li>\s*<a href=\"([^\"]+)\">([^<]+)</a>\s*<p class=\"hint\">([^<]+)</p>",
                       body)
    assert [(href, text) for href, text, _ in items] == [
        ("/account/recovery/username/", "Forgot username?"),
        ("/account/password/reset/", "Forgot password?"),
        ("/account/recovery/token/", "I have my password reset token"),
    ]
    assert all(sentence.strip().endswith(".") for _, _, sentence in items)
    assert "token" in items[2][2]


def test_forgot_username_or_password_gives_the_practice_phone(client, practice):
    practice.phone = "+16175550123"
    practice.save()
    body = client.get("/account/recovery/").content.decode()
    assert "Call your practice at (617) 555-0123." in body


def test_the_sign_in_page_has_one_new_here_entry(client, practice):
    body = client.get(LOGIN).content.decode()
    assert body.count("<h2>") == 1 and "<h2>New here?</h2>" in body
    assert body.count('href="/account/new/"') == 1
    # The three look-alike links are gone from the sign-in page itself.
    for path in ("/enroll/new-account/", "/enroll/token/", "/enroll/request/"):
        assert path not in body


def test_new_here_explains_each_way_in(client, practice):
    body = assert_page(client.get("/account/new/"), "account/new_here.html", "New here?")
    for link, words in [("/enroll/token/", "Enroll with a token"),
                        ("/enroll/new-account/", "Create a new account"),
                        ("/enroll/request/", "Request portal access"),
                        (LOGIN, "Sign in")]:
        assert f'<a href="{link}">{words}</a>' in body
    for explained in ("A token is a short code your practice gives you",
                      "Open the link in the email or text message from your practice",
                      "temporary username and password", "Harbor Family Practice"):
        assert explained in body


def test_new_here_changes_nothing(client, practice):
    assert client.post("/account/new/").status_code == 405


# Stock allauth and Django texts ---------------------------------------------------------------


def test_signing_in_says_no_successfully_signed_in(client, alice):
    response = sign_in(client, "alice-archer", code_to="alice@example.com")
    home = client.get(response.url).content.decode()
    assert "Successfully signed in" not in home
    assert 'class="flash"' not in home  # no message at all: the home page says enough


def test_signing_out_says_so_in_the_portals_words(client, alice):
    client.force_login(alice.user)
    body = client.post("/account/logout/", follow=True).content.decode()
    assert "You are signed out." in body
    assert "You have signed out" not in body


@pytest.mark.parametrize("path", [LOGIN, "/account/password/change/",
                                  "/account/reauthenticate/"])
def test_no_allauth_help_text_under_password_fields(alice, path):
    client = Client()
    if path != LOGIN:
        client.force_login(alice.user)
    body = client.get(path, follow=True).content.decode()
    assert "Forgot your password?" not in body
    assert "too similar to your other personal information" not in body


def test_wrong_passwords_are_told_in_the_portals_words(client, alice):
    body = sign_in(client, "alice-archer", "Wrong-Password-1!").content.decode()
    assert "The username or password is not correct. Check them and try again." in body
    assert "you specified" not in body


def test_an_empty_password_change_says_what_to_type(alice):
    client = Client()
    client.force_login(alice.user)
    client.post("/account/reauthenticate/", {"password": factories.PASSWORD})
    body = client.post("/account/password/change/", {}).content.decode()
    for message in ("Enter your current password.", "Enter a new password.",
                    "Type the new password again."):
        assert message in body
    assert "This field is required." not in body


def test_two_different_new_passwords_are_told_in_the_portals_words(alice):
    client = Client()
    client.force_login(alice.user)
    client.post("/account/reauthenticate/", {"password": factories.PASSWORD})
    body = client.post("/account/password/change/", {
        "oldpassword": factories.PASSWORD, "password1": "New-Harbor-77",
        "password2": "New-Harbor-78"}).content.decode()
    assert "The two passwords don&#x27;t match." in body
    assert "You must type the same password" not in body


def test_an_empty_confirm_its_you_says_what_to_type(alice):
    client = Client()
    client.force_login(alice.user)
    body = client.post("/account/reauthenticate/", {}).content.decode()
    assert "Enter your password." in body and "This field is required." not in body


@pytest.mark.parametrize("path", [
    "/account/password/reset/", "/account/recovery/username/", "/account/recovery/token/",
    "/account/recovery/security-questions/"])
def test_no_button_says_submit(client, practice, path):
    body = client.get(path).content.decode()
    buttons = re.findall(r"<button[^>]*>([^<]+)</button>", body)
    assert buttons and "Submit" not in buttons, buttons
