from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import User
from tests import factories

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
        ("émile+family@home", True),  # anything but whitespace
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


def test_lookup_by_username_ignores_case():
    user = factories.make_user("MixedCase")
    assert User.objects.get_by_natural_key("mixedcase") == user
