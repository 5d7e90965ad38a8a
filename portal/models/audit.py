from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from portal.models.patient_owned import PatientOwnedQuerySet


class AuditAction(models.TextChoices):
    SIGNED_IN = "auth.signed_in", _("Signed in")
    SIGNED_OUT = "auth.signed_out", _("Signed out")
    SIGN_IN_FAILED = "auth.sign_in_failed", _("Sign-in failed")
    SIGNED_OUT_EVERYWHERE = "auth.signed_out_everywhere", _("Signed out of all other devices")
    PATIENT_SWITCHED = "access.patient_switched", _("Switched to this patient's record")
    ACCESS_DENIED = "access.denied", _("Tried to open an area without the right")
    # A 404 from the door or the console's practice scope: a page without any access, or an
    # object that is not the patient's (or not the staff member's practices').
    ACCESS_NOT_FOUND = "access.not_found", _("Asked for a record that is not theirs")
    RATE_LIMITED = "security.rate_limited", _("Refused: too many attempts")
    CHART_VIEWED = "chart.viewed", _("Viewed the chart summary")
    STAFF_ADDED = "staff.object_added", _("Staff added a record")
    STAFF_CHANGED = "staff.object_changed", _("Staff changed a record")
    STAFF_DELETED = "staff.object_deleted", _("Staff deleted a record")
    # Console reads (DESIGN invariant 5): what was opened or how many results, never the words
    # of a search.
    STAFF_VIEWED = "staff.object_viewed", _("Staff opened a record")
    STAFF_SEARCHED = "staff.searched", _("Staff searched patient records")
    STAFF_REPORT_VIEWED = "staff.report_viewed", _("Staff opened a report")
    FAMILY_VIEWED = "staff.family_viewed", _("Staff opened Family Management")
    AUTHENTICATOR_VIEWED = (
        "staff.authenticator_viewed", _("An authenticator app's device was opened in the console")
    )
    STAFF_ROLE_CHANGED = "staff.role_changed", _("Staff member's role or membership changed")
    TEST_MESSAGE_SENT = "outbox.test_message", _("Test message queued")
    INVITATION_ISSUED = "enrollment.invitation_issued", _("Enrollment invitation issued")
    INVITATION_SENT = "enrollment.invitation_sent", _("Enrollment invitation sent")
    INVITATION_REVOKED = "enrollment.invitation_revoked", _("Enrollment invitation revoked")
    INVITATION_EXPIRED = "enrollment.invitation_expired", _("Enrollment invitation expired")
    IDENTITY_PASSED = "enrollment.identity_passed", _("Identity check passed")
    IDENTITY_FAILED = "enrollment.identity_failed", _("Identity check failed")
    INVITATION_LOCKED = "enrollment.invitation_locked", _("Invitation locked after failed checks")
    SECURITY_DETAILS_SET = "enrollment.security_details", _("Security details created")
    CODE_SENT = "mfa.code_sent", _("Verification code sent")
    CODE_FAILED = "mfa.code_failed", _("Wrong verification code")
    CODE_VERIFIED = "mfa.code_verified", _("Verification code accepted")
    USERNAME_CHANGED = "account.username_changed", _("Username changed")
    SECURITY_QUESTIONS_CHANGED = "account.questions_changed", _("Security questions changed")
    EMAIL_CHANGE_REQUESTED = "account.email_change_requested", _("Email change requested")
    EMAIL_CHANGED = "account.email_changed", _("Email address changed")
    METHOD_ADDED = "mfa.method_added", _("Sign-in code method added")
    METHOD_REMOVED = "mfa.method_removed", _("Sign-in code method removed")
    PREFERENCES_CHANGED = "account.preferences_changed", _("Preferences changed")
    ACCOUNT_ACTIVATED = "enrollment.account_activated", _("Portal account activated")
    ACCESS_GRANTED = "access.granted", _("Portal access granted")
    INVITATION_ACCEPTED = (
        "enrollment.invitation_accepted", _("Invitation accepted with an existing account")
    )
    ENROLLMENT_REQUESTED = "enrollment.requested", _("Enrollment requested")
    ENROLLMENT_REQUEST_APPROVED = "enrollment.request_approved", _("Enrollment request approved")
    ENROLLMENT_REQUEST_REJECTED = "enrollment.request_rejected", _("Enrollment request rejected")
    CHART_CREATED_FROM_REQUEST = (
        "enrollment.chart_created_from_request", _("Chart created from an enrollment request")
    )
    CHART_SELF_REGISTERED = "enrollment.self_registered", _("Chart created by self-registration")
    MINOR_SHARES_GUARDIAN_CONTACT = (
        "enrollment.minor_shares_guardian_contact",
        _("A minor's own account shares an email or mobile number with a guardian"),
    )
    # Account recovery (SPEC A2, A3)
    USERNAME_REMINDER_SENT = "recovery.username_reminder_sent", _("Username reminder sent")
    USERNAME_REMINDER_UNMATCHED = (
        "recovery.username_reminder_unmatched", _("Username reminder asked for; nothing matched")
    )
    PASSWORD_RESET_REQUESTED = (
        "recovery.password_reset_requested", _("Password reset link asked for")
    )
    SECURITY_ANSWER_FAILED = "recovery.security_answer_failed", _("Wrong security answer")
    SECURITY_ANSWERS_PASSED = "recovery.security_answers_passed", _("Security answers right")
    RECOVERY_LOCKED = "recovery.locked", _("Self-service recovery locked")
    RESET_TOKEN_ISSUED = "recovery.reset_token_issued", _("Password reset token issued")
    RESET_TOKEN_ACCEPTED = "recovery.reset_token_accepted", _("Password reset token accepted")
    RESET_TOKEN_FAILED = "recovery.reset_token_failed", _("Password reset token not accepted")
    PASSWORD_RESET = "recovery.password_reset", _("Password reset")
    PASSWORD_CHANGED = "account.password_changed", _("Password changed")
    SESSION_TIMED_OUT = "auth.session_timed_out", _("Signed out after inactivity")
    SESSION_EXPIRED = "auth.session_expired", _("Signed out at the end of the session's lifetime")
    ACCOUNT_UNENROLLED = "accounts.unenrolled", _("Portal account unenrolled")
    ACCOUNT_REACTIVATED = "accounts.reactivated", _("Portal account re-activated")
    # Representatives and Family Management (SPEC P1, P4, P8)
    REPRESENTATIVE_INVITED = "access.representative_invited", _("Trusted representative invited")
    INVITATION_CANCELLED = "access.invitation_cancelled", _("Representative invitation cancelled")
    ACCESS_RIGHTS_CHANGED = "access.rights_changed", _("Access rights changed")
    ACCESS_REVOKED = "access.revoked", _("Portal access revoked")
    ACCESS_AGED_OUT = "access.aged_out", _("Guardian access ended: the patient turned 18")


class AuditEventQuerySet(PatientOwnedQuerySet["AuditEvent"]):
    # A patient's activity log is part of their record (SPEC R8): an access that does not open
    # the health record — a guardian of an adolescent whose practice keeps it confidential,
    # say — sees none of it.
    area = "health_record"


class AuditEvent(models.Model):
    """Who did what, acting for which patient, when and from where.

    Append-only: the database refuses UPDATE and DELETE on this table (see the migration).
    """

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    # The account the event is about, when not the actor's own (a staff member unenrolling a
    # patient's login, a guardian losing access, a wrong answer to someone's security question).
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("about the account"),
    )
    patient = models.ForeignKey(
        "portal.PatientChart",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
        verbose_name=_("patient"),
    )
    practice = models.ForeignKey(
        "portal.Practice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("practice"),
    )
    # Not a choices field: a new action would otherwise need a migration. Values come from
    # AuditAction, which audit_record() requires.
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("kind of record"), max_length=100, blank=True)
    object_id = models.CharField(_("record"), max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    extra = models.JSONField(_("details"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["patient", "-created_at"]),
            models.Index(fields=["practice", "-created_at"]),
            models.Index(fields=["subject_user", "-created_at"]),
        ]

    def __str__(self) -> str:
        when = formats.date_format(timezone.localtime(self.created_at), "SHORT_DATETIME_FORMAT")
        return f"{when} {self.action_label}"

    @property
    def action_label(self) -> str:
        try:
            return str(AuditAction(self.action).label)
        except ValueError:
            return self.action
