from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from accounts import password_policy
from accounts.models import User


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("Sh0rt!", "8 to 200 characters"),
        ("alllowercase1!", "upper-case"),
        ("ALLUPPERCASE1!", "lower-case"),
        ("NoDigitsHere!", "number"),
        ("NoSpecial123", "special character"),
        ("Blue-Harbor-42", None),
        ("Password1!", "too common"),  # meets composition, but people pick it constantly
        ("X" * 100 + "y" * 100 + "1!", "8 to 200 characters"),
    ],
)
def test_composition_rules(password, problem):
    user = User(username="river-song")
    if problem is None:
        validate_password(password, user)
        return
    with pytest.raises(ValidationError) as excinfo:
        validate_password(password, user)
    assert problem in " ".join(excinfo.value.messages)


def test_common_passwords_are_refused():
    with pytest.raises(ValidationError) as excinfo:
        validate_password("password1", User(username="river-song"))
    assert "too common" in " ".join(excinfo.value.messages)


def test_a_password_like_the_username_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        validate_password("River-Song-1", User(username="river-song-1"))
    assert "too much like your username" in " ".join(excinfo.value.messages)


def test_argon2_is_the_first_hasher_in_the_real_settings():
    from portal import settings as real_settings

    assert real_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


# One policy, one list: the pages show exactly the rules the server enforces ---------------

RULE_CODES = [rule.code for rule, _ in password_policy.PASSWORD_RULES] + ["match"]


def _rule_codes(html: str, list_id: str) -> list[str]:
    block = html.split(f'id="{list_id}"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'data-rule="([^"]+)"', block)


@pytest.fixture
def signed_in(client, alice):
    client.force_login(alice.user)
    return client


def test_the_password_change_page_lists_the_policys_rules(signed_in):
    response = signed_in.get("/account/password/change/")
    assert response.status_code == 200
    assert _rule_codes(response.content.decode(), "password-rules") == RULE_CODES


def test_the_checklist_knows_the_account_it_protects(signed_in, alice):
    html = signed_in.get("/account/password/change/").content.decode()
    personal = json.loads(html.split('id="password-personal"', 1)[1].split(">", 1)[1]
                          .split("</script>", 1)[0])
    assert alice.user.username in personal


def test_every_rule_has_its_own_message():
    for rule, check in password_policy.PASSWORD_RULES:
        assert rule.code and rule.text and rule.error
        assert check("", []) in (True, False)
    messages = [rule.error for rule, _ in password_policy.PASSWORD_RULES]
    assert len(set(messages)) == len(messages)


@pytest.mark.parametrize(("password", "broken"), [
    ("Blue-Harbor-42", set()),
    ("blue-harbor-42", {"upper"}),
    ("BLUE-HARBOR-42", {"lower"}),
    ("Blue-Harbor-xx", {"digit"}),
    ("BlueHarbor42", {"special"}),
    ("Bl-4", {"length"}),
    ("Ⓑlue-harbor-42", {"upper"}),  # a circled letter is not an upper-case letter (So)
    ("Blue harbor 42", {"special"}),  # a space is not a special character
    ("Blue-Harbor-٤٢", set()),  # Arabic-Indic digits are numbers (Nd)
])
def test_rules_by_unicode_category(password, broken):
    results = password_policy.password_rule_results(password, ["river-song"])
    assert {code for code, ok in results.items() if not ok} == broken


def test_the_validator_says_which_rule_is_broken():
    with pytest.raises(ValidationError) as excinfo:
        validate_password("blue-harbor-42", User(username="river-song"))
    assert [e.code for e in excinfo.value.error_list] == ["password_upper"]


def test_a_password_like_the_name_or_email_is_refused_too():
    user = User(username="river-song", first_name="Melody", last_name="Pondsworth",
                email="melody@example.org")
    for password in ("Pondsworth-1", "Melody!234", "Melody@example.org1"):
        with pytest.raises(ValidationError) as excinfo:
            validate_password(password, user)
        assert "too much like your username, name or email" in " ".join(excinfo.value.messages)
