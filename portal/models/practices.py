from __future__ import annotations

import datetime
import zoneinfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

TIME_ZONE_CHOICES = [
    ("America/New_York", _("Eastern (New York)")),
    ("America/Chicago", _("Central (Chicago)")),
    ("America/Denver", _("Mountain (Denver)")),
    ("America/Phoenix", _("Mountain, no daylight saving (Phoenix)")),
    ("America/Los_Angeles", _("Pacific (Los Angeles)")),
    ("America/Anchorage", _("Alaska (Anchorage)")),
    ("Pacific/Honolulu", _("Hawaii (Honolulu)")),
    ("America/Puerto_Rico", _("Atlantic (Puerto Rico)")),
    ("UTC", "UTC"),
]

zip_code_validator = RegexValidator(
    regex=r"^\d{5}(-\d{4})?\Z",
    message=_("Enter a 5-digit ZIP code (or ZIP+4, like 12345-6789)."),
)


def default_adolescent_guardian_areas() -> list[str]:
    return ["appointments", "billing"]


class Practice(models.Model):
    """A medical office, with the portal settings it chooses (SPEC T6)."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("short name in addresses"), unique=True,
        help_text=_("Letters, numbers and hyphens, used in the portal's addresses."))
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default="America/New_York"
    )
    phone = PhoneNumberField(_("phone"), blank=True)
    email = models.EmailField(_("contact email"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)

    # Enrollment (SPEC E1, E2, E4, E9)
    invitation_email_days = models.PositiveSmallIntegerField(
        _("emailed invitation lifetime (days)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    invitation_print_days = models.PositiveSmallIntegerField(
        _("printed instructions lifetime (days)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    enrollment_token_days = models.PositiveSmallIntegerField(
        _("enrollment token lifetime (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    print_instructions = models.TextField(
        _("printed instructions text"),
        blank=True,
        help_text=_("Shown on the printed enrollment instructions, above the sign-in details. "
                    "Leave empty for the standard text."),
    )
    # Medical record numbers of charts the portal creates (portal.record_numbers)
    record_number_prefix = models.CharField(
        _("record number prefix"),
        max_length=10,
        blank=True,
        validators=[RegexValidator(r"^[A-Za-z0-9-]*\Z",
                                   _("Use only letters, numbers and hyphens."))],
        help_text=_('Put in front of the number of each chart created in the portal, like '
                    '"DFM-" for DFM-000417.'),
    )
    record_number_next = models.PositiveIntegerField(
        _("next record number"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(999_999_999)],
        help_text=_("The number the next chart created in the portal gets; numbers already "
                    "in use are skipped."),
    )
    # Proxy access (SPEC P7 and beyond the seeds)
    adolescent_confidentiality = models.BooleanField(
        _("adolescent confidentiality"),
        default=False,
        help_text=_("Guardians of patients aged 12 to 17 see only the areas below; the "
                    "patient's own access is unaffected."),
    )
    adolescent_guardian_areas = models.JSONField(
        _("areas guardians of adolescents may see"),
        default=default_adolescent_guardian_areas,
        blank=True,
        help_text=_('A list among "health_record", "messages", "appointments", "billing", '
                    '"renewals".'),
    )
    # Accounts (SPEC A5, E11)
    session_timeout_minutes = models.PositiveSmallIntegerField(
        _("sign out after inactivity (minutes)"),
        default=15,
        validators=[MinValueValidator(5), MaxValueValidator(120)],
    )
    inactivity_unenroll_days = models.PositiveSmallIntegerField(
        _("unenroll accounts unused for (days)"),
        null=True,
        blank=True,
        default=730,
        help_text=_("Leave empty to never unenroll inactive accounts."),
        validators=[MinValueValidator(30)],
    )

    # Language (issue 10): public pages, and messages to people who have not chosen one.
    default_language = models.CharField(
        _("default language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The portal's public pages, and emails and texts to people who have not "
                    "chosen a language, use this one."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("practice")
        verbose_name_plural = _("practices")

    def __str__(self) -> str:
        return self.name

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def today(self) -> datetime.date:
        """The date it is now where the practice is."""
        return timezone.localdate(timezone=self.tzinfo)


class Provider(models.Model):
    """A clinician of a practice whom patients see and message."""

    practice = models.ForeignKey(
        Practice, on_delete=models.PROTECT, related_name="providers", verbose_name=_("practice")
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    credentials = models.CharField(_("credentials"), max_length=30, blank=True,
                                   help_text=_("MD, DO, NP, PA-C…"))
    specialty = models.CharField(_("specialty"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("provider")
        verbose_name_plural = _("providers")

    def __str__(self) -> str:
        suffix = f", {self.credentials}" if self.credentials else ""
        return f"{self.first_name} {self.last_name}{suffix}"
