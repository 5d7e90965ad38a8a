"""The staff side of the door: a staff member sees only their own practice's data (SPEC T1)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from records.models import Practice


def staff_practices(user: Any) -> QuerySet[Practice]:
    """The practices whose data ``user`` may work with in the staff console."""
    if not user.is_authenticated or not user.is_active or not user.is_staff:
        return Practice.objects.none()
    if user.is_superuser:
        return Practice.objects.all()
    return Practice.objects.filter(
        staff_memberships__user=user, staff_memberships__is_active=True
    ).distinct()


def is_practice_staff(user: Any) -> bool:
    return staff_practices(user).exists()
