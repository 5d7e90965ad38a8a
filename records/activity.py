"""The patient's activity log (SPEC R8, P5; ONC § 170.315(e)(1)): who did what with their record,
and for whom — the patient, their guardians and representatives, the practice's staff — read
from the audit trail, in plain words.

Repeats are grouped when shown, never when written: the trail keeps every event (the staff
console's audit log shows each one), and this page shows one line per person, kind of action and
thing acted on within one sign-in of that person — "Viewed the summary of the record, 4 times,
9:02 AM to 9:40 AM" — newest first. A sign-in runs from a "Signed in" event of the person to
their next one; the actions of the portal itself, and of someone with no sign-in before them,
stand alone. The sign-in events only mark those boundaries: what the page lists is the patient's
events, through the door (accounts.access.patient_objects).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import BigIntegerField, Count, F, Max, Min, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import PortalAccess, Relationship, StaffMembership, User
from portal.models import AuditAction, AuditEvent, PatientChart

# What each kind of event says on the page: plain words, said of whoever the "Who" column names
# ("You", "Bob Baker (trusted representative)", "Sam Lee, staff of Harbor Family Practice").
ACTION_WORDS: dict[str, str | Promise] = {
    AuditAction.SIGNED_IN: _("Signed in"),
    AuditAction.SIGNED_OUT: _("Signed out"),
    AuditAction.SIGN_IN_FAILED: _("Could not sign in"),
    AuditAction.SIGNED_OUT_EVERYWHERE: _("Signed out on every other device"),
    AuditAction.PATIENT_SWITCHED: _("Opened this record"),
    AuditAction.ACCESS_DENIED: _("Tried to open a part of the record their access does not "
                                 "include"),
    AuditAction.ACCESS_NOT_FOUND: _("Asked for a page or record that could not be shown"),
    AuditAction.RATE_LIMITED: _("Was stopped after too many attempts"),
    AuditAction.CHART_VIEWED: _("Viewed the summary of the record"),
    AuditAction.STAFF_ADDED: _("Added to the record"),
    AuditAction.STAFF_CHANGED: _("Changed the record"),
    AuditAction.STAFF_DELETED: _("Removed something from the record"),
    AuditAction.STAFF_VIEWED: _("Opened the record at the practice"),
    AuditAction.STAFF_SEARCHED: _("Found the record in a search at the practice"),
    AuditAction.STAFF_REPORT_VIEWED: _("Opened a report that lists the record"),
    AuditAction.FAMILY_VIEWED: _("Looked at who can use the portal for this record"),
    AuditAction.AUTHENTICATOR_VIEWED: _("Looked at the settings of an authenticator app"),
    AuditAction.STAFF_ROLE_CHANGED: _("Changed the role of a staff member"),
    AuditAction.TEST_MESSAGE_SENT: _("Sent a test message"),
    AuditAction.INVITATION_ISSUED: _("Created an invitation to the portal"),
    AuditAction.INVITATION_SENT: _("Sent an invitation to the portal"),
    AuditAction.INVITATION_REVOKED: _("Withdrew an invitation to the portal"),
    AuditAction.INVITATION_EXPIRED: _("An invitation to the portal expired"),
    AuditAction.IDENTITY_PASSED: _("Confirmed who they are with an invitation"),
    AuditAction.IDENTITY_FAILED: _("Gave a date of birth or ZIP code that did not match"),
    AuditAction.INVITATION_LOCKED: _("An invitation was locked after too many wrong answers"),
    AuditAction.SECURITY_DETAILS_SET: _("Created a username and password"),
    AuditAction.CODE_SENT: _("Was sent a verification code"),
    AuditAction.CODE_FAILED: _("Entered a wrong verification code"),
    AuditAction.CODE_VERIFIED: _("Entered the right verification code"),
    AuditAction.USERNAME_CHANGED: _("Changed a username"),
    AuditAction.SECURITY_QUESTIONS_CHANGED: _("Changed security questions"),
    AuditAction.EMAIL_CHANGE_REQUESTED: _("Asked to change an email address"),
    AuditAction.EMAIL_CHANGED: _("Changed an email address"),
    AuditAction.METHOD_ADDED: _("Added a way to get sign-in codes"),
    AuditAction.METHOD_REMOVED: _("Removed a way to get sign-in codes"),
    AuditAction.PREFERENCES_CHANGED: _("Changed notification or language choices"),
    AuditAction.ACCOUNT_ACTIVATED: _("Set up a portal account"),
    AuditAction.ACCESS_GRANTED: _("Gave access to the portal"),
    AuditAction.INVITATION_ACCEPTED: _("Accepted an invitation with an existing account"),
    AuditAction.ENROLLMENT_REQUESTED: _("Asked the practice for portal access"),
    AuditAction.ENROLLMENT_REQUEST_APPROVED: _("Approved a request for portal access"),
    AuditAction.CHART_CREATED_FROM_REQUEST: _("Created a chart from a request for portal access"),
    AuditAction.ENROLLMENT_REQUEST_REJECTED: _("Turned down a request for portal access"),
    AuditAction.CHART_SELF_REGISTERED: _("Created the record from a new account"),
    AuditAction.MINOR_SHARES_GUARDIAN_CONTACT: _("Noted that the account of a minor shares an "
                                                 "email address or mobile number with a "
                                                 "guardian"),
    AuditAction.USERNAME_REMINDER_SENT: _("Was sent a username reminder"),
    AuditAction.USERNAME_REMINDER_UNMATCHED: _("Asked for a username reminder"),
    AuditAction.PASSWORD_RESET_REQUESTED: _("Asked for a password reset link"),
    AuditAction.SECURITY_ANSWER_FAILED: _("Gave a wrong answer to a security question"),
    AuditAction.SECURITY_ANSWERS_PASSED: _("Answered the security questions"),
    AuditAction.RECOVERY_LOCKED: _("Was locked out of resetting the password online"),
    AuditAction.RESET_TOKEN_ISSUED: _("Created a password reset token"),
    AuditAction.RESET_TOKEN_ACCEPTED: _("Used a password reset token"),
    AuditAction.RESET_TOKEN_FAILED: _("Entered a password reset token that did not work"),
    AuditAction.PASSWORD_RESET: _("Reset a password"),
    AuditAction.PASSWORD_CHANGED: _("Changed a password"),
    AuditAction.SESSION_TIMED_OUT: _("Was signed out after a time without activity"),
    AuditAction.SESSION_EXPIRED: _("Was signed out at the end of the longest time allowed"),
    AuditAction.ACCOUNT_UNENROLLED: _("Closed a portal account"),
    AuditAction.ACCOUNT_REACTIVATED: _("Opened a closed portal account again"),
    AuditAction.REPRESENTATIVE_INVITED: _("Invited a trusted representative"),
    AuditAction.INVITATION_CANCELLED: _("Cancelled an invitation to a representative"),
    AuditAction.ACCESS_RIGHTS_CHANGED: _("Changed what someone can see and do"),
    AuditAction.ACCESS_REVOKED: _("Ended access for someone"),
    AuditAction.ACCESS_AGED_OUT: _("Access for a guardian ended when the patient turned 18"),
}


def action_words(action: str) -> str:
    """The page's words for an event's action; an unknown one (an action since removed) is named
    as the trail stores it rather than hidden."""
    words = ACTION_WORDS.get(action)
    return str(words) if words is not None else action


@dataclass(frozen=True)
class ActivityLine:
    who: str
    what: str
    count: int
    first: datetime.datetime
    last: datetime.datetime
    about: str = ""  # whose account it concerned, when not the actor's: "Bob Baker"
    about_you: bool = False  # … the viewer's own


def activity_groups(*, events: QuerySet[AuditEvent]) -> QuerySet[AuditEvent, dict[str, Any]]:
    """``events`` — the patient's, through the door (accounts.access.patient_objects) — grouped
    by who, what, about whom and about what, within one sign-in of the actor, newest first.
    Each row: actor, action, subject_user, count, first, last."""
    sign_in = (AuditEvent.objects
               .filter(action=AuditAction.SIGNED_IN, actor=OuterRef("actor"),
                       created_at__lte=OuterRef("created_at"))
               .order_by("-created_at", "-id").values("id")[:1])
    return (events.order_by()
            .annotate(sign_in=Coalesce(Subquery(sign_in), -F("id"),
                                       output_field=BigIntegerField()))
            .values("actor", "action", "subject_user", "object_type", "object_id", "sign_in")
            .annotate(count=Count("id"), first=Min("created_at"), last=Max("created_at"),
                      newest=Max("id"))
            .order_by("-last", "-newest"))


def activity_lines(*, patient: PatientChart, groups: list[dict[str, Any]], viewer: User
                   ) -> list[ActivityLine]:
    """Name each actor as the viewer knows them: you, the patient, a guardian or representative,
    the practice's staff. Three queries, however many lines."""
    user_ids = {g["actor"] for g in groups} | {g["subject_user"] for g in groups}
    user_ids.discard(None)
    users = User.objects.in_bulk(user_ids)
    relationships = dict(PortalAccess.objects.filter(patient=patient, user_id__in=user_ids)
                         # The live access, if any, comes last and names them.
                         .order_by(F("revoked_at").desc(nulls_last=True), "pk")
                         .values_list("user_id", "relationship"))
    staff_ids = set(StaffMembership.objects.filter(
        practice_id=patient.practice_id, user_id__in=user_ids).values_list("user_id", flat=True))
    lines = []
    for group in groups:
        actor = users.get(group["actor"])
        subject = users.get(group["subject_user"])
        about = subject is not None and subject.pk != group["actor"]
        lines.append(ActivityLine(
            who=_who(actor, viewer, patient, relationships, staff_ids),
            what=action_words(group["action"]),
            count=group["count"], first=group["first"], last=group["last"],
            about=_name(subject) if about and subject is not None else "",
            about_you=about and subject is not None and subject.pk == viewer.pk,
        ))
    return lines


def _name(user: User) -> str:
    return user.get_full_name() or user.username


def _who(actor: User | None, viewer: User, patient: PatientChart,
         relationships: dict[int, str], staff_ids: set[int]) -> str:
    if actor is None:
        return gettext("The portal")
    if actor.pk == viewer.pk:
        return gettext("You")
    name = _name(actor)
    if actor.pk in staff_ids:
        return gettext("%(name)s, staff of %(practice)s") % {
            "name": name, "practice": patient.practice.name}
    relationship = relationships.get(actor.pk)
    if relationship == Relationship.SELF:
        return gettext("%(name)s (the patient)") % {"name": name}
    if relationship == Relationship.GUARDIAN:
        return gettext("%(name)s (guardian)") % {"name": name}
    if relationship == Relationship.TRUSTED_REPRESENTATIVE:
        return gettext("%(name)s (trusted representative)") % {"name": name}
    if relationship == Relationship.CARE_MANAGER:
        return gettext("%(name)s (care manager)") % {"name": name}
    return actor.get_full_name() or gettext("Someone else")
