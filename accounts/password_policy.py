"""The username and password rules (SPEC E7), written once.

The server enforces them (``PortalPasswordPolicy`` in AUTH_PASSWORD_VALIDATORS, the username
validators on the User model and the forms), and the live checklist beside every new-password
field is rendered from the same lists (``accounts/templatetags/password_policy.py``): the
template lists these rules by code, and ``static/js/password-checklist.js`` implements each code
with the parameters the template hands it. A browser test types passwords and usernames into the
checklists and compares every mark with ``password_rule_results`` and ``username_rule_results``
below, so the two cannot drift apart. The one rule the checklist does not mark
(``USERNAME_SERVER_RULES``) is listed on it as checked when the person continues.

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
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

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
    text: StrOrPromise  # as the checklist shows it (lazy: in the language of the page)
    error: StrOrPromise  # as the server says it when the rule is broken


def _formatted(message: StrOrPromise, **values: object) -> StrOrPromise:
    """``message % values``, translated when it is shown (the rules are built at import)."""
    return lazy(lambda: str(message) % values, str)()


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
        Rule("length",
             _formatted(_("%(min)s to %(max)s characters"), min=PASSWORD_MIN_LENGTH,
                        max=PASSWORD_MAX_LENGTH),
             _formatted(_("Your password must be %(min)s to %(max)s characters long."),
                        min=PASSWORD_MIN_LENGTH, max=PASSWORD_MAX_LENGTH)),
        lambda p, _: PASSWORD_MIN_LENGTH <= len(p) <= PASSWORD_MAX_LENGTH,
    ),
    (
        Rule("upper", _("An upper-case letter"),
             _("Your password needs at least one upper-case letter.")),
        lambda p, _: any(_category(c) == "Lu" for c in p),
    ),
    (
        Rule("lower", _("A lower-case letter"),
             _("Your password needs at least one lower-case letter.")),
        lambda p, _: any(_category(c) == "Ll" for c in p),
    ),
    (
        Rule("digit", _("A number"), _("Your password needs at least one number.")),
        lambda p, _: any(_category(c) == "Nd" for c in p),
    ),
    (
        Rule("special",
             # xgettext:no-python-format
             _("A special character (such as ! # $ or %)"),
             # xgettext:no-python-format
             _("Your password needs at least one special character (such as ! # $ or %).")),
        lambda p, _: any(_category(c)[0] in "PS" for c in p),
    ),
    (
        Rule("not-personal", _("Not like your username, name or email address"),
             _("Your password is too much like your username, name or email address.")),
        _not_personal,
    ),
]
# Shown on the checklist after the rules above; checked by the forms, not per keystroke.
MATCH_RULE = Rule("match", _("Both passwords match"), _("The two passwords don't match."))

# A username is kept in its NFKC form (full-width letters, ligatures and the long s become the
# ordinary ones; case is kept as typed), and is unique and looked up in its canonical form
# (``username_canonical``). Its characters are letters (with their marks), the digits 0-9 and
# these; never an invisible one (Unicode's default-ignorable code points: zero-width spaces and
# joiners, bidi controls, fillers, variation selectors), whatever its category.
USERNAME_PUNCTUATION = ".-_@"
_USERNAME_LETTER_CATEGORIES = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc"})
# Default_Ignorable_Code_Point (Unicode's DerivedCoreProperties.txt); the checklist script asks
# its regular expressions for \p{Default_Ignorable_Code_Point}.
_DEFAULT_IGNORABLE = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5),
    (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164),
    (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
)
# Scripts that may share a username, as in Unicode's "highly restrictive" profile (UTS #39):
# Latin with Chinese, Japanese or Korean writing. Any other mix (Latin with Cyrillic or Greek
# letters that look the same) is refused.
_SCRIPT_MIXES = (
    frozenset({"LATIN", "HAN", "HIRAGANA", "KATAKANA"}),
    frozenset({"LATIN", "HAN", "BOPOMOFO"}),
    frozenset({"LATIN", "HAN", "HANGUL"}),
)
# Unicode names whose first word is not the script's name.
_SCRIPT_OF_WORD = {"CJK": "HAN", "IDEOGRAPHIC": "HAN", "KATAKANA-HIRAGANA": "KATAKANA"}


def username_normalised(value: str) -> str:
    """A typed username as it is kept: its NFKC form, in the case typed (what Django's own
    UsernameField and AbstractUser.clean() do)."""
    return unicodedata.normalize("NFKC", value)


def username_canonical(value: str) -> str:
    """The one form under which a username is unique and looked up: NFKC, then case-folded, then
    NFKC again (Unicode's identifier caseless match, UAX #31 / the "NFKC + casefold" of
    UTR #36). "ALICE", "alice" and "alice" in full-width letters are one username; a look-alike
    with a dotless i (U+0131) or a Cyrillic a is another (and the second cannot be chosen: see
    the rules below)."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", value).casefold())


def _default_ignorable(char: str) -> bool:
    point = ord(char)
    return any(low <= point <= high for low, high in _DEFAULT_IGNORABLE)


def _safe_characters(username: str) -> bool:
    return bool(username) and all(
        (char in USERNAME_PUNCTUATION or "0" <= char <= "9"
         or _category(char) in _USERNAME_LETTER_CATEGORIES)
        and not _default_ignorable(char)
        for char in username
    )


def _script(char: str) -> str | None:
    """The script of a letter or mark, read from the first word of its Unicode name ("LATIN
    SMALL LETTER A", "CYRILLIC SMALL LETTER A", "CJK UNIFIED IDEOGRAPH-4E00"): Python's
    unicodedata has no Script property. None for what every script shares (digits,
    punctuation, the "COMBINING ..." marks)."""
    if _category(char)[0] not in "LM":
        return None
    word = unicodedata.name(char, "").split(" ", 1)[0]
    if word == "COMBINING":
        return None
    return _SCRIPT_OF_WORD.get(word, word)


def _one_script(username: str) -> bool:
    scripts = {script for char in username if (script := _script(char)) is not None}
    return len(scripts) <= 1 or any(scripts <= mix for mix in _SCRIPT_MIXES)


# The username rules, each checked on the NFKC form of what was typed. The checklist marks these
# as the person types (static/js/password-checklist.js implements each code).
USERNAME_RULES: list[tuple[Rule, Callable[[str], bool]]] = [
    (
        Rule("username-length",
             _formatted(_("%(min)s to %(max)s characters"), min=USERNAME_MIN_LENGTH,
                        max=USERNAME_MAX_LENGTH),
             _formatted(_("A username has %(min)s to %(max)s characters."),
                        min=USERNAME_MIN_LENGTH, max=USERNAME_MAX_LENGTH)),
        lambda u: USERNAME_MIN_LENGTH <= len(u) <= USERNAME_MAX_LENGTH,
    ),
    (
        Rule("username-spaces", _("No spaces"),
             _("A username cannot contain spaces or other whitespace.")),
        lambda u: bool(u) and re.search(r"\s", u) is None,
    ),
    (
        Rule("username-characters", _("Only letters, numbers and . - _ @"),
             _("Use only letters, numbers and . - _ @ in a username (no other symbols and no "
               "invisible characters).")),
        _safe_characters,
    ),
]
# Checked by the server only: the checklist lists them without a mark, saying so. Which script
# a letter belongs to needs Unicode's Script property, which Python's unicodedata lacks (the
# server reads it from character names) and JavaScript has; the two would differ at the edges.
USERNAME_SERVER_RULES: list[tuple[Rule, Callable[[str], bool]]] = [
    (
        Rule("username-one-script", _("Letters from one alphabet (checked when you continue)"),
             _("A username uses letters from one alphabet only, not for example Latin and "
               "Cyrillic letters together (Latin letters may go with Chinese, Japanese or "
               "Korean ones).")),
        _one_script,
    ),
]
USERNAME_HELP_TEXT = _formatted(
    _("%(min)s to %(max)s letters (from one alphabet), numbers or . - _ @. Not case sensitive."),
    min=USERNAME_MIN_LENGTH, max=USERNAME_MAX_LENGTH)


def password_rule_results(password: str, personal: list[str]) -> dict[str, bool]:
    """Which rules ``password`` meets, by code: what the checklist must show."""
    return {rule.code: check(password, personal) for rule, check in PASSWORD_RULES}


def username_rule_results(username: str) -> dict[str, bool]:
    """Which checklist rules the typed ``username`` meets, by code (after NFKC, as the checklist
    script normalises too)."""
    normalised = username_normalised(username)
    return {rule.code: check(normalised) for rule, check in USERNAME_RULES}


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
                  for rule, _check in PASSWORD_RULES if not results[rule.code]]
        if errors:
            raise ValidationError(errors)

    def get_help_text(self) -> str:
        return gettext("Use %(rules)s.") % {
            "rules": ", ".join(str(rule.text).lower() for rule, _check in PASSWORD_RULES)}


no_whitespace = RegexValidator(
    regex=r"^\S+\Z",
    message=USERNAME_RULES[1][0].error,
    code="username_whitespace",
)


def safe_characters(value: Any) -> None:
    """Letters, digits 0-9 and . - _ @ only, nothing invisible (on the NFKC form)."""
    if not _safe_characters(username_normalised(str(value))):
        raise ValidationError(USERNAME_RULES[2][0].error, code="username_characters")


def one_script(value: Any) -> None:
    """Letters from one script (or Latin with Chinese, Japanese or Korean ones)."""
    if not _one_script(username_normalised(str(value))):
        raise ValidationError(USERNAME_SERVER_RULES[0][0].error, code="username_one_script")


username_validators: list[Callable[[Any], None]] = [
    MinLengthValidator(USERNAME_MIN_LENGTH),
    MaxLengthValidator(USERNAME_MAX_LENGTH),
    no_whitespace,
    safe_characters,
    one_script,
]
