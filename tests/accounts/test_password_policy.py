from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from accounts.models import User


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("Sh0rt!", "too short"),
        ("alllowercase1!", "upper-case"),
        ("ALLUPPERCASE1!", "lower-case"),
        ("NoDigitsHere!", "number"),
        ("NoSpecial123", "special character"),
        ("Blue-Harbor-42", None),
        ("Password1!", "too common"),  # meets composition, but people pick it constantly
        ("X" * 100 + "y" * 100 + "1!", "at most 200"),
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
    assert "too similar" in " ".join(excinfo.value.messages)


def test_argon2_is_the_first_hasher_in_the_real_settings():
    from portal import settings as real_settings

    assert real_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
