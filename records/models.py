from __future__ import annotations

import datetime
import zoneinfo

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from phonenumber_field.modelfields import PhoneNumberField

TIME_ZONE_CHOICES = [
    ("America/New_York", "Eastern (New York)"),
    ("America/Chicago", "Central (Chicago)"),
    ("America/Denver", "Mountain (Denver)"),
    ("America/Phoenix", "Mountain, no daylight saving (Phoenix)"),
    ("America/Los_Angeles", "Pacific (Los Angeles)"),
    ("America/Anchorage", "Alaska (Anchorage)"),
    ("Pacific/Honolulu", "Hawaii (Honolulu)"),
    ("America/Puerto_Rico", "Atlantic (Puerto Rico)"),
    ("UTC", "UTC"),
]

zip_code_validator = RegexValidator(
    regex=r"^\d{5}(-\d{4})?\Z", message="Enter a 5-digit ZIP code (or ZIP+4, like 12345-6789)."
)


def default_adolescent_guardian_areas() -> list[str]:
    return ["appointments", "billing"]


class Practice(models.Model):
    """A medical office, with the portal settings it chooses (SPEC T6)."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    time_zone = models.CharField(
        max_length=64, choices=TIME_ZONE_CHOICES, default="America/New_York"
    )
    phone = PhoneNumberField(blank=True)
    email = models.EmailField("contact email", blank=True)
    address = models.CharField(max_length=300, blank=True)

    # Enrollment (SPEC E1, E2, E4, E9)
    invitation_email_days = models.PositiveSmallIntegerField(
        "emailed invitation lifetime (days)",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    invitation_print_days = models.PositiveSmallIntegerField(
        "printed instructions lifetime (days)",
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    enrollment_token_days = models.PositiveSmallIntegerField(
        "enrollment token lifetime (days)",
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    print_instructions = models.TextField(
        "printed instructions text",
        blank=True,
        help_text="Shown on the printed enrollment instructions, above the sign-in details. "
        "Leave empty for the standard text.",
    )
    # Proxy access (SPEC P7 and beyond the seeds)
    adolescent_confidentiality = models.BooleanField(
        "adolescent confidentiality",
        default=False,
        help_text="Guardians of patients aged 12 to 17 see only the areas below; the patient's "
        "own access is unaffected.",
    )
    adolescent_guardian_areas = models.JSONField(
        "areas guardians of adolescents may see",
        default=default_adolescent_guardian_areas,
        blank=True,
        help_text='A list among "health_record", "messages", "appointments", "billing", '
        '"renewals".',
    )
    # Accounts (SPEC A5, E11)
    session_timeout_minutes = models.PositiveSmallIntegerField(
        "sign out after inactivity (minutes)",
        default=15,
        validators=[MinValueValidator(5), MaxValueValidator(120)],
    )
    inactivity_unenroll_days = models.PositiveSmallIntegerField(
        "unenroll accounts unused for (days)",
        null=True,
        blank=True,
        default=730,
        help_text="Leave empty to never unenroll inactive accounts.",
        validators=[MinValueValidator(30)],
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def today(self) -> datetime.date:
        """The date it is now where the practice is."""
        return timezone.localdate(timezone=self.tzinfo)


class Sex(models.TextChoices):
    FEMALE = "F", "Female"
    MALE = "M", "Male"
    OTHER = "O", "Other"
    UNKNOWN = "U", "Unknown"


class PortalStatus(models.TextChoices):
    NOT_ENROLLED = "not_enrolled", "Not enrolled"
    INVITED = "invited", "Invited"
    ENROLLED = "enrolled", "Enrolled"
    UNENROLLED = "unenrolled", "Unenrolled"


class PatientChart(models.Model):
    """A patient of a practice. It exists before, and without, any login."""

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="patients")
    record_number = models.CharField("medical record number", max_length=32)
    first_name = models.CharField(max_length=100)
    middle_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    address_line1 = models.CharField("address", max_length=200, blank=True)
    address_line2 = models.CharField("address line 2", max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, blank=True)
    zip_code = models.CharField("ZIP code", max_length=10, validators=[zip_code_validator])
    mobile_phone = PhoneNumberField(blank=True)
    home_phone = PhoneNumberField(blank=True)
    notification_email = models.EmailField(blank=True)
    guarantor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="guaranteed_charts",
        help_text="The chart of the person responsible for the bill, when not the patient.",
    )
    portal_status = models.CharField(
        max_length=20, choices=PortalStatus.choices, default=PortalStatus.NOT_ENROLLED
    )
    needs_review = models.BooleanField(
        "awaiting staff review", default=False,
        help_text="Created by the patient through self-registration; check it, then untick.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "record_number"],
                name="patientchart_record_number_unique_per_practice",
                violation_error_message="This practice already has a chart with that record "
                "number.",
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
