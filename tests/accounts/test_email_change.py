"""Changing the account's email address (SPEC A4): the new address takes over sign-in codes by
email only when the change was asked for in Account Settings, behind reauthentication, and
its link was followed; the old address (or, without one, the verified mobile) is told."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.test import Client

from accounts.devices import OneTimeCodeDevice
from portal.models import AuditAction, AuditEvent, OutboxMessage
from tests import factories
from tests.signin import sign_in

pytestmark = pytest.mark.django_db


def confirmation_path(to: str) -> str:
    message = OutboxMessage.objects.get(template="email_confirmation", recipient=to)
    return re.search(r"https?://[^/\s]+(/account/confirm-email/\S+/)", message.body_text)[1]


def notices(to: str) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(template="security-notice", recipient=to))


def code_destinations(user) -> list[str]:
    return list(OneTimeCodeDevice.objects.filter(user=user, confirmed=True)
                .values_list("destination", flat=True))


def test_a_session_alone_cannot_add_an_address_and_take_over_the_codes(alice):
    """The attack: someone holding alice's session adds their address on allauth's own email
    page, confirms it, and the email codes follow it."""
    EmailAddress.objects.create(user=alice.user, email="alice@example.com", verified=True,
                                primary=True)
    mallory = Client()
    mallory.force_login(alice.user)
    mallory.post("/account/email/", {"action_add": "", "email": "mallory@example.com"})
    for message in OutboxMessage.objects.filter(recipient="mallory@example.com"):
        link = re.search(r"https?://[^/\s]+(/account/confirm-email/\S+/)", message.body_text)
        if link:
            mallory.post(link[1])
    alice.user.refresh_from_db()
    assert alice.user.email == "alice@example.com"
    assert code_destinations(alice.user) == ["alice@example.com"]
    assert not EmailAddress.objects.filter(email="mallory@example.com").exists()


def test_an_address_not_asked_for_in_account_settings_takes_over_nothing(client, alice):
    """However an unconfirmed address came to be on the account, following its link does not
    move the codes or the account's email."""
    EmailAddress.objects.create(user=alice.user, email="alice@example.com", verified=True,
                                primary=True)
    stray = EmailAddress.objects.create(user=alice.user, email="mallory@example.com",
                                        verified=False, primary=False)
    key = EmailConfirmationHMAC(stray).key
    client.post(f"/account/confirm-email/{key}/")
    alice.user.refresh_from_db()
    assert alice.user.email == "alice@example.com"
    assert code_destinations(alice.user) == ["alice@example.com"]
    assert not EmailAddress.objects.filter(email="mallory@example.com", verified=True).exists()


def test_the_change_asked_for_moves_the_codes_once_its_link_is_followed(signed_in, alice):
    signed_in.post("/account/settings/email/", {"email": "alice.new@example.com"})
    assert code_destinations(alice.user) == ["alice@example.com"]  # not before the link
    Client().post(confirmation_path("alice.new@example.com"))  # from another browser, too
    alice.user.refresh_from_db()
    assert alice.user.email == "alice.new@example.com"
    assert code_destinations(alice.user) == ["alice.new@example.com"]
    assert "email address of your account was changed" in notices("alice@example.com")[0] \
        .body_text
    assert notices("alice.new@example.com")
    assert AuditEvent.objects.filter(action=AuditAction.EMAIL_CHANGED, actor=alice.user).exists()


def test_a_link_for_an_address_replaced_by_a_later_request_does_nothing(signed_in, alice):
    signed_in.post("/account/settings/email/", {"email": "first@example.com"})
    first = confirmation_path("first@example.com")
    signed_in.post("/account/settings/email/", {"email": "second@example.com"})
    Client().post(first)
    alice.user.refresh_from_db()
    assert alice.user.email == "alice@example.com"
    assert code_destinations(alice.user) == ["alice@example.com"]


def test_without_a_confirmed_old_address_the_mobile_is_told(client, practice):
    """Enrolled with a code by text, the address given then never confirmed: the change is
    still audited, and the person hears of it on their verified mobile."""
    chart = factories.make_chart(practice, "Tess", "Text")
    user = factories.make_user("tess-text", email="tess@example.com")
    factories.grant(user, chart)
    factories.add_code_method(user, "+16175550142", channel="sms")
    EmailAddress.objects.create(user=user, email="tess@example.com", verified=False,
                                primary=True)
    sign_in(client, "tess-text", code_to="+16175550142")
    client.post("/account/settings/email/", {"email": "tess.new@example.com"})
    Client().post(confirmation_path("tess.new@example.com"))
    user.refresh_from_db()
    assert user.email == "tess.new@example.com"
    texts = OutboxMessage.objects.filter(template="security-notice", recipient="+16175550142")
    assert texts.exists()
    assert not notices("tess@example.com")  # never proven: it is not told about the account
    assert AuditEvent.objects.filter(action=AuditAction.EMAIL_CHANGED, actor=user).exists()


def test_the_address_given_at_enrollment_is_confirmed_without_changing_the_codes(client,
                                                                                 practice):
    chart = factories.make_chart(practice, "Tess", "Text")
    user = factories.make_user("tess-text", email="tess@example.com")
    factories.grant(user, chart)
    factories.add_code_method(user, "+16175550142", channel="sms")
    address = EmailAddress.objects.create(user=user, email="tess@example.com", verified=False,
                                          primary=True)
    client.post(f"/account/confirm-email/{EmailConfirmationHMAC(address).key}/")
    address.refresh_from_db()
    assert address.verified
    assert code_destinations(user) == ["+16175550142"]
