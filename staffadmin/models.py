from __future__ import annotations

from django.conf import settings
from django.db import models


class StaffRole(models.TextChoices):
    FRONT_DESK = "front_desk", "Front desk"
    CLINICAL = "clinical", "Clinical staff"
    BILLING = "billing", "Billing"
    PRACTICE_ADMIN = "practice_admin", "Practice administrator"


class StaffMembership(models.Model):
    """A practice employee's place in the staff console. Staff see only their practice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_memberships"
    )
    practice = models.ForeignKey(
        "records.Practice", on_delete=models.CASCADE, related_name="staff_memberships"
    )
    role = models.CharField(max_length=20, choices=StaffRole.choices)
    job_title = models.CharField(max_length=100, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "practice"], name="staffmembership_one_per_user_practice"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.practice} ({self.get_role_display()})"
