from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import User
from tests import factories
from tests.lookalikes import (
    CYRILLIC_A,
    DOTLESS_I,
    DOTTED_CAPITAL_I,
    GREEK_ALPHA,
    LONG_S,
    full_width,
)

pytestmark = pytest.mark.django_db


def test_usernames_are_unique_case_insensitively_in_the_database():
    User.objects.create(username="Jamie.Lee")
    with pytest.raises(IntegrityError), transaction.atomic():
        # .create() skips every form and model validation: only the database can refuse it.
        User.objects.create(username="jamie.LEE")


def test_model_validation_reports_a_taken_username_in_any_case():
    User.objects.create(username="Jamie.Lee")
    with pytest.raises(ValidationError) as excinfo:
        User(username="JAMIE.LEE", password="x").full_clean()
    assert "That username is taken. Please choose another." in str(excinfo.value)


@pytest.mark.parametrize(
    ("username", "ok"),
    [
        ("abcde", False),  # 5 characters
        ("abcdef", True),
        ("a" * 50, True),
        ("a" * 51, False),
        ("has space", False),
        ("tab\there", False),
        ("new\nline", False),
        ("émile.dupont@home", True),
        ("jean_luc-picard.1", True),
        ("émile+family", False),  # letters, digits and . - _ @ only
        ("alice\u200barcher", False),  # zero-width space
        ("alice\u200darcher", False),  # zero-width joiner
        ("alice\u00adarcher", False),  # soft hyphen
        ("alice\u034farcher", False),  # combining grapheme joiner (a mark, yet invisible)
        ("alice\u202earcher", False),  # right-to-left override
        ("alice\u2066archer", False),  # left-to-right isolate
        ("alice\u3164archer", False),  # Hangul filler (a letter, yet invisible)
        (f"{CYRILLIC_A}lice.archer", False),  # a Cyrillic letter among Latin ones
        (f"demo-p{GREEK_ALPHA}tient", False),  # a Greek letter among Latin ones
        ("\u043f\u0430\u0446\u0438\u0435\u043d\u0442", True),  # all Cyrillic
        ("\u5c71\u7530\u592a\u90ce\u305f\u308d\u3046", True),  # Han with Hiragana (Japanese)
        ("yamada-\u5c71\u7530", True),  # Latin with Han
        ("\u0661\u0662\u0663\u0664\u0665\u0666", False),  # Arabic-Indic digits
        (full_width("demo-user"), True),  # the ordinary letters once normalised
    ],
)
def test_username_rules(username, ok):
    user = User(username=username, password="x")
    if ok:
        user.full_clean()
    else:
        with pytest.raises(ValidationError):
            user.full_clean()


def test_email_is_optional():
    User(username="no-email-user", password="x").full_clean()


@pytest.mark.parametrize("typed", ["mixedcase", "MIXEDCASE", full_width("mixedcase")])
def test_lookup_by_username_ignores_case_and_compatibility_forms(typed):
    user = factories.make_user("MixedCase")
    assert User.objects.get_by_natural_key(typed) == user


@pytest.mark.parametrize("typed", [f"m{DOTLESS_I}xedcase", f"M{DOTTED_CAPITAL_I}XEDCASE",
                                   "mixed\u200bcase"])
def test_a_look_alike_is_not_the_username(typed):
    # On PostgreSQL UPPER() makes the dotless i an I: a case-insensitive lookup found MixedCase.
    factories.make_user("MixedCase")
    with pytest.raises(User.DoesNotExist):
        User.objects.get_by_natural_key(typed)


@pytest.mark.parametrize(("stored", "look_alike"), [
    ("jess-stone", "JESS-STONE"),
    ("jess-stone", full_width("jess-stone")),
    ("jess-stone", f"je{LONG_S}s-{LONG_S}tone"),
    ("strasse-7", "Straße-7"),  # ß folds to ss
])
def test_usernames_are_unique_in_their_canonical_form(stored, look_alike):
    User.objects.create(username=stored)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username=look_alike)


def test_the_canonical_form_follows_every_change_of_the_username():
    user = factories.make_user("First.Name")
    assert user.username_canonical == "first.name"
    user.username = full_width("Second")
    user.save(update_fields=["username"])
    user.refresh_from_db()
    assert user.username_canonical == "second"


def test_a_dotted_capital_i_is_its_own_username_not_a_crash():
    # PostgreSQL: LOWER('İ') is 'i', so a unique index on LOWER(username) refused this row.
    User.objects.create(username="demo-patient")
    User.objects.create(username=f"DEMO-PAT{DOTTED_CAPITAL_I}ENT")
    assert User.objects.count() == 2


@pytest.mark.parametrize("look_alike", ["Stra\u00dfe-7", "STRASSE-7", full_width("strasse-7")])
def test_the_consoles_user_pages_refuse_a_look_alike_with_a_form_error(client, look_alike):
    # The superuser's pages (Django's user forms) check the canonical form as well: a form
    # error, not a second account or a 500. (Django's own add form compares UPPER() only.)
    from tests.pages import assert_page

    User.objects.create(username="strasse-7")
    root = factories.make_user("root-admin", is_staff=True, is_superuser=True)
    client.force_login(root)
    response = client.post("/staff/accounts/user/add/", {
        "username": look_alike, "usable_password": "true",
        "password1": "Blue-Harbor-42", "password2": "Blue-Harbor-42"})
    body = assert_page(response, "admin/auth/user/add_form.html")
    assert "That username is taken" in body or "A user with that username already exists" in body
    other = factories.make_user("other-user")
    response = client.post(f"/staff/accounts/user/{other.pk}/change/", {
        "username": look_alike, "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00",
        "is_active": "on"})
    assert_page(response, "admin/change_form.html", "That username is taken")
    assert User.objects.count() == 3
    other.refresh_from_db()
    assert other.username == "other-user"
