"""Unenrolling portal accounts, and re-activating them (SPEC E11).

What "unenrolled" means
-----------------------
Unenrollment acts on the *account* — the login — because that is what stops working:

* ``User.is_active`` becomes False. Django then treats its sessions as signed out, and a sign-in
  with the right password shows allauth's "account inactive" page (a wrong password still gets
  the ordinary failure, so only someone who knows the password learns the account is inactive).
  Every session is also ended (accounts.sessions), so none comes back on re-activation.
* The charts it opens as the patient's own (a *self* portal access) change to
  ``PortalStatus.UNENROLLED``; that status describes the patient's own account. Charts it opens as
  guardian or representative keep their status: it belongs to the patient's own account.
* Portal accesses are **kept**, rights and all, so re-activation gives back exactly what the
  person had. While the account is inactive they open nothing (``portal.access``).
* Each chart the account opens gets an audit event; the person gets a notice, without health
  details, at their verified email address (none is sent when there is none).

The periodic sweep unenrolls an account when every practice it reaches considers it inactive:
each of those practices has ``inactivity_unenroll_days`` set (empty means "never"), and its last
activity — the last sign-in, else when the account was created, or its last re-activation if
later — is older than the longest of those periods. Accounts reaching no chart right now are left
alone: no practice's setting applies to them. Staff and superusers are never unenrolled.

By hand, staff unenroll the account from the patient's chart, but only when it reaches no other
practice than theirs: one practice cannot lock a person out of another practice's portal.
Re-activation, from the chart, undoes it all (for every practice, as it is one account).
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Min
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import PortalAccess, Relationship, User
from accounts.notices import account_email_send
from accounts.sessions import sessions_end_all
from accounts.staff import is_practice_staff, practice_staff
from portal.audit import audit_record
from portal.models import AuditAction, PatientChart, PortalStatus, Practice

if TYPE_CHECKING:
    from django.http import HttpRequest


class UnenrollmentRefused(Exception):
    """A staff request that cannot be done; the message says why, in plain words."""


class Reason(enum.StrEnum):
    INACTIVITY = "inactivity"
    STAFF = "staff"  # by hand, from the chart


@dataclass(frozen=True)
class Unenrolled:
    user: User
    notified: bool  # whether a notice went to a verified email address


def _current_accesses(user: User) -> list[PortalAccess]:
    return list(
        PortalAccess.objects.current().filter(user=user).select_related("patient__practice")
    )


def last_activity(*, user: User) -> datetime.datetime:
    """When the account was last used or given a fresh start."""
    seen = user.last_login or user.date_joined
    return max(seen, user.reactivated_at) if user.reactivated_at else seen


def inactivity_period(*, user: User) -> datetime.timedelta | None:
    """How long ``user`` may go unused before the sweep unenrolls them: the longest period of
    the practices their accesses reach. None when one of them never unenrolls, or none is
    reached."""
    practices = {a.patient.practice for a in _current_accesses(user)}
    days = [p.inactivity_unenroll_days for p in practices]
    if not days or any(d is None for d in days):
        return None
    return datetime.timedelta(days=max(d for d in days if d is not None))


def _is_due(user: User, now: datetime.datetime) -> bool:
    if not user.is_active or is_practice_staff(user):
        return False
    period = inactivity_period(user=user)
    return period is not None and last_activity(user=user) < now - period


def accounts_due_for_unenrollment(*, now: datetime.datetime | None = None) -> list[User]:
    """The accounts the sweep would unenroll now."""
    now = now or timezone.now()
    shortest = Practice.objects.aggregate(d=Min("inactivity_unenroll_days"))["d"]
    if shortest is None:
        return []
    # A first cut in the database; _is_due decides.
    candidates = (
        User.objects.filter(is_active=True).exclude(pk__in=practice_staff().values("pk"))
        .annotate(last_seen=Coalesce("last_login", "date_joined"))
        .filter(last_seen__lt=now - datetime.timedelta(days=shortest),
                pk__in=PortalAccess.objects.current(now).values("user"))
        .order_by("pk")
    )
    return [user for user in candidates.iterator() if _is_due(user, now)]


def inactive_accounts_unenroll(*, now: datetime.datetime | None = None) -> int:
    """The periodic sweep (Celery beat, ``manage.py unenroll_inactive``). Each account is
    unenrolled in its own transaction. Returns how many were."""
    now = now or timezone.now()
    count = 0
    for candidate in accounts_due_for_unenrollment(now=now):
        with transaction.atomic():
            user = User.objects.select_for_update().get(pk=candidate.pk)
            if _is_due(user, now):  # not signed in meanwhile
                _unenroll(user, reason=Reason.INACTIVITY, actor=None, request=None)
                count += 1
    return count


def _notice_send(user: User, practices: list[Practice], *, reason: Reason) -> bool:
    return account_email_send(user=user, template="account-unenrolled", context={
        "first_name": user.first_name,
        "username": user.username,
        "by_practice": reason == Reason.STAFF,
        "practices": [{"name": p.name, "phone": p.phone} for p in practices],
    })


def _unenroll(user: User, *, reason: Reason, actor: User | None,
              request: HttpRequest | None) -> Unenrolled:
    """``user`` is locked and active, inside a transaction."""
    accesses = _current_accesses(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    sessions_end_all(user=user)
    for access in accesses:
        chart = access.patient
        if access.relationship == Relationship.SELF:
            chart.portal_status = PortalStatus.UNENROLLED
            chart.save(update_fields=["portal_status"])
        audit_record(action=AuditAction.ACCOUNT_UNENROLLED, request=request, actor=actor,
                     subject_user=user, patient=chart, obj=access,
                     extra={"reason": reason.value, "relationship": access.relationship})
    practices = sorted({a.patient.practice for a in accesses}, key=lambda p: p.name)
    return Unenrolled(user, _notice_send(user, practices, reason=reason))


def _reactivate(user: User, *, actor: User, request: HttpRequest | None) -> None:
    """``user`` is locked and inactive, inside a transaction."""
    user.is_active = True
    user.reactivated_at = timezone.now()
    user.save(update_fields=["is_active", "reactivated_at"])
    for access in _current_accesses(user):
        chart = access.patient
        if access.relationship == Relationship.SELF and (
            chart.portal_status == PortalStatus.UNENROLLED
        ):
            chart.portal_status = PortalStatus.ENROLLED
            chart.save(update_fields=["portal_status"])
        audit_record(action=AuditAction.ACCOUNT_REACTIVATED, request=request, actor=actor,
                     subject_user=user, patient=chart, obj=access,
                     extra={"relationship": access.relationship})


def chart_accounts(*, chart: PatientChart) -> list[User]:
    """The accounts that open ``chart`` as the patient's own (normally one)."""
    own = PortalAccess.objects.current().filter(patient=chart, relationship=Relationship.SELF)
    return list(User.objects.filter(pk__in=own.values("user")).order_by("pk"))


@transaction.atomic
def chart_unenroll(
    *, chart: PatientChart, actor: User, request: HttpRequest | None = None
) -> list[Unenrolled]:
    """Staff unenroll the patient's own portal account by hand (SPEC E11, T4)."""
    from accounts.staff import staff_practices

    users = [u for u in User.objects.select_for_update().filter(
        pk__in=[u.pk for u in chart_accounts(chart=chart)]).order_by("pk") if u.is_active]
    if not users:
        raise UnenrollmentRefused(gettext("No active portal account opens this chart as the "
                                          "patient's own, so there is nothing to unenroll."))
    allowed = set(staff_practices(actor).values_list("pk", flat=True))
    for user in users:
        if is_practice_staff(user):
            raise UnenrollmentRefused(gettext("This portal account belongs to a staff member; "
                                              "staff accounts are not unenrolled."))
        if {a.patient.practice_id for a in _current_accesses(user)} - allowed:
            raise UnenrollmentRefused(gettext("This portal account is also used with another "
                                              "practice, so it cannot be unenrolled from "
                                              "here."))
    return [_unenroll(user, reason=Reason.STAFF, actor=actor, request=request) for user in users]


@transaction.atomic
def chart_reactivate(
    *, chart: PatientChart, actor: User, request: HttpRequest | None = None
) -> list[User]:
    """Staff re-activate the patient's own portal account; it can sign in again at once."""
    users = list(User.objects.select_for_update().filter(
        pk__in=[u.pk for u in chart_accounts(chart=chart)]).order_by("pk"))
    if not users:
        raise UnenrollmentRefused(gettext("No portal account opens this chart as the patient's "
                                          "own. Use Enable Portal Access to invite the patient "
                                          "again."))
    reactivated = [user for user in users if not user.is_active]
    for user in reactivated:
        _reactivate(user, actor=actor, request=request)
    chart.refresh_from_db(fields=["portal_status"])
    if chart.portal_status == PortalStatus.UNENROLLED:  # its account was active already
        chart.portal_status = PortalStatus.ENROLLED
        chart.save(update_fields=["portal_status"])
        audit_record(action=AuditAction.ACCOUNT_REACTIVATED, request=request, actor=actor,
                     patient=chart, obj=chart, extra={"already_active": True})
    return reactivated
