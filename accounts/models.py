from __future__ import annotations

import datetime
import uuid
from collections.abc import Collection
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from accounts.password_policy import (
    USERNAME_HELP_TEXT,
    USERNAME_MAX_LENGTH,
    username_canonical,
    username_validators,
)
from portal.models.patient_owned import PatientOwnedQuerySet

if TYPE_CHECKING:
    from portal.models import PatientChart
    from portal.models.patient_owned import PatientAccess


USERNAME_TAKEN = _("That username is taken. Please choose another.")


class PortalUserManager(UserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> User:
        # Usernames are not case sensitive (SPEC E7), for every authentication backend: found by
        # their canonical form only. Never username__iexact: on PostgreSQL that compares UPPER(),
        # which turns a dotless i (U+0131) into I, so a look-alike signed in as someone else.
        return self.get(username_canonical=username_canonical(username or ""))

    def with_username(self, username: str) -> models.QuerySet[User]:
        """The account (none or one) whose username ``username`` is, in any case or width."""
        return self.filter(username_canonical=username_canonical(username.strip()))


class User(AbstractUser):  # type: ignore[django-manager-missing]  # django-otp is untyped
    """A login. Patients, proxies and staff are all users; what they may see comes from their
    portal accesses and staff memberships, never from the user row itself."""

    username = models.CharField(
        _("username"),
        max_length=USERNAME_MAX_LENGTH,
        unique=True,
        validators=username_validators,
        help_text=USERNAME_HELP_TEXT,
        error_messages={"unique": USERNAME_TAKEN},
    )
    # Derived from the username on every save (see save()); unique, and what every lookup by
    # username compares (accounts.password_policy.username_canonical).
    username_canonical = models.TextField(
        _("canonical username"), unique=True, editable=False,
        error_messages={"unique": USERNAME_TAKEN},
        help_text=_("The username in NFKC, case-folded: how it is told apart from others."),
    )
    email = models.EmailField(_("email address"), blank=True)
    session_epoch = models.PositiveIntegerField(
        default=0, editable=False,
        help_text=_("Raised to sign the user out everywhere: it is part of every session's "
                    "hash."),
    )
    notify_by_email = models.BooleanField(
        _("tell me by email when something new is waiting"), default=True)
    notify_by_text = models.BooleanField(
        _("tell me by text message when something new is waiting"), default=False)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Pages, emails and texts in this language; empty follows the practice."),
    )
    recovery_locked_at = models.DateTimeField(
        _("self-service recovery locked"), null=True, blank=True,
        help_text=_("Set after too many wrong security answers; staff clear it once they have "
                    "checked the person's identity."),
    )
    reactivated_at = models.DateTimeField(
        _("last re-activated"), null=True, blank=True, editable=False,
        help_text=_("When staff last re-activated the account after unenrollment: its "
                    "inactivity period counts from then if it has not signed in since."),
    )

    objects: ClassVar[PortalUserManager] = PortalUserManager()

    class Meta:
        # Unique in any case and width through username_canonical, no longer by an index on
        # LOWER(username): PostgreSQL's LOWER() and UPPER() disagree on the Turkish dotted and
        # dotless i (U+0130, U+0131).
        constraints = []  # none left (an empty Meta keeps the model options of 0001)

    def __str__(self) -> str:
        return self.username

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The canonical username follows the username wherever that is saved from (enrollment,
        # Account Settings, the console, createsuperuser, the sweep that frees unfinished
        # usernames), so it is derived here, once, rather than by each of them.
        self.username_canonical = username_canonical(self.username)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "username" in update_fields:
            kwargs["update_fields"] = {*update_fields, "username_canonical"}
        super().save(*args, **kwargs)

    def validate_unique(self, exclude: Collection[str] | None = None) -> None:
        """A form that edits the username (the console's) checks its canonical form too, which
        is no field of the form; the error is the username's."""
        if isinstance(self.username, str):
            self.username_canonical = username_canonical(self.username)
        if exclude is not None and "username" not in exclude:
            exclude = set(exclude) - {"username_canonical"}
        try:
            super().validate_unique(exclude=exclude)
        except ValidationError as error:
            errors = error.error_dict
            canonical = errors.pop("username_canonical", None)
            if canonical and "username" not in errors:
                errors["username"] = canonical
            raise ValidationError(errors) from None

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        # Django ends every session whose stored hash no longer matches: including the epoch
        # lets "sign out of all devices" (and a password reset) end them without a password
        # change. See accounts.sessions.
        key_salt = "accounts.User.get_session_auth_hash"
        return salted_hmac(key_salt, f"{self.password}:{self.session_epoch}", secret=secret,
                           algorithm="sha256").hexdigest()


class Relationship(models.TextChoices):
    SELF = "self", _("Self")
    GUARDIAN = "guardian", _("Guardian")
    TRUSTED_REPRESENTATIVE = "representative", _("Trusted representative")
    CARE_MANAGER = "care_manager", _("Care manager")


class Right(models.TextChoices):
    """The areas of the portal a portal access can open (SPEC P4)."""

    HEALTH_RECORD = "health_record", _("Health record")
    MESSAGES = "messages", _("Messages")
    APPOINTMENTS = "appointments", _("Appointments")
    BILLING = "billing", _("Billing")
    RENEWALS = "renewals", _("Medication renewals")


class PortalAccessQuerySet(PatientOwnedQuerySet["PortalAccess"]):
    def current(self, now: datetime.datetime | None = None) -> PortalAccessQuerySet:
        """Accesses in force right now: started, not ended, not revoked."""
        now = now or timezone.now()
        return self.filter(
            revoked_at__isnull=True,
            starts_at__lte=now,
        ).filter(models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=now))

    def seen_through(self, *, patient: PatientChart, access: PatientAccess) -> PortalAccessQuerySet:
        """Once the patient is an adult, their former guardians' accesses are over even before
        the age-out sweep has revoked them: nobody sees or changes them from a patient page."""
        from accounts.proxy_rules import is_adult  # it imports this module

        return self.exclude(relationship=Relationship.GUARDIAN) if is_adult(patient) else self


class PortalAccess(models.Model):
    """What links a user to a patient chart: the relationship and the rights it carries."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portal_accesses",
        verbose_name=_("person"),
    )
    patient = models.ForeignKey(
        "portal.PatientChart", on_delete=models.CASCADE, related_name="portal_accesses",
        verbose_name=_("patient"),
    )
    relationship = models.CharField(_("relationship"), max_length=20,
                                    choices=Relationship.choices)
    right_health_record = models.BooleanField(_("health record"), default=True)
    right_messages = models.BooleanField(_("messages"), default=True)
    right_appointments = models.BooleanField(_("appointments"), default=True)
    right_billing = models.BooleanField(_("billing"), default=True)
    right_renewals = models.BooleanField(_("medication renewals"), default=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    starts_at = models.DateTimeField(_("since"), default=timezone.now)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = PortalAccessQuerySet.as_manager()

    class Meta:
        verbose_name = _("portal access")
        verbose_name_plural = _("portal accesses")
        constraints = [
            # One live link per user and chart; revoked ones stay for the record.
            models.UniqueConstraint(
                fields=["user", "patient"],
                condition=models.Q(revoked_at__isnull=True),
                name="portalaccess_one_live_per_user_patient",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True)
                | models.Q(ends_at__gt=models.F("starts_at")),
                name="portalaccess_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self) -> str:
        return _("%(person)s → %(patient)s (%(relationship)s)") % {
            "person": self.user, "patient": self.patient,
            "relationship": self.get_relationship_display()}

    def grants(self, right: Right | str) -> bool:
        return bool(getattr(self, f"right_{Right(right).value}"))

    @property
    def rights(self) -> list[Right]:
        return [right for right in Right if self.grants(right)]

    def is_current(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return (
            self.revoked_at is None
            and self.starts_at <= now
            and (self.ends_at is None or self.ends_at > now)
        )

    # What the patient-owned querysets ask of the access a page acts through
    # (portal.models.patient_owned.PatientAccess); the rules are accounts.proxy_rules'.

    def in_force(self) -> bool:
        from accounts.proxy_rules import access_in_force  # it imports this module

        return self.is_current() and access_in_force(self)

    def opens(self, area: Right | str | None) -> bool:
        from accounts.proxy_rules import effective_rights  # it imports this module

        return area is None or Right(area) in effective_rights(self)


class SecurityAnswer(models.Model):
    """One of the two security questions a user chose, with the hashed answer (SPEC A6)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="security_answers"
    )
    question = models.CharField(max_length=40)
    answer_hash = models.CharField(max_length=255)
    failed_attempts = models.PositiveSmallIntegerField(
        default=0, editable=False,
        help_text=_("Wrong answers in account recovery since the last right ones or password "
                    "reset."),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "question"], name="securityanswer_one_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.question}"


class DecoySecurityAnswer(models.Model):
    """A made-up question asked for a username with no account (or none with security
    questions), with its wrong answers counted like an account's, so that such a username locks
    the same way and the pages never tell who has an account (accounts.recovery_questions).
    Keyed on a keyed hash of the canonical username: typed names are not kept."""

    subject = models.CharField(max_length=64)
    question = models.CharField(max_length=40)
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "question"], name="decoysecurityanswer_one_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"Decoy {self.question} ({self.failed_attempts} wrong)"


class PasswordResetToken(models.Model):
    """A token staff hand to a patient who cannot reset their password by email or security
    questions (SPEC A3c, "I have my password reset token"). Only a digest is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="password_reset_tokens")
    secret_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Password reset token for {self.user} ({self.created_at:%Y-%m-%d})"

    @property
    def is_usable(self) -> bool:
        return (self.used_at is None and self.revoked_at is None
                and self.expires_at > timezone.now())


class StaffRole(models.TextChoices):
    FRONT_DESK = "front_desk", _("Front desk")
    CLINICAL = "clinical", _("Clinical staff")
    BILLING = "billing", _("Billing")
    PRACTICE_ADMIN = "practice_admin", _("Practice administrator")


class StaffMembership(models.Model):
    """A practice employee's place in the staff console. Staff see only their practice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_memberships",
        verbose_name=_("staff member"),
    )
    practice = models.ForeignKey(
        "portal.Practice", on_delete=models.CASCADE, related_name="staff_memberships",
        verbose_name=_("practice"),
    )
    role = models.CharField(_("role"), max_length=20, choices=StaffRole.choices)
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("staff membership")
        verbose_name_plural = _("staff memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "practice"], name="staffmembership_one_per_user_practice"
            )
        ]

    def __str__(self) -> str:
        return _("%(person)s at %(practice)s (%(role)s)") % {
            "person": self.user, "practice": self.practice, "role": self.get_role_display()}


from accounts.devices import OneTimeCodeDevice  # noqa: E402, F401  (a model of this app)
