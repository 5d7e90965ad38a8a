"""What the enrollment area shows elsewhere: the home page, the staff console's queues."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from accounts.models import PortalAccess, Relationship, User
from enrollment.age_out import adult_on, born_by
from enrollment.models import EnrollmentRequest, EnrollmentRequestStatus, InvitationQuerySet
from portal.models import PatientChart, Practice


def enrollment_request_pending(*, user: User) -> EnrollmentRequest | None:
    """The request for portal access that ``user`` made and the practice has not decided yet
    (the newest, with its practice: the page says whom to call), or None."""
    return (EnrollmentRequest.objects.filter(user=user, status=EnrollmentRequestStatus.PENDING)
            .select_related("practice").order_by("-created_at", "-pk").first())


def representative_invitations_open(*, invitations: InvitationQuerySet) -> InvitationQuerySet:
    """Among ``invitations`` — one patient's: through the door on a patient page
    (accounts.access.patient_objects), the chart's in the staff console — those of someone other
    than the patient that can still be used."""
    return (invitations.open().exclude(relationship=Relationship.SELF)
            .order_by("created_at", "pk"))


# The Age-out Report (SPEC T7) ---------------------------------------------------------------


@dataclass(frozen=True)
class AgeOut:
    patient: PatientChart
    adult_on: datetime.date
    guardians: list[PortalAccess]


def _age_outs(practices: list[Practice], *, first: int, last: int,
              past: bool) -> list[AgeOut]:
    """Patients of ``practices`` whose 18th birthday is between ``first`` and ``last`` days
    from today (each practice's today), with their guardians' accesses."""
    found: list[AgeOut] = []
    for practice in practices:
        today = practice.today()
        start, end = today + datetime.timedelta(days=first), today + datetime.timedelta(days=last)
        accesses = PortalAccess.objects.filter(
            relationship=Relationship.GUARDIAN, patient__practice=practice,
            # One day either side for 29 February; adult_on below decides.
            patient__date_of_birth__gte=born_by(start) - datetime.timedelta(days=1),
            patient__date_of_birth__lte=born_by(end) + datetime.timedelta(days=1),
        ).select_related("patient__practice", "user").order_by("patient__date_of_birth", "pk")
        charts: dict[int, AgeOut] = {}
        for access in accesses:
            birthday = adult_on(date_of_birth=access.patient.date_of_birth)
            if not start <= birthday <= end or not _held_until(access, birthday, past=past):
                continue
            row = charts.setdefault(access.patient_id, AgeOut(access.patient, birthday, []))
            row.guardians.append(access)
        found.extend(charts.values())
    return sorted(found, key=lambda row: (row.adult_on, row.patient.last_name))


def _held_until(access: PortalAccess, birthday: datetime.date, *, past: bool) -> bool:
    """Whether the guardian held the access until the birthday (past) or holds it now."""
    if not past:
        return access.is_current()
    tz = access.patient.practice.tzinfo
    midnight = datetime.datetime.combine(birthday, datetime.time(), tzinfo=tz)
    return (access.revoked_at is None or access.revoked_at >= midnight) and (
        access.ends_at is None or access.ends_at >= midnight)


def age_outs_upcoming(*, practices: list[Practice], days: int) -> list[AgeOut]:
    """Patients with a guardian's access now who turn 18 within ``days`` days."""
    return _age_outs(practices, first=1, last=days, past=False)


def age_outs_recent(*, practices: list[Practice], days: int) -> list[AgeOut]:
    """Patients who turned 18 in the last ``days`` days (today included) while a guardian had
    access; that access ended on the birthday."""
    return _age_outs(practices, first=-days, last=0, past=True)
