from __future__ import annotations

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from portal.models.practices import Practice, zip_code_validator


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    OTHER = "O", _("Other")
    UNKNOWN = "U", _("Unknown")


class PortalStatus(models.TextChoices):
    NOT_ENROLLED = "not_enrolled", _("Not enrolled")
    INVITED = "invited", _("Invited")
    ENROLLED = "enrolled", _("Enrolled")
    UNENROLLED = "unenrolled", _("Unenrolled")


class PatientChart(models.Model):
    """A patient of a practice. It exists before, and without, any login."""

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="patients",
                                 verbose_name=_("practice"))
    record_number = models.CharField(_("medical record number"), max_length=32)
    first_name = models.CharField(_("first name"), max_length=100)
    middle_name = models.CharField(_("middle name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100)
    preferred_name = models.CharField(_("preferred name"), max_length=100, blank=True)
    date_of_birth = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    address_line1 = models.CharField(_("address"), max_length=200, blank=True)
    address_line2 = models.CharField(_("address line 2"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    state = models.CharField(_("state"), max_length=2, blank=True)
    zip_code = models.CharField(_("ZIP code"), max_length=10, validators=[zip_code_validator])
    mobile_phone = PhoneNumberField(_("mobile phone"), blank=True)
    home_phone = PhoneNumberField(_("home phone"), blank=True)
    notification_email = models.EmailField(_("notification email"), blank=True)
    guarantor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="guaranteed_charts",
        verbose_name=_("guarantor"),
        help_text=_("The chart of the person responsible for the bill, when not the patient."),
    )
    portal_status = models.CharField(
        _("portal status"), max_length=20, choices=PortalStatus.choices,
        default=PortalStatus.NOT_ENROLLED,
    )
    needs_review = models.BooleanField(
        _("awaiting staff review"), default=False,
        help_text=_("Created by the patient through self-registration; check it, then untick."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("patient chart")
        verbose_name_plural = _("patient charts")
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "record_number"],
                name="patientchart_record_number_unique_per_practice",
                violation_error_message=_("This practice already has a chart with that record "
                                          "number."),
            ),
        ]
        indexes = [
            models.Index(fields=["practice", "last_name", "first_name"]),
            models.Index(fields=["practice", "date_of_birth"]),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.record_number})"

    @property
    def display_name(self) -> str:
        return f"{self.preferred_name or self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return " ".join(n for n in (self.first_name, self.middle_name, self.last_name) if n)

    def age_on(self, day: datetime.date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def age(self) -> int:
        return self.age_on(self.practice.today())
