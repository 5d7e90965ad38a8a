from __future__ import annotations

from django.db import transaction

from accounts.models import User
from records.models import Practice
from staffadmin.models import StaffMembership, StaffRole
from staffadmin.roles import role_group


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
