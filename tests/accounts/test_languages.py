"""Issue 10, item 14 for accounts/: the person chooses English or Español on the sign-in page and
in Account Settings, and every email and text of accounts/ goes out in their language.

Spanish pages need the compiled catalog (``python -m portal.catalogs``, run by ``make test``)."""

from __future__ import annotations

import datetime
import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.test import Client
from django.utils import timezone

from accounts import account_settings, unenrollment
from accounts.languages import asked_language, language_keep_at_sign_in, user_language
from accounts.notices import account_email_send, security_notice_send
from portal.models import AuditAction, AuditEvent, OutboxMessage
from tests import factories
from tests.accounts.recovery_support import CommittingClient
from tests.pages import assert_page, assert_redirect
from tests.signin import latest_code, sign_in

pytestmark = pytest.mark.django_db

LOGIN = "/account/login/"
CHOOSE = "/account/language/"
COOKIE = settings.LANGUAGE_COOKIE_NAME


def choose(client: Client, language: str, next_url: str = LOGIN):
    return client.post(CHOOSE, {"language": language, "next": next_url})


# Choosing on the sign-in page -----------------------------------------------------------------


def test_the_sign_in_page_offers_both_languages_in_their_own_words(client, practice):
    body = client.get(LOGIN).content.decode()
    form = body.split('class="language-choice"', 1)[1].split("</form>", 1)[0]
    assert '<legend>Language</legend>' in form
    assert 'name="next" value="/account/login/"' in form
    assert '<span class="language-current" lang="en" aria-current="true">English</span>' in form
    assert ('<button type="submit" name="language" value="es" lang="es" '
            'class="button button-quiet">Español</button>') in form


def test_choosing_espanol_turns_the_sign_in_page_spanish(client, practice):
    response = choose(client, "es")
    assert_redirect(response, LOGIN)
    assert response.cookies[COOKIE].value == "es"
    body = assert_page(client.get(LOGIN), "account/login.html", "Iniciar sesión",
                       "¿Olvidó su nombre de usuario o contraseña?", "¿Es nuevo aquí?")
    assert '<span class="language-current" lang="es" aria-current="true">Español</span>' in body
    # Each language keeps its own name, so an English speaker finds theirs on a Spanish page.
    assert 'lang="en" class="button button-quiet">English</button>' in body
    assert "Inglés" not in body
    assert_redirect(choose(client, "en"), LOGIN)
    assert "Forgot username or password?" in client.get(LOGIN).content.decode()


def test_the_choice_is_protected_against_forged_posts(practice):
    client = Client(enforce_csrf_checks=True)
    assert client.post(CHOOSE, {"language": "es"}).status_code == 403
    page = client.get(LOGIN).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    response = client.post(CHOOSE, {"language": "es", "next": LOGIN,
                                    "csrfmiddlewaretoken": token})
    assert_redirect(response, LOGIN)


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", "home", ""])
def test_it_only_goes_back_to_a_page_of_the_portal(client, practice, next_url):
    assert_redirect(choose(client, "es", next_url), LOGIN)


@pytest.mark.parametrize("language", ["fr", "", "es-MX"])
def test_an_unknown_language_changes_nothing(client, practice, language):
    response = choose(client, language)
    assert_redirect(response, LOGIN)
    assert COOKIE not in response.cookies


def test_it_is_a_post(client, practice):
    assert client.get(CHOOSE).status_code == 405


def test_a_choice_made_before_sign_in_is_kept_on_an_account_without_one(client, alice):
    choose(client, "es")
    sign_in(client, "alice-archer", code_to="alice@example.com")
    alice.user.refresh_from_db()
    assert alice.user.language == "es"
    event = AuditEvent.objects.get(action=AuditAction.PREFERENCES_CHANGED)
    assert event.extra == {"language": "es", "old_language": None}


def test_a_saved_choice_is_not_replaced_at_sign_in(client, alice):
    alice.user.language = "es"
    alice.user.save()
    choose(client, "en")
    sign_in(client, "alice-archer", code_to="alice@example.com")
    alice.user.refresh_from_db()
    assert alice.user.language == "es"
    assert not AuditEvent.objects.filter(action=AuditAction.PREFERENCES_CHANGED).exists()


def test_no_choice_saves_nothing_at_sign_in(client, alice):
    sign_in(client, "alice-archer", code_to="alice@example.com",
            HTTP_ACCEPT_LANGUAGE="es")
    alice.user.refresh_from_db()
    assert alice.user.language == ""


def test_keeping_a_forged_cookie_saves_nothing(alice, rf):
    request = rf.get("/")
    request.COOKIES[COOKIE] = "xx"
    language_keep_at_sign_in(user=alice.user, request=request)
    alice.user.refresh_from_db()
    assert alice.user.language == ""


def test_the_code_page_speaks_the_chosen_language(client, alice):
    choose(client, "es")
    client.post(LOGIN, {"login": "alice-archer", "password": factories.PASSWORD})
    assert_page(client.get("/account/login/verify-code/"), "account/verify_code.html",
                "Verifique que es usted", "Enviamos un código de 6 dígitos", "Verificar",
                "Empezar de nuevo")


# Account Settings -----------------------------------------------------------------------------


def test_account_settings_offers_the_choice(signed_in):
    body = signed_in.get("/account/settings/").content.decode()
    section = body.split('id="language-heading"', 1)[1].split("</section>", 1)[0]
    assert 'action="/account/language/"' in section
    assert 'value="en"' in section and 'value="es"' in section
    assert re.search(r'<input type="radio" name="language" value="en"[^>]*checked', section)
    assert 'lang="es">Español</label>' in section


def test_choosing_in_account_settings_saves_and_audits(signed_in, alice):
    response = choose(signed_in, "es", "/account/settings/")
    assert_redirect(response, "/account/settings/")
    alice.user.refresh_from_db()
    assert alice.user.language == "es"
    event = AuditEvent.objects.get(action=AuditAction.PREFERENCES_CHANGED)
    assert event.actor == alice.user and event.extra["language"] == "es"
    # Said in the language just chosen, on a page in that language.
    body = signed_in.get("/account/settings/").content.decode()
    assert "Se guardó su idioma." in body and "Configuración de la cuenta" in body
    assert re.search(r'<input type="radio" name="language" value="es"[^>]*checked', body)


def test_choosing_the_same_language_again_is_not_audited_twice(signed_in, alice):
    choose(signed_in, "es", "/account/settings/")
    choose(signed_in, "es", "/account/settings/")
    assert AuditEvent.objects.filter(action=AuditAction.PREFERENCES_CHANGED).count() == 1


def test_the_saved_language_wins_over_the_browser(signed_in, alice):
    choose(signed_in, "es", "/account/settings/")
    body = signed_in.get("/account/settings/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Configuración de la cuenta" in body


# Emails and texts in the recipient's language -------------------------------------------------


def newest(template: str) -> OutboxMessage:
    return OutboxMessage.objects.filter(template=template).order_by("-pk").first()


def test_security_notices_follow_the_account(alice):
    alice.user.language = "es"
    alice.user.save()
    EmailAddress.objects.create(user=alice.user, email="alice@example.com", verified=True,
                                primary=True)
    security_notice_send(user=alice.user, event="password_changed")
    notice = newest("security-notice")
    assert notice.subject == "Un cambio en su cuenta del portal del paciente"
    assert "Se cambió su contraseña." in notice.body_text
    assert 'lang="es"' in notice.body_html


def test_security_notices_by_text_follow_the_account(alice):
    alice.user.language = "es"
    alice.user.save()
    alice.user.onetimecodedevice_set.all().delete()
    factories.add_code_method(alice.user, "+16175550100", channel="sms")
    security_notice_send(user=alice.user, event="username_changed")
    assert newest("security-notice").body_text.startswith(
        "Portal del paciente: Se cambió su nombre de usuario.")


def test_without_a_saved_language_notices_follow_the_practice(alice, practice):
    practice.default_language = "es"
    practice.save()
    assert user_language(alice.user) == "es"
    EmailAddress.objects.create(user=alice.user, email="alice@example.com", verified=True,
                                primary=True)
    security_notice_send(user=alice.user, event="method_added")
    assert "Se agregó a su cuenta" in newest("security-notice").body_text


def test_notices_about_the_account_follow_the_account(alice):
    alice.user.language = "es"
    alice.user.save()
    EmailAddress.objects.create(user=alice.user, email="alice@example.com", verified=True,
                                primary=True)
    assert account_email_send(user=alice.user, template="account-unenrolled", context={
        "first_name": "Alice", "username": "alice-archer", "by_practice": True,
        "practices": []})
    message = newest("account-unenrolled")
    assert message.subject == "Se dio de baja su cuenta del portal del paciente"
    assert "Hola, Alice:" in message.body_text


def test_the_unenrollment_sweep_writes_in_the_accounts_language(alice, practice):
    alice.user.language = "es"
    alice.user.last_login = timezone.now() - datetime.timedelta(days=800)
    alice.user.save()
    EmailAddress.objects.create(user=alice.user, email="alice@example.com", verified=True,
                                primary=True)
    assert unenrollment.inactive_accounts_unenroll() == 1
    assert "mucho tiempo sin usarse" in newest("account-unenrolled").body_text


def test_a_sign_in_code_follows_the_account(client, alice):
    alice.user.language = "es"
    alice.user.save()
    client.post(LOGIN, {"login": "alice-archer", "password": factories.PASSWORD})
    client.get("/account/login/verify-code/")
    code = newest("verification-code")
    assert code.subject == "Su código de verificación"
    assert "Su código de verificación del portal del paciente es" in code.body_text
    assert latest_code("alice@example.com")


def test_without_a_saved_language_a_code_follows_the_page(client, alice):
    client.post(LOGIN, {"login": "alice-archer", "password": factories.PASSWORD},
                HTTP_ACCEPT_LANGUAGE="es")
    client.get("/account/login/verify-code/", HTTP_ACCEPT_LANGUAGE="es")
    assert newest("verification-code").subject == "Su código de verificación"
    client.post("/account/login/start-again/")
    client.post(LOGIN, {"login": "alice-archer", "password": factories.PASSWORD})
    client.get("/account/login/verify-code/")  # the same attempt: no new code yet
    assert OutboxMessage.objects.filter(template="verification-code").count() == 1


def test_a_code_by_text_follows_the_account(signed_in, alice):
    alice.user.language = "es"
    alice.user.save()
    signed_in.post("/account/settings/mobile/", {"mobile_phone": "(617) 555-0188"})
    text = newest("verification-code")
    assert text.recipient == "+16175550188"
    assert "es su código de verificación del portal del paciente" in text.body_text


def test_a_username_reminder_follows_the_account():
    client = CommittingClient()
    user = factories.make_user("rosa-reyes", email="rosa@example.com", language="es")
    EmailAddress.objects.create(user=user, email="rosa@example.com", verified=True,
                                primary=True)
    client.post("/account/recovery/username/", {"email": "rosa@example.com"})
    message = newest("username-reminder")
    assert message.subject == "Su nombre de usuario del portal del paciente"
    assert "rosa-reyes" in message.body_text


def test_without_a_saved_language_a_username_reminder_follows_the_page():
    client = CommittingClient()
    user = factories.make_user("rosa-reyes", email="rosa@example.com")
    EmailAddress.objects.create(user=user, email="rosa@example.com", verified=True,
                                primary=True)
    client.post("/account/recovery/username/", {"email": "rosa@example.com"},
                HTTP_ACCEPT_LANGUAGE="es")
    assert newest("username-reminder").subject == "Su nombre de usuario del portal del paciente"
    client.post("/account/recovery/username/", {"email": "rosa@example.com"})
    assert newest("username-reminder").subject == "Your patient portal username"


def test_reset_links_follow_each_account_on_a_shared_address():
    """A family sharing one address: each account's link in that account's language."""
    client = CommittingClient()
    for username, language in [("rosa-reyes", "es"), ("ray-reyes", "")]:
        user = factories.make_user(username, email="reyes@example.com", language=language)
        EmailAddress.objects.create(user=user, email="reyes@example.com", verified=True,
                                    primary=True)
    client.post("/account/password/reset/", {"email": "reyes@example.com"})
    subjects = {re.search(r"(rosa-reyes|ray-reyes)", m.body_text)[1]: m.subject
                for m in OutboxMessage.objects.filter(template="password_reset_key")}
    assert subjects == {"rosa-reyes": "Restablezca la contraseña del portal del paciente",
                        "ray-reyes": "Reset your patient portal password"}


def test_the_reset_link_email_is_in_the_portals_tone(client):
    client = CommittingClient()
    user = factories.make_user("rosa-reyes", email="rosa@example.com")
    EmailAddress.objects.create(user=user, email="rosa@example.com", verified=True,
                                primary=True)
    client.post("/account/password/reset/", {"email": "rosa@example.com"},
                HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux) Chrome/140")
    message = newest("password_reset_key")
    assert message.subject == "Reset your patient portal password"
    assert "Choose a new password: " in message.body_text
    for stock in ("Hello from", "Thank you for using", "Mozilla", "Browser:"):
        assert stock not in message.body_text


def test_asked_language_prefers_what_the_accounts_agree_on(db):
    rosa = factories.make_user("rosa-reyes", language="es")
    ray = factories.make_user("ray-reyes", language="en")
    nobody = factories.make_user("no-one-yet")
    assert asked_language([rosa, nobody], "en") == "es"
    assert asked_language([rosa, ray], "es") == "es"
    assert asked_language([rosa, ray], "en") == "en"
    assert asked_language([nobody], "xx") == settings.LANGUAGE_CODE


def test_settings_changes_write_in_the_accounts_language(signed_in, alice):
    choose(signed_in, "es", "/account/settings/")
    alice.user.refresh_from_db()
    account_settings.username_change(user=alice.user, username="alice.b", request=None)
    assert "Se cambió su nombre de usuario." in newest("security-notice").body_text


# The practice's default, when nobody chose ---------------------------------------------------


@pytest.mark.parametrize(("browser", "cookie", "expected"), [
    ("fr-FR,fr;q=0.9", None, "es"),   # the browser asks for neither: the practice's default
    ("", None, "es"),
    ("en-US,en;q=0.9", None, "en"),   # the browser's English wins over the practice's Spanish
    ("fr-FR", "en", "en"),            # so does a choice made on the sign-in page
])
def test_the_public_pages_follow_the_practices_default(client, practice, browser, cookie,
                                                       expected):
    practice.default_language = "es"
    practice.save()
    if cookie:
        client.cookies[COOKIE] = cookie
    response = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE=browser)
    assert f'<html lang="{expected}"' in response.content.decode()


def test_a_person_without_a_saved_language_gets_their_practices_default(client, alice,
                                                                        practice):
    practice.default_language = "es"
    practice.save()
    client.force_login(alice.user)
    assert '<html lang="es"' in client.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="en"' in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
