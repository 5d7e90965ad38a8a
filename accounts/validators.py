"""Username rules (SPEC E7): 6 to 50 characters, anything but whitespace, case-insensitive."""

from __future__ import annotations

from django.core.validators import MaxLengthValidator, MinLengthValidator, RegexValidator

USERNAME_MIN_LENGTH = 6
USERNAME_MAX_LENGTH = 50

no_whitespace = RegexValidator(
    regex=r"^\S+\Z",
    message="A username cannot contain spaces or other whitespace.",
    code="username_whitespace",
)

username_validators = [
    MinLengthValidator(USERNAME_MIN_LENGTH),
    MaxLengthValidator(USERNAME_MAX_LENGTH),
    no_whitespace,
]
