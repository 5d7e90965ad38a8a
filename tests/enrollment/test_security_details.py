"""Create Security Details and Verify Multi-Factor Authentication, shared by every path."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.utils import timezone

from accounts.devices import OneTimeCodeDevice
from accounts.models import User
from portal.models import OutboxMessage
from tests import factories
from tests.enrollment.conftest import GOOD_DETAILS, latest_code, sign_up_path_from_outbox
from tests.lookalikes import CYRILLIC_A, DOTTED_CAPITAL_I, full_width
from tests.pages import assert_page, assert_redirect

pytestmark = pytest.mark.django_db


@pytest.fixture
def at_security_details(client, emailed_invitation):
    client.get(sign_up_path_from_outbox("nora@example.com"))
    client.post("/enroll/identify/", {"zip_code": "02139", "date_of_birth": "06/15/1985"})
    return client


def post_details(client, **changes):
    return client.post("/enroll/security-details/", {**GOOD_DETAILS, **changes})


def test_a_username_taken_in_another_case_is_refused(at_security_details, practice):
    factories.make_user("alice.archer")
    response = post_details(at_security_details, username="ALICE.ARCHER")
    assert b"That username is taken. Please choose another." in response.content


def test_whether_a_username_is_taken_is_said_only_once_the_rest_of_the_form_is_right(
        at_security_details, staff):
    # Staff usernames are taken like any other; the page does not say so for an unfinished form.
    response = post_details(at_security_details, username="STAFF-HARBOR", password2="Other-1!x")
    body = assert_page(response, "enrollment/security_details.html", "The two passwords don")
    assert "That username is taken" not in body
    response = post_details(at_security_details, username="STAFF-HARBOR", answer1="")
    assert "That username is taken" not in response.content.decode()
    response = post_details(at_security_details, username="STAFF-HARBOR")
    assert_page(response, "enrollment/security_details.html", "That username is taken")


def test_a_username_in_full_width_letters_is_kept_in_its_ordinary_form(at_security_details):
    response = post_details(at_security_details, username=full_width("Alice.Archer"))
    assert_redirect(response, "/enroll/verify/")
    user = User.objects.get(username_canonical="alice.archer")
    assert user.username == "Alice.Archer"


@pytest.mark.parametrize("look_alike", [full_width("ALICE") + ".ARCHER", "alice.archer",
                                        "ALICE.ARCHER"])
def test_a_look_alike_of_a_taken_username_is_taken(at_security_details, look_alike):
    factories.make_user("Alice.Archer")
    response = post_details(at_security_details, username=look_alike)
    assert_page(response, "enrollment/security_details.html", "That username is taken")


def test_a_dotted_capital_i_is_a_form_answer_not_a_crash(at_security_details):
    # On PostgreSQL, LOWER('İ') is 'i' but UPPER('i') is 'I': the case-insensitive "is it taken"
    # check said free, and the unique index on LOWER(username) then refused the row (a 500).
    factories.make_user("alice.archer")
    response = post_details(at_security_details, username=f"AL{DOTTED_CAPITAL_I}CE.ARCHER")
    assert_redirect(response, "/enroll/verify/")
    assert User.objects.filter(username__in=["alice.archer", f"AL{DOTTED_CAPITAL_I}CE.ARCHER"]
                               ).count() == 2


@pytest.mark.parametrize(("username", "message"), [
    ("alice\u200barcher", "Use only letters, numbers"),  # a zero-width space
    ("alice\u202earcher", "Use only letters, numbers"),  # a right-to-left override
    ("alice+family", "Use only letters, numbers"),
    (f"{CYRILLIC_A}lice.archer", "letters from one alphabet"),
])
def test_usernames_outside_the_safe_characters_are_refused(at_security_details, username,
                                                           message):
    response = post_details(at_security_details, username=username)
    assert_page(response, "enrollment/security_details.html", message)
    assert not User.objects.filter(username=username).exists()


@pytest.mark.parametrize(("password", "message"), [
    ("Sh0rt!", "8 to 200 characters"),
    ("alllowercase1!", "upper-case letter"),
    ("ALLUPPERCASE1!", "lower-case letter"),
    ("NoDigitsHere!", "at least one number"),
    ("NoSpecial123", "special character"),
    ("Password1!", "too common"),
    ("Alice.Archer1", "too much like your username"),
])
def test_weak_passwords_are_refused_with_the_rule_they_break(at_security_details, password,
                                                             message):
    response = post_details(at_security_details, password1=password, password2=password)
    assert message in response.content.decode()
    assert not User.objects.filter(username="Alice.Archer").exists()


def test_the_passwords_must_match(at_security_details):
    response = post_details(at_security_details, password2="Blue-Harbor-43")
    assert b"The two passwords don&#x27;t match." in response.content


def test_two_different_questions_are_needed(at_security_details):
    response = post_details(at_security_details, question2="first_pet")
    assert b"Choose two different questions." in response.content


def test_the_code_channel_needs_its_contact(at_security_details):
    response = post_details(at_security_details, email="", code_channel="email")
    assert b"Enter an email address to get your code by email." in response.content
    response = post_details(at_security_details, mobile_phone="", code_channel="sms")
    assert b"Enter a mobile number to get your code by text." in response.content


def test_email_is_optional_when_the_code_goes_by_text(at_security_details):
    response = post_details(at_security_details, email="", code_channel="sms")
    assert response.url == "/enroll/verify/"
    code = latest_code("+16175550123")
    assert at_security_details.post("/enroll/verify/", {"code": code}).url == "/"
    user = User.objects.get(username="Alice.Archer")
    assert user.email == ""
    assert OneTimeCodeDevice.objects.get(user=user, confirmed=True).channel == "sms"


def test_redoing_the_details_reuses_the_pending_account(at_security_details):
    post_details(at_security_details)
    at_security_details.get("/enroll/security-details/")
    response = post_details(at_security_details, username="Alice.A")
    assert response.url == "/enroll/verify/"
    assert list(User.objects.values_list("username", flat=True).filter(
        username__startswith="Alice")) == ["Alice.A"]


def test_a_wrong_code_is_refused_and_throttled(at_security_details):
    post_details(at_security_details)
    right = latest_code("alice@example.com")
    wrong = f"{(int(right) + 1) % 1000000:06d}"
    response = at_security_details.post("/enroll/verify/", {"code": wrong})
    assert b"That code is not right" in response.content
    # Straight after a failure, even the right code must wait (1 s, then 2, 4…).
    response = at_security_details.post("/enroll/verify/", {"code": right})
    assert b"Too many wrong codes" in response.content
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=2)):
        assert at_security_details.post("/enroll/verify/", {"code": right}).url == "/"


def test_a_code_expires_after_ten_minutes(at_security_details):
    post_details(at_security_details)
    code = latest_code("alice@example.com")
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=10, seconds=1)):
        response = at_security_details.post("/enroll/verify/", {"code": code})
    assert b"That code is not right, or it has expired" in response.content


def test_a_new_code_replaces_the_old_after_the_cool_down(at_security_details):
    post_details(at_security_details)
    first = latest_code("alice@example.com")
    response = at_security_details.post("/enroll/verify/", {"resend": "1"}, follow=True)
    assert b"wait a few seconds" in response.content  # the cool-down
    assert OutboxMessage.objects.filter(template="verification-code").count() == 1
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=31)):
        response = at_security_details.post("/enroll/verify/", {"resend": "1"}, follow=True)
        assert b"We sent a new code" in response.content
        assert OutboxMessage.objects.filter(template="verification-code").count() == 2
        device = OneTimeCodeDevice.objects.get(channel="email", user__username="Alice.Archer")
        # The first code stopped working when the second was made (a 1-in-a-million
        # coincidence of equal codes aside).
        assert device.verify_token(first) is (latest_code("alice@example.com") == first)


def test_a_used_code_cannot_be_used_again(client, at_security_details):
    post_details(at_security_details)
    code = latest_code("alice@example.com")
    device = OneTimeCodeDevice.objects.get(channel="email", user__username="Alice.Archer")
    assert device.verify_token(code) is True
    assert device.verify_token(code) is False


def test_codes_are_stored_hashed(at_security_details):
    post_details(at_security_details)
    code = latest_code("alice@example.com")
    device = OneTimeCodeDevice.objects.get(channel="email", user__username="Alice.Archer")
    assert code not in device.code_hash and len(device.code_hash) == 64


def test_an_email_given_beside_a_text_code_gets_a_confirmation_link(at_security_details):
    from allauth.account.models import EmailAddress

    post_details(at_security_details, code_channel="sms")
    at_security_details.post("/enroll/verify/", {"code": latest_code("+16175550123")})
    address = EmailAddress.objects.get(email="alice@example.com")
    assert not address.verified
    message = OutboxMessage.objects.get(template="email_confirmation")
    assert message.recipient == "alice@example.com"
    assert message.subject == "Confirm your email address"
    link = message.body_text.split("Confirm your email address: ")[1].split()[0]
    assert link.startswith("http://127.0.0.1:8000/account/confirm-email/")
    path = link.removeprefix("http://127.0.0.1:8000")
    page = at_security_details.get(path)
    assert b"Please confirm that" in page.content
    at_security_details.post(path)
    address.refresh_from_db()
    assert address.verified


def test_a_family_may_share_one_email_address(at_security_details, practice):
    from allauth.account.models import EmailAddress

    sibling = factories.make_user("sibling-account", email="alice@example.com")
    EmailAddress.objects.create(user=sibling, email="alice@example.com", verified=True,
                                primary=True)
    post_details(at_security_details)
    response = at_security_details.post("/enroll/verify/", {"code": latest_code(
        "alice@example.com")})
    assert response.url == "/"
    assert EmailAddress.objects.filter(email="alice@example.com", verified=True).count() == 2


def test_code_guesses_are_also_limited_per_address(at_security_details, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "one_time_code": "2/h/ip"}
    post_details(at_security_details)
    right = latest_code("alice@example.com")
    for _ in range(2):
        at_security_details.post("/enroll/verify/", {"code": "000000"})
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=5)):
        response = at_security_details.post("/enroll/verify/", {"code": right})
    assert b"Too many wrong codes. Wait a minute" in response.content


def test_a_wrong_code_is_checked_like_every_other_code(at_security_details):
    """The one code check (accounts.code_check): audited with its purpose, the same words."""
    from accounts.code_check import WRONG_CODE
    from portal.models import AuditAction, AuditEvent

    post_details(at_security_details)
    response = at_security_details.post("/enroll/verify/", {"code": "000000"})
    assert response.status_code == 200
    assert WRONG_CODE.replace("'", "&#x27;") in response.content.decode()
    failure = AuditEvent.objects.get(action=AuditAction.CODE_FAILED)
    assert failure.actor.username == "Alice.Archer"
    assert failure.extra == {"purpose": "enrollment"}


def test_the_checklists_list_the_policys_rules(at_security_details):
    from accounts import password_policy

    html = at_security_details.get("/enroll/security-details/").content.decode()

    def codes(list_id: str) -> list[str]:
        return re.findall(r'data-rule="([^"]+)"', html.split(f'id="{list_id}"', 1)[1]
                          .split("</ul>", 1)[0])

    assert codes("username-rules") == [r.code for r, _ in password_policy.USERNAME_RULES]
    # The rules the checklist cannot mark are on it too, saying when they are checked.
    rules = html.split('id="username-rules"', 1)[1].split("</ul>", 1)[0]
    for rule, _ in password_policy.USERNAME_SERVER_RULES:
        assert f"<li>{rule.text}</li>" in rules
        assert "checked when you continue" in rule.text
    assert codes("password-rules") == [r.code for r, _ in password_policy.PASSWORD_RULES] + [
        "match"]
    # What the person types as username and email counts as personal detail, as on the server.
    assert 'data-personal-fields="#id_username,#id_email"' in html
