"""The username and password rules (SPEC E7), written once.

The server enforces them (``PortalPasswordPolicy`` in AUTH_PASSWORD_VALIDATORS, the username
validators on the User model and the forms), and the live checklist beside every new-password
field is rendered from the same lists (``accounts/templatetags/password_policy.py``): the
template lists these rules by code, and ``static/js/password-checklist.js`` implements each code
with the parameters the template hands it. A browser test types passwords into the checklist and
compares every mark with ``password_rule_results`` below, so the two cannot drift apart.

Characters are classified by Unicode category, the way the checklist's regular expressions do
(``\\p{Lu}``, ``\\p{Ll}``, ``\\p{Nd}``, ``\\p{P}``/``\\p{S}``), not by ``str.isupper()`` and
friends, whose edges differ from JavaScript's.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MinLengthValidator, RegexValidator

USERNAME_MIN_LENGTH = 6
USERNAME_MAX_LENGTH = 50
PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 200
# How alike a password and a piece of the person's own details may be (the measure of Django's
# UserAttributeSimilarityValidator: difflib's quick_ratio, over the value and its parts).
MAX_SIMILARITY = 0.7
# The account details a password must not resemble.
PERSONAL_ATTRIBUTES = ("username", "first_name", "last_name", "email")


@dataclass(frozen=True)
class Rule:
    """One line of a checklist: ``code`` is its name in the checklist script."""

    code: str
    text: str  # as the checklist shows it
    error: str  # as the server says it when the rule is broken


def _category(char: str) -> str:
    return unicodedata.category(char)


def _similar(password: str, value: str) -> bool:
    """The measure of Django's UserAttributeSimilarityValidator for one value (lower case)."""
    if len(password) >= 10 * len(value) and len(value) < MAX_SIMILARITY / 2 * len(password):
        return False  # too different in length to be alike: skip the comparison
    return SequenceMatcher(a=password, b=value).quick_ratio() >= MAX_SIMILARITY


def personal_parts(values: Iterable[str]) -> list[str]:
    """Each personal value in lower case, and its pieces between non-word characters."""
    parts: list[str] = []
    for value in values:
        lowered = value.lower()
        if lowered:
            parts.extend(p for p in re.split(r"\W+", lowered) if p)
            parts.append(lowered)
    return parts


def _not_personal(password: str, personal: list[str]) -> bool:
    lowered = password.lower()
    return not any(_similar(lowered, part) for part in personal_parts(personal))


PASSWORD_RULES: list[tuple[Rule, Callable[[str, list[str]], bool]]] = [
    (
        Rule("length", f"{PASSWORD_MIN_LENGTH} to {PASSWORD_MAX_LENGTH} characters",
             f"Your password must be {PASSWORD_MIN_LENGTH} to {PASSWORD_MAX_LENGTH} "
             "characters long."),
        lambda p, _: PASSWORD_MIN_LENGTH <= len(p) <= PASSWORD_MAX_LENGTH,
    ),
    (
        Rule("upper", "An upper-case letter", "Your password needs at least one upper-case "
             "letter."),
        lambda p, _: any(_category(c) == "Lu" for c in p),
    ),
    (
        Rule("lower", "A lower-case letter", "Your password needs at least one lower-case "
             "letter."),
        lambda p, _: any(_category(c) == "Ll" for c in p),
    ),
    (
        Rule("digit", "A number", "Your password needs at least one number."),
        lambda p, _: any(_category(c) == "Nd" for c in p),
    ),
    (
        Rule("special", "A special character (such as ! # $ or %)",
             "Your password needs at least one special character (such as ! # $ or %)."),
        lambda p, _: any(_category(c)[0] in "PS" for c in p),
    ),
    (
        Rule("not-personal", "Not like your username, name or email address",
             "Your password is too much like your username, name or email address."),
        _not_personal,
    ),
]
# Shown on the checklist after the rules above; checked by the forms, not per keystroke.
MATCH_RULE = Rule("match", "Both passwords match", "The two passwords don't match.")

USERNAME_RULES: list[tuple[Rule, Callable[[str], bool]]] = [
    (
        Rule("username-length", f"{USERNAME_MIN_LENGTH} to {USERNAME_MAX_LENGTH} characters",
             f"A username has {USERNAME_MIN_LENGTH} to {USERNAME_MAX_LENGTH} characters."),
        lambda u: USERNAME_MIN_LENGTH <= len(u) <= USERNAME_MAX_LENGTH,
    ),
    (
        Rule("username-spaces", "No spaces",
             "A username cannot contain spaces or other whitespace."),
        lambda u: bool(u) and re.search(r"\s", u) is None,
    ),
]


def password_rule_results(password: str, personal: list[str]) -> dict[str, bool]:
    """Which rules ``password`` meets, by code: what the checklist must show."""
    return {rule.code: check(password, personal) for rule, check in PASSWORD_RULES}


def username_rule_results(username: str) -> dict[str, bool]:
    return {rule.code: check(username) for rule, check in USERNAME_RULES}


def personal_values(user: Any) -> list[str]:
    """The details of ``user`` a password must not resemble."""
    values = (getattr(user, name, "") for name in PERSONAL_ATTRIBUTES) if user else ()
    return [v for v in values if isinstance(v, str) and v]


class PortalPasswordPolicy:
    """The password rules above, as a Django password validator (the common-password list is
    Django's own CommonPasswordValidator, next to this one in AUTH_PASSWORD_VALIDATORS)."""

    def validate(self, password: str, user: Any = None) -> None:
        results = password_rule_results(password, personal_values(user))
        errors = [ValidationError(rule.error, code=f"password_{rule.code.replace('-', '_')}")
                  for rule, _ in PASSWORD_RULES if not results[rule.code]]
        if errors:
            raise ValidationError(errors)

    def get_help_text(self) -> str:
        return "Use " + ", ".join(rule.text.lower() for rule, _ in PASSWORD_RULES) + "."


no_whitespace = RegexValidator(
    regex=r"^\S+\Z",
    message=USERNAME_RULES[1][0].error,
    code="username_whitespace",
)

username_validators: list[Callable[[Any], None]] = [
    MinLengthValidator(USERNAME_MIN_LENGTH),
    MaxLengthValidator(USERNAME_MAX_LENGTH),
    no_whitespace,
]
