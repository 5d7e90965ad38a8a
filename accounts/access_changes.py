"""Every grant, change of rights and revocation of a portal access goes through these functions,
from every screen (patient, staff console, enrollment, sweeps), so the rules and the audit trail
are the same from any side. The door reads the database on every request, so a change applies to
the person's very next page.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import PortalAccess, Relationship, Right, User
from accounts.shared_contacts import own_access_contact_check
from portal.audit import audit_record
from portal.models import AuditAction, PatientChart, PortalStatus


@transaction.atomic
def portal_access_grant(
    *,
    user: User,
    patient: PatientChart,
    relationship: str,
    granted_by: User | None,
    request: HttpRequest | None = None,
    rights: Sequence[str] | None = None,
    ends_at: datetime.datetime | None = None,
    starts_at: datetime.datetime | None = None,
) -> PortalAccess:
    """Give ``user`` access to ``patient`` (or keep the live access they already have), with
    only ``rights`` when given (all areas otherwise), from ``starts_at`` (now) until
    ``ends_at`` (for good). A user's own chart becomes "enrolled"; a minor's own access on an
    email address or mobile number a guardian has is recorded for staff."""
    access = PortalAccess.objects.filter(user=user, patient=patient,
                                         revoked_at__isnull=True).first()
    if access is None:
        chosen = {f"right_{r.value}": (rights is None or r.value in rights) for r in Right}
        access = PortalAccess.objects.create(user=user, patient=patient,
                                             relationship=relationship, granted_by=granted_by,
                                             starts_at=starts_at or timezone.now(),
                                             ends_at=ends_at, **chosen)
        audit_record(action=AuditAction.ACCESS_GRANTED, request=request, actor=granted_by or user,
                     subject_user=user, patient=patient, obj=access,
                     extra={"relationship": relationship})
        if relationship == Relationship.SELF:
            # Whichever path made it (an invitation, staff approving a request): a minor's own
            # login on a guardian's address is flagged for the practice.
            own_access_contact_check(access=access, actor=granted_by or user, request=request)
    if relationship == Relationship.SELF and patient.portal_status != PortalStatus.ENROLLED:
        patient.portal_status = PortalStatus.ENROLLED
        patient.save(update_fields=["portal_status"])
    return access


def _iso(moment: datetime.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


@transaction.atomic
def access_rights_change(
    *,
    access: PortalAccess,
    rights: Sequence[str],
    ends_at: datetime.datetime | None,
    actor: User,
    request: HttpRequest | None = None,
) -> PortalAccess:
    """Edit Access Rights (SPEC P4): the chosen areas open, the others close."""
    before = {"rights": [r.value for r in access.rights], "ends_at": _iso(access.ends_at)}
    chosen = {Right(r) for r in rights}
    for right in Right:
        setattr(access, f"right_{right.value}", right in chosen)
    access.ends_at = ends_at
    access.save(update_fields=[*(f"right_{r.value}" for r in Right), "ends_at"])
    audit_record(action=AuditAction.ACCESS_RIGHTS_CHANGED, request=request, actor=actor,
                 subject_user=access.user, patient=access.patient, obj=access,
                 extra={"before": before,
                        "after": {"rights": [r.value for r in access.rights],
                                  "ends_at": _iso(ends_at)}})
    return access


@transaction.atomic
def access_revoke(
    *,
    access: PortalAccess,
    actor: User | None,
    request: HttpRequest | None = None,
    now: datetime.datetime | None = None,
    action: AuditAction = AuditAction.ACCESS_REVOKED,
    extra: dict[str, Any] | None = None,
) -> None:
    """The access ends from the person's very next request. ``actor`` is None for a sweep,
    which names its own audit ``action`` (age-out) and adds its ``extra`` details.

    When the patient's own last live access goes, no account opens the chart any more: it is
    "not enrolled" again, so staff may invite the patient anew. ("Unenrolled" is for an account
    that still opens the chart but may not sign in; it is re-activated, not invited.)"""
    now = now or timezone.now()
    access.revoked_at = now
    access.revoked_by = actor
    access.save(update_fields=["revoked_at", "revoked_by"])
    chart = access.patient
    if access.relationship == Relationship.SELF and chart.portal_status in (
        PortalStatus.ENROLLED, PortalStatus.UNENROLLED
    ) and not _own_accesses_live(chart, now=now).exists():
        chart.portal_status = PortalStatus.NOT_ENROLLED
        chart.save(update_fields=["portal_status"])
    audit_record(action=action, request=request, actor=actor, subject_user=access.user,
                 patient=chart, obj=access,
                 extra={"relationship": access.relationship,
                        **(extra or {})})


def _own_accesses_live(chart: PatientChart, *, now: datetime.datetime
                       ) -> QuerySet[PortalAccess]:
    """The patient's own accesses not revoked and not over (one may not have started yet)."""
    return PortalAccess.objects.filter(
        patient=chart, relationship=Relationship.SELF, revoked_at__isnull=True,
    ).exclude(ends_at__lte=now)
