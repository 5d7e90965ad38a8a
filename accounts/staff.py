"""Practice staff: who counts as staff, which practices they work with (the staff side of the
door, SPEC T1), and making someone a staff member or changing their role."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q, QuerySet

from accounts.models import StaffMembership, StaffRole, User
from accounts.roles import roles_granting
from portal.audit import audit_record
from portal.models import AuditAction, Practice

if TYPE_CHECKING:
    from django.http import HttpRequest


def staff_practices(user: Any, *, perms: Iterable[str] = ()) -> QuerySet[Practice]:
    """The practices whose data ``user`` may work with in the staff console; with ``perms``
    (``"app_label.codename"``), only those where their role grants one of them."""
    if not user.is_authenticated or not user.is_active or not user.is_staff:
        return Practice.objects.none()
    if user.is_superuser:
        return Practice.objects.all()
    memberships = {"staff_memberships__user": user, "staff_memberships__is_active": True}
    if perms:
        memberships["staff_memberships__role__in"] = roles_granting(perms)
    return Practice.objects.filter(**memberships).distinct()


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


def staff_membership_create(
    *, user: User, practice: Practice, role: StaffRole, job_title: str = "",
    actor: User | None = None, request: HttpRequest | None = None,
) -> StaffMembership:
    """Make ``user`` a staff member of ``practice`` with the permissions of ``role`` (or give
    them that role there, if they are one already)."""
    return staff_membership_save(user=user, practice=practice, role=role, job_title=job_title,
                                 is_active=True, actor=actor, request=request)


@transaction.atomic
def staff_membership_save(
    *, user: User, practice: Practice, role: StaffRole, job_title: str = "",
    is_active: bool = True, actor: User | None = None, request: HttpRequest | None = None,
) -> StaffMembership:
    """Give ``user`` ``role`` at ``practice``, or end (``is_active=False``) their membership
    there. The role is all they may do at that practice (accounts/roles.py), from their next
    request. A new role, or a membership begun or ended, is audited about the staff member."""
    role = StaffRole(role)
    membership, created = StaffMembership.objects.select_for_update().get_or_create(
        user=user, practice=practice,
        defaults={"role": role, "job_title": job_title, "is_active": is_active})
    before = ("", False) if created else (membership.role, membership.is_active)
    if not created:
        membership.role, membership.job_title, membership.is_active = role, job_title, is_active
        membership.save(update_fields=["role", "job_title", "is_active"])
    if is_active and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    if before != (role, is_active):
        audit_record(
            action=AuditAction.STAFF_ROLE_CHANGED, request=request, actor=actor,
            subject_user=user, practice=practice, obj=membership,
            extra={"role_before": before[0], "role": role.value,
                   "active_before": before[1], "active": is_active},
        )
    return membership
