"""Practice staff: who counts as staff, which practices they work with (the staff side of the
door, SPEC T1), and making someone a staff member."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet

from accounts.models import StaffMembership, StaffRole, User
from accounts.roles import role_group
from portal.models import Practice


def staff_practices(user: Any) -> QuerySet[Practice]:
    """The practices whose data ``user`` may work with in the staff console."""
    if not user.is_authenticated or not user.is_active or not user.is_staff:
        return Practice.objects.none()
    if user.is_superuser:
        return Practice.objects.all()
    return Practice.objects.filter(
        staff_memberships__user=user, staff_memberships__is_active=True
    ).distinct()


def practice_staff() -> QuerySet[User]:
    """Everyone who works in the staff console: an active account with the staff flag that is a
    superuser or holds an active membership of a practice. A bare staff flag or a former
    (inactive) membership is not enough. This is the one definition: everything that treats staff
    differently asks it, through here or ``is_practice_staff`` — the console's door, the sign-in
    code (always asked of staff), unenrollment of unused accounts (never staff's), the home page
    (which sends staff to the console)."""
    return (User.objects.filter(is_active=True, is_staff=True)
            .filter(Q(is_superuser=True) | Q(staff_memberships__is_active=True)).distinct())


def is_practice_staff(user: Any) -> bool:
    if not user.is_authenticated:
        return False
    return practice_staff().filter(pk=user.pk).exists()


@transaction.atomic
def staff_membership_create(
    *, user: User, practice: Practice, role: StaffRole, job_title: str = ""
) -> StaffMembership:
    """Make ``user`` a staff member of ``practice`` with the permissions of ``role``."""
    membership, _ = StaffMembership.objects.update_or_create(
        user=user,
        practice=practice,
        defaults={"role": role, "job_title": job_title, "is_active": True},
    )
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.groups.add(role_group(role))
    return membership
