""""Is this person practice staff?" has one answer, whoever asks (the console's door, the
sign-in code, unenrollment, the home page). These cases used to get different answers."""

from __future__ import annotations

import datetime

import pytest
from django.test import RequestFactory
from django.utils import timezone

from accounts.login_code import code_always_required
from accounts.models import StaffRole
from accounts.staff import is_practice_staff, staff_membership_create
from accounts.unenrollment import accounts_due_for_unenrollment
from staffadmin.sites import StaffConsole
from tests import factories

pytestmark = pytest.mark.django_db


def _long_unused(user):
    user.last_login = timezone.now() - datetime.timedelta(days=800)
    user.save(update_fields=["last_login"])


def _answers(user, practice) -> dict[str, bool]:
    """What each part of the portal concludes about ``user``."""
    request = RequestFactory().get("/staff/")
    request.user = user
    return {
        "predicate": is_practice_staff(user),
        "console": StaffConsole().has_permission(request),
        "code always required": code_always_required(user),
        "kept from unenrollment": user not in accounts_due_for_unenrollment(),
    }


@pytest.fixture
def patient_login(practice):
    """A patient's own login, unused for long enough to be unenrolled if not staff."""
    chart = factories.make_chart(practice, "Sam", "Sample")
    user = factories.make_user("sam-sample")
    factories.grant(user, chart)
    _long_unused(user)
    return user


def test_a_bare_staff_flag_is_not_staff_anywhere(patient_login, practice):
    patient_login.is_staff = True
    patient_login.save(update_fields=["is_staff"])
    assert set(_answers(patient_login, practice).values()) == {False}


def test_a_former_staff_member_is_not_staff_anywhere(patient_login, practice):
    membership = staff_membership_create(user=patient_login, practice=practice,
                                         role=StaffRole.FRONT_DESK)
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    assert set(_answers(patient_login, practice).values()) == {False}


def test_an_active_member_is_staff_everywhere(patient_login, practice):
    staff_membership_create(user=patient_login, practice=practice, role=StaffRole.FRONT_DESK)
    assert set(_answers(patient_login, practice).values()) == {True}


def test_a_superuser_is_staff_everywhere(patient_login, practice):
    patient_login.is_staff = patient_login.is_superuser = True
    patient_login.save(update_fields=["is_staff", "is_superuser"])
    assert set(_answers(patient_login, practice).values()) == {True}


def test_a_patient_is_not_staff_anywhere(patient_login, practice):
    assert set(_answers(patient_login, practice).values()) == {False}
