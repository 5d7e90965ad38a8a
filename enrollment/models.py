from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from phonenumber_field.modelfields import PhoneNumberField

from accounts.models import Relationship

IDENTITY_ATTEMPTS_ALLOWED = 5


class InvitationKind(models.TextChoices):
    TOKEN = "token", "Enrollment token"  # E1: typed in by the patient
    LINK = "link", "Invitation link"  # E4: "Sign Up" in an email or text
    TEMPORARY_PASSWORD = "temporary", "Temporary username and password"  # E2: printed


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def open(self) -> InvitationQuerySet:
        """Not used, revoked or expired (expiry is also checked again at use)."""
        return self.filter(used_at__isnull=True, revoked_at__isnull=True,
                           expires_at__gt=timezone.now())


class Invitation(models.Model):
    """A way into the portal that staff handed to someone for one chart.

    Only a hash of its secret (token, link key or temporary password) is stored. It works once,
    until it expires or is revoked, and locks after too many wrong identity answers.
    """

    practice = models.ForeignKey("records.Practice", on_delete=models.CASCADE,
                                 related_name="invitations")
    patient = models.ForeignKey("records.PatientChart", on_delete=models.CASCADE,
                                related_name="invitations")
    kind = models.CharField(max_length=10, choices=InvitationKind.choices)
    relationship = models.CharField(max_length=20, choices=Relationship.choices,
                                    default=Relationship.SELF)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    mobile_phone = PhoneNumberField(blank=True)
    secret_hash = models.CharField(max_length=64, unique=True)
    temporary_username = models.CharField(max_length=50, unique=True, null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    identity_failures = models.PositiveSmallIntegerField(default=0)
    locked_at = models.DateTimeField(null=True, blank=True)
    pending_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", help_text="The account being set up, until its code is verified.",
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="enrollment_invitations")

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["patient", "kind", "used_at", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.patient} ({self.state})"

    @property
    def state(self) -> str:
        if self.used_at:
            return "used"
        if self.revoked_at:
            return "revoked"
        if self.locked_at:
            return "locked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "open"

    @property
    def is_usable(self) -> bool:
        return self.state == "open"
