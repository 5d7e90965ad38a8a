"""Staff roles as Django groups, so that permissions can be copied and adjusted per person."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from accounts.models import StaffRole

_FRONT_DESK = [
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
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    StaffRole.FRONT_DESK: _FRONT_DESK,
    StaffRole.CLINICAL: _FRONT_DESK,
    StaffRole.BILLING: [
        "portal.view_practice",
        "portal.view_patientchart",
        "portal.view_provider",
        "portal.view_auditevent",
    ],
    StaffRole.PRACTICE_ADMIN: [
        *_FRONT_DESK,
        "portal.change_practice",
        "portal.add_provider",
        "portal.change_provider",
        "accounts.add_staffmembership",
        "accounts.change_staffmembership",
    ],
}


def role_group(role: str) -> Group:
    """The group for ``role``, holding at least the role's permissions (new ones are added when
    the code grants the role more; what an administrator added by hand stays)."""
    group, _ = Group.objects.get_or_create(name=StaffRole(role).label)
    perms = [
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in (name.split(".") for name in ROLE_PERMISSIONS[role])
    ]
    group.permissions.add(*perms)
    return group
