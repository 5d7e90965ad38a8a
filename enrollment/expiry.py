"""The periodic tidy-up after expiry (run by Celery beat and ``manage.py expire_tokens``).

Expiry itself is checked whenever an invitation is used; this only records it, frees the
usernames of accounts that were started but never verified, and puts charts whose invitations
all lapsed back to "not enrolled".
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.devices import OneTimeCodeDevice
from accounts.models import User
from enrollment.models import Invitation
from portal.audit import audit_record
from portal.models import AuditAction, PortalStatus

ABANDONED_ACCOUNT_AFTER = datetime.timedelta(days=1)
RETIRED_PREFIX = "unfinished-"


@transaction.atomic
def invitations_expire(*, now: datetime.datetime | None = None) -> int:
    """Mark lapsed invitations; returns how many were marked."""
    now = now or timezone.now()
    lapsed = list(
        Invitation.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(expires_at__lte=now, used_at__isnull=True, revoked_at__isnull=True,
                expired_at__isnull=True)
        .select_related("patient", "pending_user")[:1000]
    )
    for invitation in lapsed:
        invitation.expired_at = now
        pending = invitation.pending_user
        invitation.pending_user = None
        invitation.save(update_fields=["expired_at", "pending_user"])
        if pending is not None and not pending.is_active and pending.last_login is None:
            _retire(pending)
        audit_record(action=AuditAction.INVITATION_EXPIRED, patient=invitation.patient,
                     practice=invitation.practice, obj=invitation)
        patient = invitation.patient
        if patient is not None and patient.portal_status == PortalStatus.INVITED and not (
            Invitation.objects.open(now).filter(patient=patient).exists()
        ):
            patient.portal_status = PortalStatus.NOT_ENROLLED
            patient.save(update_fields=["portal_status"])
    return len(lapsed)


def _retire(user: User) -> None:
    """Free the username of an account that was never finished. The row stays, unusable,
    because the audit trail points at it."""
    user.username = f"{RETIRED_PREFIX}{user.pk}"
    user.email = ""
    user.set_unusable_password()
    user.save(update_fields=["username", "email", "password"])
    user.security_answers.all().delete()
    OneTimeCodeDevice.objects.filter(user=user).delete()


def abandoned_accounts_retire(*, now: datetime.datetime | None = None) -> int:
    """Accounts started with "Create a new account" whose code was never verified."""
    cutoff = (now or timezone.now()) - ABANDONED_ACCOUNT_AFTER
    abandoned = User.objects.filter(
        is_active=False, last_login__isnull=True, date_joined__lt=cutoff,
        portal_accesses__isnull=True, staff_memberships__isnull=True,
        enrollment_requests__isnull=True,
    ).exclude(username__startswith=RETIRED_PREFIX).exclude(
        pk__in=Invitation.objects.filter(pending_user__isnull=False).values("pending_user")
    )
    retired = 0
    for user in abandoned:
        _retire(user)
        retired += 1
    return retired
