"""Every address of the portal, placed: a view that changes a person's account — its password,
username, email, ways of receiving codes, security questions, sessions, who may act on the
record — is behind allauth's ``reauthentication_required`` or is the form that asks for the
current password. Anything else says here why it changes no account.

The addresses come from the URL configuration: a new view fails
``test_every_address_is_placed`` until it is added below under what it does.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from accounts.devices import OneTimeCodeDevice
from accounts.models import User
from tests.factories import PASSWORD
from tests.pages import assert_not_found

pytestmark = pytest.mark.django_db

# Changes the signed-in person's account, or who may act on their record: behind
# reauthentication_required, so a session alone — a borrowed computer, a stolen cookie — is not
# enough once the last sign-in is a few minutes old.
REAUTHENTICATED = {
    "account_settings_username",
    "account_settings_email",
    "account_settings_mobile",
    "account_settings_authenticator",
    "account_settings_remove_method",
    "account_settings_questions",
    "sign_out_other_devices",
    "representative_invite",
    "representative_edit_rights",
    "representative_revoke",
    "representative_invitation_cancel",
}
# Changes the password with a form that asks for the current one.
ASKS_FOR_THE_PASSWORD = {"account_change_password", "admin:password_change"}
# Finishes a change that was started behind reauthentication, and only that one: the code
# typed for a number Account Settings sent it to in this session; the link emailed to an
# address Account Settings was asked to use.
FINISHES_A_REAUTHENTICATED_CHANGE = {"account_settings_mobile_verify", "account_confirm_email"}
# Signs in or out, or proves it is the person: the password, the code, "Confirm it's you".
SIGNS_IN = {
    "account_login", "account_logout", "account_verify_code", "account_login_start_again",
    "account_reauthenticate",
    "account_inactive", "admin:login", "admin:logout", "session_keepalive",
}
# Recovery without a session: proven by a link to a verified address, the security answers or
# a staff token, never by a session.
RECOVERY = {
    "account_reset_password", "account_reset_password_done", "account_reset_password_from_key",
    "account_reset_password_from_key_done", "recovery:forgot_username", "recovery:username_sent",
    "recovery:security_questions_start", "recovery:security_questions", "recovery:reset_token",
    "recovery:reset_password", "recovery:start",
}
# Enrollment: makes an account that is not active until its first code, never changes one.
ENROLLMENT = {
    "enrollment:sign_up", "enrollment:identify", "enrollment:welcome", "enrollment:token",
    "enrollment:request_access", "enrollment:request_sent", "enrollment:new_account",
    "enrollment:register", "enrollment:security_details", "enrollment:verify",
}
# Changes nothing about signing in, recovery or access: pages that read, choosing whose
# record to open, notification preferences (security notices go out whatever they say).
CHANGES_NO_ACCOUNT = {
    "home", "activity", "account_settings", "switch_patient", "account_settings_notifications",
    "representatives", "dev_outbox", "healthz", "favicon.ico",
    # "New here?" only explains; the language is a preference like the notifications.
    "account_new_here", "account_language",
}
# The staff console: staff act on other people's records under their role, scoped to their
# practice and audited (tests/staffadmin). The staff member's own password is
# ASKS_FOR_THE_PASSWORD above.
_CONSOLE_MODELS = [
    "account_emailaddress", "portal_practice", "enrollment_enrollmentrequest",
    "portal_patientchart", "accounts_portalaccess", "accounts_staffmembership", "portal_provider",
    "portal_auditevent", "portal_outboxmessage", "accounts_user", "otp_totp_totpdevice",
]
STAFF_CONSOLE = {
    "admin:index", "admin:password_change_done", "admin:autocomplete", "admin:jsi18n",
    "admin:app_list", "staff/(?P<url>.*)$",
    *(f"admin:{model}_{page}" for model in _CONSOLE_MODELS
      for page in ("changelist", "add", "history", "delete", "change")),
    # The old address of an object, which only redirects to its change page.
    *(f"staff/{'/'.join(model.rsplit('_', 1))}/<path:object_id>/" for model in _CONSOLE_MODELS),
    "admin:auth_user_password_change",
    "admin:enrollment_enrollmentrequest_approve", "admin:enrollment_enrollmentrequest_reject",
    "admin:enrollment_enrollmentrequest_create_chart", "admin:portal_patientchart_unenroll_confirm",
    "admin:portal_patientchart_age_out_report", "admin:portal_patientchart_family",
    "admin:portal_patientchart_family_edit_rights", "admin:portal_patientchart_family_revoke",
    "admin:portal_patientchart_issue_reset_token", "admin:portal_patientchart_unenroll",
    "admin:portal_patientchart_reactivate", "admin:portal_patientchart_self_registration",
    "admin:portal_patientchart_issue_token", "admin:portal_patientchart_send_invitation",
    "admin:portal_patientchart_generate_password",
    "admin:portal_patientchart_enable_portal_access",
    "admin:portal_patientchart_enable_portal_access_relationships",
    # Authenticator devices: seeds never shown (these answer 403), every opening audited.
    "admin:otp_totp_totpdevice_config", "admin:otp_totp_totpdevice_qrcode",
}
PLACES = {
    "reauthenticated": REAUTHENTICATED, "asks for the password": ASKS_FOR_THE_PASSWORD,
    "finishes a reauthenticated change": FINISHES_A_REAUTHENTICATED_CHANGE,
    "signs in": SIGNS_IN, "recovery": RECOVERY, "enrollment": ENROLLMENT,
    "changes no account": CHANGES_NO_ACCOUNT, "staff console": STAFF_CONSOLE,
}
# allauth's pages the portal does not use: not routed at all (accounts/allauth_urls.py).
NOT_ROUTED = [
    "account_signup", "account_email", "account_set_password", "account_email_verification_sent",
    "account_request_reauthentication_code", "account_confirm_reauthentication_code",
    "account_confirm_login_code", "account_request_login_code",
]


@dataclass(frozen=True)
class Address:
    route: str
    label: str  # the URL name with its namespace, or the route for an unnamed one
    arguments: tuple[str, ...]


def addresses() -> list[Address]:
    def walk(resolver: URLResolver, route: str, namespace: str) -> Iterator[Address]:
        for entry in resolver.url_patterns:
            here = route + str(entry.pattern)
            if isinstance(entry, URLResolver):
                inner = namespace + (f"{entry.namespace}:" if entry.namespace else "")
                yield from walk(entry, here, inner)
            elif isinstance(entry, URLPattern):
                label = f"{namespace}{entry.name}" if entry.name else here
                yield Address(here, label, tuple(entry.pattern.regex.groupindex))

    return list(walk(get_resolver(), "", ""))


def place_of(label: str) -> list[str]:
    return [place for place, labels in PLACES.items() if label in labels]


def fill(address: Address) -> str:
    return reverse(address.label, kwargs={arg: uuid.uuid4() for arg in address.arguments})


def test_every_address_is_placed():
    unplaced = [f"{a.label} ({a.route})" for a in addresses() if len(place_of(a.label)) != 1]
    assert not unplaced, (
        "Each view must be placed exactly once in tests/portal/"
        "test_account_changes_need_reauthentication.py; a view that changes an account goes "
        "behind reauthentication_required:\n" + "\n".join(unplaced))


def test_every_placed_address_exists():
    """A renamed or removed view leaves no stale entry that would cover a new one."""
    labels = {a.label for a in addresses()}
    stale = [label for labels_ in PLACES.values() for label in labels_ if label not in labels]
    assert not stale, stale


def test_the_console_pages_are_those_of_its_registered_models():
    registered = {f"{m._meta.app_label}_{m._meta.model_name}" for m in admin.site._registry}
    assert registered == set(_CONSOLE_MODELS)


@pytest.mark.parametrize("name", NOT_ROUTED)
def test_allauths_pages_the_portal_does_not_use_are_not_routed(name):
    with pytest.raises(NoReverseMatch):
        reverse(name)


@pytest.mark.parametrize("path", ["/account/email/", "/account/signup/", "/account/password/set/",
                                  "/account/confirm-email/", "/account/login/code/confirm/"])
def test_a_signed_in_person_gets_404_at_allauths_unused_addresses(client, alice, path):
    client.force_login(alice.user)
    assert client.get(path).status_code == 404
    assert client.post(path, {"action_add": "1", "email": "mallory@example.com"}).status_code \
        == 404


BEHIND_REAUTHENTICATION = [a for a in addresses() if a.label in REAUTHENTICATED]


@pytest.mark.parametrize("address", BEHIND_REAUTHENTICATION,
                         ids=[a.label for a in BEHIND_REAUTHENTICATION])
def test_a_session_alone_cannot_change_the_account(alice, address):
    """A session without a recent authentication (force_login records none): every change asks
    for the password before it runs."""
    session = Client()
    session.force_login(alice.user)
    url = fill(address)
    response = session.post(url, {"username": "mallory", "email": "mallory@example.com",
                                  "mobile_phone": "(617) 555-0199"})
    assert response.status_code == 302, (url, response.status_code)
    assert response["Location"].startswith("/account/reauthenticate/"), response["Location"]
    alice.user.refresh_from_db()
    assert alice.user.username == "alice-archer"


def test_the_walk_found_every_reauthenticated_view():
    assert {a.label for a in BEHIND_REAUTHENTICATION} == REAUTHENTICATED


def test_changing_the_password_without_the_current_one_changes_nothing(client, alice, staff):
    # The new password under the field names of allauth's form and of Django's admin form; the
    # current one left out.
    new = {"password1": "New-Harbor-77", "password2": "New-Harbor-77",
           "new_password1": "New-Harbor-77", "new_password2": "New-Harbor-77"}
    forms = [(alice.user, "account_change_password"), (staff, "admin:password_change")]
    assert {name for _, name in forms} == ASKS_FOR_THE_PASSWORD
    for user, name in forms:
        client.force_login(user)
        response = client.post(reverse(name), new)
        assert response.status_code == 200, (name, response.status_code)
        assert User.objects.get(pk=user.pk).check_password(PASSWORD), name


def test_a_mobile_number_not_started_in_this_session_cannot_be_confirmed(client, alice):
    OneTimeCodeDevice.objects.create(user=alice.user, name="sms", channel="sms",
                                     destination="+16175550199", confirmed=False)
    client.force_login(alice.user)
    response = client.post(reverse("account_settings_mobile_verify"), {"code": "123456"})
    assert_not_found(response, "account_settings_mobile_verify")
