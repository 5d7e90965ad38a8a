from __future__ import annotations

import datetime
import uuid
from typing import cast

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from accounts.models import Relationship
from portal.models.patient_owned import PatientOwnedQuerySet

IDENTITY_ATTEMPTS_ALLOWED = 5


class InvitationKind(models.TextChoices):
    TOKEN = "token", _("Enrollment token")  # E1: typed in by the patient
    LINK = "link", _("Invitation link")  # E4: "Sign Up" in an email or text
    TEMPORARY_PASSWORD = "temporary", _("Temporary username and password")  # E2: printed
    SELF_REGISTRATION = "self_reg", _("Self-registration invitation")  # E5: no chart yet


class InvitationQuerySet(PatientOwnedQuerySet["Invitation"]):
    def open(self, now: datetime.datetime | None = None) -> InvitationQuerySet:
        """Not used, revoked or expired (expiry is also checked again at use)."""
        return self.filter(used_at__isnull=True, revoked_at__isnull=True,
                           expires_at__gt=now or timezone.now())


class Invitation(models.Model):
    """A way into the portal that staff handed to someone for one chart.

    Only a hash of its secret (token, link key or temporary password) is stored. It works once,
    until it expires or is revoked, and locks after too many wrong identity answers.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey("portal.Practice", on_delete=models.CASCADE,
                                 related_name="invitations")
    patient = models.ForeignKey(
        "portal.PatientChart", on_delete=models.CASCADE, related_name="invitations",
        null=True, blank=True, help_text="Empty only for self-registration, until it is done.",
    )
    kind = models.CharField(max_length=10, choices=InvitationKind.choices)
    relationship = models.CharField(max_length=20, choices=Relationship.choices,
                                    default=Relationship.SELF)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    mobile_phone = PhoneNumberField(blank=True)
    rights = models.JSONField(
        null=True, blank=True,
        help_text="The areas (Right values) the invitee's access will open; empty: all of them.",
    )
    access_ends_at = models.DateTimeField(
        null=True, blank=True, help_text="When the invitee's access will end, if ever.",
    )
    secret_hash = models.CharField(max_length=64, unique=True)
    temporary_username = models.CharField(max_length=50, unique=True, null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expired_at = models.DateTimeField(
        null=True, blank=True, help_text="When the periodic sweep tidied it up after expiry.",
    )
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
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(patient__isnull=False)
                | models.Q(kind="self_reg"),
                name="invitation_has_a_chart_unless_self_registration",
            )
        ]

    def __str__(self) -> str:
        whom = self.patient or f"{self.first_name} {self.last_name}"
        return f"{self.get_kind_display()} for {whom} ({self.state})"

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


class InvitationGrant(models.Model):
    """Access to a further chart that the invitee receives along with the invitation's own
    (for example a parent invited for one child, with proxy access to the siblings: SPEC E9)."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="grants")
    patient = models.ForeignKey("portal.PatientChart", on_delete=models.CASCADE,
                                related_name="+")
    relationship = models.CharField(max_length=20, choices=Relationship.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["invitation", "patient"],
                                    name="invitationgrant_one_per_chart")
        ]

    def __str__(self) -> str:
        return f"{self.get_relationship_display()} of {self.patient}"


class EnrollmentRequestStatus(models.TextChoices):
    # Lazy like every label, and typed as the str it is wherever it is shown: the console lists
    # these labels as (value, str) pairs.
    PENDING = "pending", cast(str, _("Pending"))
    APPROVED = "approved", cast(str, _("Approved"))
    REJECTED = "rejected", cast(str, _("Rejected"))


class EnrollmentRequest(models.Model):
    """Someone asking for portal access whom the practice must first match to a chart
    (SPEC E3, and E6 when the details matched no single chart)."""

    practice = models.ForeignKey("portal.Practice", on_delete=models.CASCADE,
                                 related_name="enrollment_requests", verbose_name=_("practice"))
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"))
    zip_code = models.CharField(_("ZIP code"), max_length=10)
    email = models.EmailField(_("email address"), blank=True)
    mobile_phone = PhoneNumberField(_("mobile phone"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="enrollment_requests", verbose_name=_("account"),
        help_text=_("The account already created (Create a new account), if any."),
    )
    status = models.CharField(_("status"), max_length=10,
                              choices=EnrollmentRequestStatus.choices,
                              default=EnrollmentRequestStatus.PENDING)
    patient = models.ForeignKey("portal.PatientChart", on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="+", verbose_name=_("chart"),
                                help_text=_("The chart it was matched to on approval."))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["practice", "status", "created_at"])]
        verbose_name = _("enrollment request")
        verbose_name_plural = _("enrollment requests")

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.get_status_display()})"
