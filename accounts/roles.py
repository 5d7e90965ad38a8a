"""Staff roles and what each may do in the staff console (SPEC T1, DESIGN invariant 1: "a staff
member's permissions come from their role in that practice").

``ROLE_PERMISSIONS`` is the one table. ``StaffRoleBackend``, first in AUTHENTICATION_BACKENDS,
answers every Django permission check from it: asked about an object, from the role of the
user's active membership in that object's practice; asked with no object (the console's module
and list pages, whose rows are then limited to the practices where the role allows it, see
``accounts.staff.staff_practices``), from any of their active memberships. The memberships are
read once per request, so a role change counts from the staff member's next request. Groups and
per-user permissions grant nothing, whatever the database holds; superusers keep everything
(Django answers for them before asking any backend).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet

from accounts.models import StaffMembership, StaffRole, User
from portal.models import PatientChart, Practice

_FRONT_DESK = frozenset({
    "portal.view_practice",
    "portal.view_patientchart",
    "portal.add_patientchart",
    "portal.change_patientchart",
    "accounts.view_portalaccess",
    "accounts.add_portalaccess",
    "accounts.change_portalaccess",
    "portal.view_provider",
    "accounts.view_staffmembership",
    "portal.view_auditevent",
    "enrollment.view_enrollmentrequest",
    "enrollment.change_enrollmentrequest",
})

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    StaffRole.FRONT_DESK: _FRONT_DESK,
    StaffRole.CLINICAL: _FRONT_DESK,
    StaffRole.BILLING: frozenset({
        "portal.view_practice",
        "portal.view_patientchart",
        "portal.view_provider",
        "portal.view_auditevent",
    }),
    StaffRole.PRACTICE_ADMIN: _FRONT_DESK | {
        "portal.change_practice",
        "portal.add_provider",
        "portal.change_provider",
        "accounts.add_staffmembership",
        "accounts.change_staffmembership",
    },
}


def roles_granting(perms: Iterable[str]) -> list[str]:
    """The roles that grant at least one of ``perms``."""
    wanted = set(perms)
    return [role for role, granted in ROLE_PERMISSIONS.items() if granted & wanted]


def practice_id_of(obj: object) -> int | None:
    """The practice an object of the console belongs to: the practice itself, its own practice,
    or its patient's. None for what belongs to no practice (logins, groups, the outbox)."""
    if isinstance(obj, Practice):
        return obj.pk
    practice_id = getattr(obj, "practice_id", None)
    if practice_id is None:
        patient = getattr(obj, "patient", None)
        if isinstance(patient, PatientChart):
            practice_id = patient.practice_id
    return practice_id if isinstance(practice_id, int) else None


class StaffRoleBackend(ModelBackend):
    """Permissions from ROLE_PERMISSIONS only. It signs no one in (ModelBackend and allauth's
    backend do); it reads users like ModelBackend, so that a session begun through it works."""

    def authenticate(self, request: Any, username: str | None = None,
                     password: str | None = None, **kwargs: Any) -> None:
        return None

    def _roles(self, user_obj: Any) -> dict[int, str]:
        """Practice id → role, for the user's active memberships; read once per user object,
        which Django loads afresh for every request."""
        if not (user_obj.is_active and user_obj.is_staff):  # AnonymousUser is neither
            return {}
        roles: dict[int, str] | None = getattr(user_obj, "_staff_roles", None)
        if roles is None:
            roles = dict(StaffMembership.objects.filter(user=user_obj, is_active=True)
                         .values_list("practice_id", "role"))
            user_obj._staff_roles = roles
        return roles

    def get_user_permissions(self, user_obj: Any, obj: models.Model | None = None) -> set[str]:
        return set()

    def get_group_permissions(self, user_obj: Any, obj: models.Model | None = None) -> set[str]:
        return set()

    def get_all_permissions(self, user_obj: Any, obj: models.Model | None = None) -> set[str]:
        roles = self._roles(user_obj)
        if obj is None:
            held = set(roles.values())
        else:
            practice_id = practice_id_of(obj)
            role = roles.get(practice_id) if practice_id is not None else None
            held = {role} if role is not None else set()
        return set().union(*(ROLE_PERMISSIONS.get(role, frozenset()) for role in held))

    def has_perm(self, user_obj: Any, perm: str, obj: models.Model | None = None) -> bool:
        if perm in self.get_all_permissions(user_obj, obj):
            return True
        # No backend after this one is asked: ModelBackend (and allauth's, built on it) would
        # answer from groups and per-user permissions, which are not roles.
        raise PermissionDenied

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        if any(perm.startswith(f"{app_label}.") for perm in self.get_all_permissions(user_obj)):
            return True
        raise PermissionDenied

    def with_perm(self, perm: Any, is_active: bool = True, include_superusers: bool = True,
                  obj: models.Model | None = None) -> QuerySet[User]:
        """The users ``perm`` is granted to: by role (at ``obj``'s practice, given one)."""
        if not isinstance(perm, str):
            raise TypeError("The permission must be a string 'app_label.codename'.")
        memberships = StaffMembership.objects.filter(is_active=True,
                                                     role__in=roles_granting([perm]))
        if obj is not None:
            practice_id = practice_id_of(obj)
            memberships = (memberships.filter(practice_id=practice_id) if practice_id is not None
                           else memberships.none())
        granted = Q(is_staff=True, pk__in=memberships.values("user"))
        if include_superusers:
            granted |= Q(is_superuser=True)
        users = User.objects.filter(granted)
        return users.filter(is_active=is_active) if is_active is not None else users
