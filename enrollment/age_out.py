"""Age-out (SPEC P7): a guardian's access to a minor ends on the patient's 18th birthday.

The door decides that at request time (accounts.proxy_rules.access_in_force), in the practice's
time zone, so the birthday takes effect on the very next page. The periodic sweep here (Celery
beat, ``manage.py age_out``) only tidies up after it: it marks those accesses revoked, records
it, tells each former guardian — without naming the patient, as an email is no place for health
details — and invites the new adult to their own account when the chart has an address for it.
The staff console's Age-out Report (SPEC T7) reads enrollment.selectors.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.access_changes import access_revoke
from accounts.models import PortalAccess, Relationship, User
from accounts.notices import account_email_send
from accounts.proxy_rules import ADULT_AGE, access_in_force
from enrollment.models import Invitation, InvitationKind
from enrollment.services import invitation_issue_and_send, patient_has_own_account
from portal.models import AuditAction, PatientChart, Practice


def adult_on(*, date_of_birth: datetime.date) -> datetime.date:
    """The 18th birthday; someone born on 29 February turns 18 on 1 March in a common year,
    as PatientChart.age_on counts."""
    try:
        return date_of_birth.replace(year=date_of_birth.year + ADULT_AGE)
    except ValueError:
        return datetime.date(date_of_birth.year + ADULT_AGE, 3, 1)


def born_by(day: datetime.date) -> datetime.date:
    """The latest date of birth of someone who is 18 on ``day``."""
    try:
        return day.replace(year=day.year - ADULT_AGE)
    except ValueError:  # 29 February, in a common year 18 years back
        return datetime.date(day.year - ADULT_AGE, 2, 28)


def _guardian_accesses(practice: Practice) -> list[PortalAccess]:
    """Unrevoked guardian accesses of the practice's patients who are 18 or older today."""
    candidates = PortalAccess.objects.filter(
        relationship=Relationship.GUARDIAN, revoked_at__isnull=True,
        patient__practice=practice, patient__date_of_birth__lte=born_by(practice.today()),
    ).select_related("patient__practice", "user").order_by("pk")
    # The request-time rule stays the judge; the query is only a first cut.
    return [access for access in candidates if not access_in_force(access)]


def guardian_accesses_age_out(*, now: datetime.datetime | None = None) -> int:
    """The periodic sweep. Each access is handled in its own transaction; a second run finds
    nothing to do. Returns how many accesses were ended."""
    now = now or timezone.now()
    count = 0
    for practice in Practice.objects.order_by("pk"):
        for candidate in _guardian_accesses(practice):
            with transaction.atomic():
                access = PortalAccess.objects.select_for_update(of=("self",)).select_related(
                    "patient__practice", "user").get(pk=candidate.pk)
                if access.revoked_at is None:  # not tidied by a concurrent run meanwhile
                    _age_out(access, now=now)
                    count += 1
    return count


def _age_out(access: PortalAccess, *, now: datetime.datetime) -> None:
    """``access`` is locked, inside a transaction."""
    was_open = access.ends_at is None or access.ends_at > now  # not already over by its end date
    notified = was_open and _notice_send(access.user, access.patient.practice)
    invited = _new_adult_invite(access.patient, now=now)
    access_revoke(access=access, actor=None, now=now, action=AuditAction.ACCESS_AGED_OUT,
                  extra={"notified": notified, "invited": invited})


def _notice_send(user: User, practice: Practice) -> bool:
    """In the guardian's language (account_email_send writes in it)."""
    return account_email_send(user=user, template="guardian-access-ended", context={
        "first_name": user.first_name,
        "practice_name": practice.name,
        "practice_phone": practice.phone,
    })


def _new_adult_invite(chart: PatientChart, *, now: datetime.datetime) -> bool:
    """Invite the patient to their own account, by email and text as the chart allows, unless
    they have one or an invitation is open (staff may have handed them one already)."""
    if not (chart.notification_email or chart.mobile_phone):
        return False
    if patient_has_own_account(patient=chart, now=now):
        return False
    if Invitation.objects.open(now).filter(patient=chart,
                                           relationship=Relationship.SELF).exists():
        return False
    invitation_issue_and_send(
        patient=chart, kind=InvitationKind.LINK, created_by=None,
        email=chart.notification_email, mobile_phone=chart.mobile_phone,
    )
    return True
