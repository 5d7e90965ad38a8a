from __future__ import annotations

from django.conf import settings
from django.db import models

from portal.models.patient_owned import PatientOwnedQuerySet


class AuditAction(models.TextChoices):
    SIGNED_IN = "auth.signed_in", "Signed in"
    SIGNED_OUT = "auth.signed_out", "Signed out"
    SIGN_IN_FAILED = "auth.sign_in_failed", "Sign-in failed"
    SIGNED_OUT_EVERYWHERE = "auth.signed_out_everywhere", "Signed out of all other devices"
    PATIENT_SWITCHED = "access.patient_switched", "Switched to this patient's record"
    ACCESS_DENIED = "access.denied", "Tried to open an area without the right"
    # A 404 from the door or the console's practice scope: a page without any access, or an
    # object that is not the patient's (or not the staff member's practices').
    ACCESS_NOT_FOUND = "access.not_found", "Asked for a record that is not theirs"
    RATE_LIMITED = "security.rate_limited", "Refused: too many attempts"
    CHART_VIEWED = "chart.viewed", "Viewed the chart summary"
    STAFF_ADDED = "staff.object_added", "Staff added a record"
    STAFF_CHANGED = "staff.object_changed", "Staff changed a record"
    STAFF_DELETED = "staff.object_deleted", "Staff deleted a record"
    # Console reads (DESIGN invariant 5): what was opened or how many results, never the words
    # of a search.
    STAFF_VIEWED = "staff.object_viewed", "Staff opened a record"
    STAFF_SEARCHED = "staff.searched", "Staff searched patient records"
    STAFF_REPORT_VIEWED = "staff.report_viewed", "Staff opened a report"
    FAMILY_VIEWED = "staff.family_viewed", "Staff opened Family Management"
    AUTHENTICATOR_VIEWED = (
        "staff.authenticator_viewed", "An authenticator app's device was opened in the console"
    )
    STAFF_ROLE_CHANGED = "staff.role_changed", "Staff member's role or membership changed"
    TEST_MESSAGE_SENT = "outbox.test_message", "Test message queued"
    INVITATION_ISSUED = "enrollment.invitation_issued", "Enrollment invitation issued"
    INVITATION_SENT = "enrollment.invitation_sent", "Enrollment invitation sent"
    INVITATION_REVOKED = "enrollment.invitation_revoked", "Enrollment invitation revoked"
    INVITATION_EXPIRED = "enrollment.invitation_expired", "Enrollment invitation expired"
    IDENTITY_PASSED = "enrollment.identity_passed", "Identity check passed"
    IDENTITY_FAILED = "enrollment.identity_failed", "Identity check failed"
    INVITATION_LOCKED = "enrollment.invitation_locked", "Invitation locked after failed checks"
    SECURITY_DETAILS_SET = "enrollment.security_details", "Security details created"
    CODE_SENT = "mfa.code_sent", "Verification code sent"
    CODE_FAILED = "mfa.code_failed", "Wrong verification code"
    CODE_VERIFIED = "mfa.code_verified", "Verification code accepted"
    USERNAME_CHANGED = "account.username_changed", "Username changed"
    SECURITY_QUESTIONS_CHANGED = "account.questions_changed", "Security questions changed"
    EMAIL_CHANGE_REQUESTED = "account.email_change_requested", "Email change requested"
    EMAIL_CHANGED = "account.email_changed", "Email address changed"
    METHOD_ADDED = "mfa.method_added", "Sign-in code method added"
    METHOD_REMOVED = "mfa.method_removed", "Sign-in code method removed"
    PREFERENCES_CHANGED = "account.preferences_changed", "Notification preferences changed"
    ACCOUNT_ACTIVATED = "enrollment.account_activated", "Portal account activated"
    ACCESS_GRANTED = "access.granted", "Portal access granted"
    INVITATION_ACCEPTED = (
        "enrollment.invitation_accepted", "Invitation accepted with an existing account"
    )
    ENROLLMENT_REQUESTED = "enrollment.requested", "Enrollment requested"
    ENROLLMENT_REQUEST_APPROVED = "enrollment.request_approved", "Enrollment request approved"
    ENROLLMENT_REQUEST_REJECTED = "enrollment.request_rejected", "Enrollment request rejected"
    CHART_SELF_REGISTERED = "enrollment.self_registered", "Chart created by self-registration"
    MINOR_SHARES_GUARDIAN_CONTACT = (
        "enrollment.minor_shares_guardian_contact",
        "A minor's own account shares an email or mobile number with a guardian",
    )
    # Account recovery (SPEC A2, A3)
    USERNAME_REMINDER_SENT = "recovery.username_reminder_sent", "Username reminder sent"
    USERNAME_REMINDER_UNMATCHED = (
        "recovery.username_reminder_unmatched", "Username reminder asked for; nothing matched"
    )
    PASSWORD_RESET_REQUESTED = "recovery.password_reset_requested", "Password reset link asked for"
    SECURITY_ANSWER_FAILED = "recovery.security_answer_failed", "Wrong security answer"
    SECURITY_ANSWERS_PASSED = "recovery.security_answers_passed", "Security answers right"
    RECOVERY_LOCKED = "recovery.locked", "Self-service recovery locked"
    RESET_TOKEN_ISSUED = "recovery.reset_token_issued", "Password reset token issued"
    RESET_TOKEN_ACCEPTED = "recovery.reset_token_accepted", "Password reset token accepted"
    RESET_TOKEN_FAILED = "recovery.reset_token_failed", "Password reset token not accepted"
    PASSWORD_RESET = "recovery.password_reset", "Password reset"
    PASSWORD_CHANGED = "account.password_changed", "Password changed"
    SESSION_TIMED_OUT = "auth.session_timed_out", "Signed out after inactivity"
    SESSION_EXPIRED = "auth.session_expired", "Signed out at the end of the session's lifetime"
    ACCOUNT_UNENROLLED = "accounts.unenrolled", "Portal account unenrolled"
    ACCOUNT_REACTIVATED = "accounts.reactivated", "Portal account re-activated"
    # Representatives and Family Management (SPEC P1, P4, P8)
    REPRESENTATIVE_INVITED = "access.representative_invited", "Trusted representative invited"
    INVITATION_CANCELLED = "access.invitation_cancelled", "Representative invitation cancelled"
    ACCESS_RIGHTS_CHANGED = "access.rights_changed", "Access rights changed"
    ACCESS_REVOKED = "access.revoked", "Portal access revoked"
    ACCESS_AGED_OUT = "access.aged_out", "Guardian access ended: the patient turned 18"


class AuditEventQuerySet(PatientOwnedQuerySet["AuditEvent"]):
    # A patient's activity log is part of their record (SPEC R8): an access that does not open
    # the health record — a guardian of an adolescent whose practice keeps it confidential,
    # say — sees none of it.
    area = "health_record"


class AuditEvent(models.Model):
    """Who did what, acting for which patient, when and from where.

    Append-only: the database refuses UPDATE and DELETE on this table (see the migration).
    """

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The account the event is about, when not the actor's own (a staff member unenrolling a
    # patient's login, a guardian losing access, a wrong answer to someone's security question).
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    patient = models.ForeignKey(
        "portal.PatientChart",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    practice = models.ForeignKey(
        "portal.Practice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Not a choices field: a new action would otherwise need a migration. Values come from
    # AuditAction, which audit_record() requires.
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    extra = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["patient", "-created_at"]),
            models.Index(fields=["practice", "-created_at"]),
            models.Index(fields=["subject_user", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action_label}"

    @property
    def action_label(self) -> str:
        try:
            return AuditAction(self.action).label
        except ValueError:
            return self.action
