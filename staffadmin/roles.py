"""Staff roles as Django groups, so that permissions can be copied and adjusted per person."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from staffadmin.models import StaffRole

_FRONT_DESK = [
    "records.view_practice",
    "records.view_patientchart",
    "records.add_patientchart",
    "records.change_patientchart",
    "accounts.view_portalaccess",
    "accounts.add_portalaccess",
    "accounts.change_portalaccess",
    "scheduling.view_provider",
    "staffadmin.view_staffmembership",
    "portal.view_auditevent",
    "enrollment.view_enrollmentrequest",
    "enrollment.change_enrollmentrequest",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    StaffRole.FRONT_DESK: _FRONT_DESK,
    StaffRole.CLINICAL: _FRONT_DESK,
    StaffRole.BILLING: [
        "records.view_practice",
        "records.view_patientchart",
        "scheduling.view_provider",
        "portal.view_auditevent",
    ],
    StaffRole.PRACTICE_ADMIN: [
        *_FRONT_DESK,
        "records.change_practice",
        "scheduling.add_provider",
        "scheduling.change_provider",
        "staffadmin.add_staffmembership",
        "staffadmin.change_staffmembership",
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
