"""SPEC A4: Account Settings, with reauthentication and a notice for each security change."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.devices import OneTimeCodeDevice
from accounts.login_code import methods_for
from accounts.security_questions import answer_matches
from portal.models import AuditAction, AuditEvent, OutboxMessage
from tests import factories
from tests.factories import PASSWORD
from tests.lookalikes import full_width
from tests.signin import latest_code, sign_in

pytestmark = pytest.mark.django_db


def notices(to="alice@example.com"):
    return list(OutboxMessage.objects.filter(template="security-notice", recipient=to))


def test_the_page_lists_what_can_be_changed(signed_in):
    body = signed_in.get("/account/settings/").content.decode()
    for text in ("Change username", "Change password", "Change email",
                 "Ways to receive sign-in codes", "Email to a", "Security questions",
                 "Notifications", "Sign out of all other devices"):
        assert text in body


def test_it_requires_sign_in(client):
    assert client.get("/account/settings/").url.startswith("/account/login/")


def test_changing_the_username_with_the_same_rules(signed_in, alice, practice):
    factories.make_user("taken-name")
    response = signed_in.post("/account/settings/username/", {"username": "TAKEN-NAME"})
    assert b"That username is taken" in response.content
    response = signed_in.post("/account/settings/username/", {"username": "has space"})
    assert b"cannot contain spaces" in response.content
    assert signed_in.post("/account/settings/username/", {"username": "alice.a"}).url == \
        "/account/settings/"
    alice.user.refresh_from_db()
    assert alice.user.username == "alice.a"
    assert "Your username was changed." in notices()[0].body_text
    assert AuditEvent.objects.filter(action=AuditAction.USERNAME_CHANGED).exists()


def test_asking_whether_usernames_are_taken_is_throttled_here_too(signed_in, alice):
    factories.make_user("taken-name")
    for _ in range(5):
        response = signed_in.post("/account/settings/username/", {"username": "TAKEN-NAME"})
        assert b"That username is taken" in response.content
    response = signed_in.post("/account/settings/username/", {"username": "alice.free"})
    assert b"Too many attempts" in response.content
    alice.user.refresh_from_db()
    assert alice.user.username == "alice-archer"


@pytest.mark.parametrize("look_alike", [full_width("TAKEN-NAME"), "taken-name", "TAKEN-NAME"])
def test_a_look_alike_of_a_taken_username_is_taken_here_too(signed_in, alice, look_alike):
    factories.make_user("taken-name")
    response = signed_in.post("/account/settings/username/", {"username": look_alike})
    assert b"That username is taken" in response.content
    alice.user.refresh_from_db()
    assert alice.user.username == "alice-archer"


def test_sensitive_changes_ask_for_the_password_after_a_few_minutes(signed_in, alice):
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=10)):
        response = signed_in.post("/account/settings/username/", {"username": "alice.b"})
        assert response.url.startswith("/account/reauthenticate/")
        signed_in.post("/account/reauthenticate/", {"password": PASSWORD})
        assert signed_in.post("/account/settings/username/", {"username": "alice.b"}).url \
            == "/account/settings/"


def _full_sign_in(client):
    """Password, then the one-time code, through the real sign-in pages."""
    response = sign_in(client, "alice-archer", code_to="alice@example.com")
    assert response.url == "/"
    assert "_auth_user_id" in client.session


def test_a_change_right_after_a_full_sign_in_does_not_ask_for_the_password(client, alice):
    _full_sign_in(client)
    response = client.post("/account/settings/username/", {"username": "alice.c"})
    assert response.url == "/account/settings/"
    # Still inside allauth's reauthentication window a moment before it closes.
    window = settings.ACCOUNT_REAUTHENTICATION_TIMEOUT
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=window - 5)):
        response = client.post("/account/settings/username/", {"username": "alice.d"})
        assert response.url == "/account/settings/"
    alice.user.refresh_from_db()
    assert alice.user.username == "alice.d"


def test_a_change_after_the_reauthentication_window_asks_for_the_password(client, alice):
    _full_sign_in(client)
    window = settings.ACCOUNT_REAUTHENTICATION_TIMEOUT
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=window + 1)):
        response = client.post("/account/settings/username/", {"username": "alice.c"})
        assert response.url.startswith("/account/reauthenticate/")
        alice.user.refresh_from_db()
        assert alice.user.username == "alice-archer"
        page = client.get(response.url)
        assert b"enter your password again" in page.content


def test_allauths_own_emailed_reauthentication_code_is_off(client, alice):
    """Only the password confirms it's you: allauth's "send me a sign-in code" reauthentication
    (65.22+) would email a code outside the portal's own code devices. Its pages are not even
    routed (accounts/allauth_urls.py)."""
    _full_sign_in(client)
    sent = OutboxMessage.objects.count()
    assert client.get("/account/reauthenticate/code/").status_code == 404
    assert client.post("/account/reauthenticate/code/",
                       {"email": "alice@example.com"}).status_code == 404
    assert OutboxMessage.objects.count() == sent


def test_changing_the_password_asks_for_the_current_one(signed_in, alice):
    response = signed_in.post("/account/password/change/", {
        "oldpassword": "wrong", "password1": "New-Harbor-77", "password2": "New-Harbor-77"})
    assert b"Please type your current password" in response.content
    signed_in.post("/account/password/change/", {
        "oldpassword": PASSWORD, "password1": "New-Harbor-77", "password2": "New-Harbor-77"})
    alice.user.refresh_from_db()
    assert alice.user.check_password("New-Harbor-77")
    # The portal's security notice (tests/accounts/test_password_change_audited.py).
    assert notices() and "Your password was changed." in notices()[0].body_text


def test_a_new_email_counts_once_confirmed_and_the_old_one_is_told(signed_in, alice):
    signed_in.post("/account/settings/email/", {"email": "alice.new@example.com"})
    alice.user.refresh_from_db()
    assert alice.user.email == "alice@example.com"  # not before the link is followed
    link = OutboxMessage.objects.get(template="email_confirmation").body_text
    path = re.search(r"https?://[^/\s]+(/account/confirm-email/\S+/)", link)[1]
    signed_in.post(path)
    alice.user.refresh_from_db()
    assert alice.user.email == "alice.new@example.com"
    assert notices("alice@example.com") and notices("alice.new@example.com")
    assert OneTimeCodeDevice.objects.get(user=alice.user).destination == "alice.new@example.com"


def test_a_mobile_number_is_verified_by_a_text_code(signed_in, alice):
    signed_in.post("/account/settings/mobile/", {"mobile_phone": "(617) 555-0188"})
    response = signed_in.post("/account/settings/mobile/verify/", {"code": "000000"})
    assert b"That code is not right" in response.content
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=3)):
        signed_in.post("/account/settings/mobile/verify/",
                       {"code": latest_code("+16175550188")})
    device = OneTimeCodeDevice.objects.get(user=alice.user, channel="sms")
    assert device.confirmed
    assert "new way to receive sign-in codes" in notices()[0].body_text


def test_the_last_method_cannot_be_removed(signed_in, alice):
    only = OneTimeCodeDevice.objects.get(user=alice.user)
    response = signed_in.post("/account/settings/methods/remove/",
                              {"method": f"code:{only.pk}"}, follow=True)
    assert b"You need at least one way" in response.content
    assert OneTimeCodeDevice.objects.filter(pk=only.pk).exists()


def test_a_method_of_another_user_cannot_be_removed(signed_in, charlie):
    theirs = factories.add_code_method(charlie.user, "charlie@example.com")
    signed_in.post("/account/settings/methods/remove/", {"method": f"code:{theirs.pk}"})
    assert OneTimeCodeDevice.objects.filter(pk=theirs.pk).exists()


def _secret_of(page) -> bytes:
    """The key the page shows under the QR code ("Can't scan it?"), as bytes."""
    import base64

    key = re.search(r'<code class="secret-key">([A-Z2-7=]+)</code>', page.content.decode())[1]
    return base64.b32decode(key)


def _code_now(key: bytes) -> str:
    return f"{totp(key, step=30, t0=0, digits=6):06d}"


def test_an_authenticator_app_is_set_up_from_a_qr_code(signed_in, alice):
    page = signed_in.get("/account/settings/authenticator/")
    assert b"<svg" in page.content and b"QR code for your authenticator app" in page.content
    key = _secret_of(page)
    assert signed_in.post("/account/settings/authenticator/", {"code": _code_now(key)}).url == \
        "/account/settings/"
    device = TOTPDevice.objects.get(user=alice.user)
    assert device.confirmed and device.bin_key == key
    assert AuditEvent.objects.filter(action=AuditAction.METHOD_ADDED,
                                     extra__method="totp").count() == 1
    # With two methods, the email one can now go.
    email = OneTimeCodeDevice.objects.get(user=alice.user)
    signed_in.post("/account/settings/methods/remove/", {"method": f"code:{email.pk}"})
    assert not OneTimeCodeDevice.objects.filter(pk=email.pk).exists()
    assert any("was removed from your account" in n.body_text for n in notices())


def test_opening_the_authenticator_page_creates_no_device(signed_in, alice):
    first = signed_in.get("/account/settings/authenticator/")
    again = signed_in.get("/account/settings/authenticator/")
    assert not TOTPDevice.objects.filter(user=alice.user).exists()
    # Reloading shows the same secret, so an app that scanned the first page still matches.
    assert _secret_of(first) == _secret_of(again)
    assert [m.label for m in methods_for(alice.user)] == ["Email to a•••@example.com"]


def test_a_wrong_code_creates_no_device_and_is_throttled(signed_in, alice):
    page = signed_in.get("/account/settings/authenticator/")
    response = signed_in.post("/account/settings/authenticator/", {"code": "000000"})
    assert b"That code is not right" in response.content
    assert not TOTPDevice.objects.filter(user=alice.user).exists()
    # django-otp's doubling wait after a wrong code: the right one, at once, is refused too.
    response = signed_in.post("/account/settings/authenticator/",
                              {"code": _code_now(_secret_of(page))})
    assert b"Too many wrong codes" in response.content
    assert not TOTPDevice.objects.filter(user=alice.user).exists()
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=3)):
        response = signed_in.post("/account/settings/authenticator/",
                                  {"code": _code_now(_secret_of(page))})
    assert response.url == "/account/settings/"
    assert TOTPDevice.objects.get(user=alice.user).confirmed


def test_the_secret_lives_only_in_its_own_session(signed_in, alice):
    mine = _secret_of(signed_in.get("/account/settings/authenticator/"))
    other = Client()
    other.force_login(alice.user)
    other.post("/account/reauthenticate/", {"password": PASSWORD})
    theirs = _secret_of(other.get("/account/settings/authenticator/"))
    assert mine != theirs
    # A code from the secret shown in one browser does nothing in the other.
    response = other.post("/account/settings/authenticator/", {"code": _code_now(mine)})
    assert b"That code is not right" in response.content
    assert not TOTPDevice.objects.filter(user=alice.user).exists()


def test_an_unconfirmed_device_left_by_an_earlier_version_goes(signed_in, alice):
    TOTPDevice.objects.create(user=alice.user, name="Authenticator app", confirmed=False)
    page = signed_in.get("/account/settings/authenticator/")
    signed_in.post("/account/settings/authenticator/", {"code": _code_now(_secret_of(page))})
    assert list(TOTPDevice.objects.filter(user=alice.user).values_list("confirmed", flat=True)) \
        == [True]


def test_the_only_method_has_no_remove_button(signed_in, alice):
    body = signed_in.get("/account/settings/").content.decode()
    assert "account/settings/methods/remove/" not in body
    assert "cannot be removed" in body
    factories.add_code_method(alice.user, "+16175550100", channel="sms")
    body = signed_in.get("/account/settings/").content.decode()
    assert body.count('action="/account/settings/methods/remove/"') == 2


def test_security_questions_are_replaced_and_hashed(signed_in, alice):
    response = signed_in.post("/account/settings/security-questions/", {
        "question1": "first_pet", "answer1": "Rex", "question2": "first_pet", "answer2": "Max"})
    assert b"Choose two different questions." in response.content
    signed_in.post("/account/settings/security-questions/", {
        "question1": "first_pet", "answer1": "Rex", "question2": "first_car", "answer2": "Golf"})
    answers = {a.question: a.answer_hash for a in alice.user.security_answers.all()}
    assert set(answers) == {"first_pet", "first_car"}
    assert answer_matches(" rex ", answers["first_pet"])


def test_notification_preferences(signed_in, alice):
    factories.add_code_method(alice.user, "+16175550100", channel="sms")
    signed_in.post("/account/settings/notifications/", {"notify_by_text": "on"})
    alice.user.refresh_from_db()
    assert (alice.user.notify_by_email, alice.user.notify_by_text) == (False, True)
    assert AuditEvent.objects.filter(action=AuditAction.PREFERENCES_CHANGED).exists()


def test_without_a_mobile_number_texts_are_not_offered(signed_in, alice):
    body = signed_in.get("/account/settings/").content.decode()
    assert 'name="notify_by_text"' not in body
    assert "To be told by text message, first" in body
    assert "add a mobile number" in body
    # Nor taken when sent anyway.
    signed_in.post("/account/settings/notifications/", {"notify_by_email": "on",
                                                        "notify_by_text": "on"})
    alice.user.refresh_from_db()
    assert (alice.user.notify_by_email, alice.user.notify_by_text) == (True, False)


def test_with_a_verified_mobile_number_texts_are_offered(signed_in, alice):
    factories.add_code_method(alice.user, "+16175550100", channel="sms")
    body = signed_in.get("/account/settings/").content.decode()
    assert 'name="notify_by_text"' in body
    assert "To be told by text message, first" not in body
    assert "•••-•••-0100" in body
