"""Self-registration for new patients (SPEC E5): the invitee fills in the registration form and
creates the account in one go; the chart is created for staff to review."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.access_changes import portal_access_grant
from accounts.devices import OneTimeCodeDevice
from accounts.models import Relationship
from accounts.services import account_activate
from enrollment.models import Invitation, InvitationKind
from portal.audit import audit_record
from portal.models import AuditAction, PatientChart, PortalStatus, Practice


@dataclass(frozen=True)
class Registration:
    first_name: str
    middle_name: str
    last_name: str
    date_of_birth: datetime.date
    sex: str
    address_line1: str
    address_line2: str
    city: str
    state: str
    zip_code: str
    home_phone: str  # E.164 or ""

    def as_session(self) -> dict[str, str]:
        return {**self.__dict__, "date_of_birth": self.date_of_birth.isoformat()}

    @classmethod
    def from_session(cls, data: dict) -> Registration:
        return cls(**{**data, "date_of_birth": datetime.date.fromisoformat(data["date_of_birth"])})


def _new_record_number(practice: Practice) -> str:
    while True:
        number = f"WEB-{secrets.randbelow(10**6):06d}"
        if not PatientChart.objects.filter(practice=practice, record_number=number).exists():
            return number


@transaction.atomic
def self_registration_complete(
    *, invitation: Invitation, device: OneTimeCodeDevice, registration: Registration,
    request: HttpRequest | None = None,
) -> PatientChart:
    invitation = Invitation.objects.select_for_update(of=("self",)).get(pk=invitation.pk)
    user = invitation.pending_user
    if (invitation.kind != InvitationKind.SELF_REGISTRATION or not invitation.is_usable
            or user is None or device.user_id != user.pk):
        raise ValueError("this registration can no longer be completed")
    account_activate(user=user, device=device, request=request)
    mobile = OneTimeCodeDevice.objects.filter(user=user, channel="sms").first()
    chart = PatientChart.objects.create(
        practice=invitation.practice,
        record_number=_new_record_number(invitation.practice),
        **{k: v for k, v in registration.__dict__.items()},
        mobile_phone=mobile.destination if mobile else "",
        notification_email=user.email or invitation.email,
        portal_status=PortalStatus.ENROLLED,
        needs_review=True,
    )
    invitation.patient = chart
    invitation.used_at = timezone.now()
    invitation.user = user
    invitation.pending_user = None
    invitation.save(update_fields=["patient", "used_at", "user", "pending_user"])
    portal_access_grant(user=user, patient=chart, relationship=Relationship.SELF,
                        granted_by=invitation.created_by, request=request)
    audit_record(action=AuditAction.CHART_SELF_REGISTERED, request=request, actor=user,
                 patient=chart, obj=chart)
    audit_record(action=AuditAction.ACCOUNT_ACTIVATED, request=request, actor=user,
                 patient=chart, obj=invitation)
    return chart
