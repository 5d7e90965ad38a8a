"""The patient's activity log (SPEC R8, P5): who did what with their record, and for whom —
proxies and staff included — read from the audit trail."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from accounts.models import PortalAccess, StaffMembership, User
from portal.models import AuditEvent, PatientChart


@dataclass(frozen=True)
class ActivityLine:
    event: AuditEvent
    who: str
    about: str = ""  # whose account it concerned, when not the actor's: "Bob Baker", "you"


def activity_events(*, events: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
    """The page's events, among ``events`` — the patient's, through the door
    (accounts.access.patient_objects) — newest first."""
    return events.select_related("actor", "subject_user").order_by("-created_at", "-id")


def activity_lines(*, patient: PatientChart, events: list[AuditEvent], viewer: User
                   ) -> list[ActivityLine]:
    """Name each actor as the patient knows them: you, a representative, the practice's staff."""
    actor_ids = {e.actor_id for e in events if e.actor_id}
    relationships = {
        a.user_id: a.get_relationship_display().lower()
        for a in PortalAccess.objects.filter(patient=patient, user_id__in=actor_ids)
    }
    staff_ids = set(StaffMembership.objects.filter(
        practice_id=patient.practice_id, user_id__in=actor_ids).values_list("user_id", flat=True))
    lines = []
    for event in events:
        actor = event.actor
        if actor is None:
            who = "The portal"
        elif actor.pk == viewer.pk:
            who = "You"
        elif actor.pk in staff_ids:
            who = f"{actor.get_full_name() or actor.username}, staff of {patient.practice.name}"
        elif actor.pk in relationships:
            who = f"{actor.get_full_name() or actor.username} ({relationships[actor.pk]})"
        else:
            who = actor.get_full_name() or "Someone else"
        lines.append(ActivityLine(event, who, _about(event, viewer)))
    return lines


def _about(event: AuditEvent, viewer: User) -> str:
    subject = event.subject_user
    if subject is None or subject.pk == event.actor_id:
        return ""
    return "you" if subject.pk == viewer.pk else subject.get_full_name() or subject.username
