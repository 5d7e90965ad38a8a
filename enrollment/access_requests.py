"""Enrollment requests (SPEC E3) and "Create a new account" (SPEC E6).

A person who is not invited asks for access with their details. When the details match exactly
one adult's chart and the code proved a contact that chart alone holds, the account is linked
straight away; otherwise the practice decides from its queue. Pages answer the same way whether
or not a chart exists.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access_changes import portal_access_grant
from accounts.devices import OneTimeCodeDevice
from accounts.languages import practice_language, user_language
from accounts.models import Relationship, User
from accounts.proxy_rules import is_adult
from accounts.services import (
    CodeSent,
    SecurityDetails,
    account_activate,
    code_send,
    pending_account_save,
)
from accounts.shared_contacts import contact_shared
from enrollment.models import EnrollmentRequest, EnrollmentRequestStatus, InvitationKind
from enrollment.services import (
    InvitationRefused,
    invitation_issue_and_send,
    patient_has_own_account,
)
from portal.audit import audit_record
from portal.models import AuditAction, Channel, PatientChart, Practice
from portal.outbox import outbox_email


@dataclass(frozen=True)
class PatientInformation:
    """What someone types on "Request access" or "Create a new account"."""

    practice_id: int
    first_name: str
    last_name: str
    date_of_birth: datetime.date
    zip_code: str
    email: str
    mobile_phone: str  # E.164 or ""

    def as_session(self) -> dict[str, str | int]:
        return {**self.__dict__, "date_of_birth": self.date_of_birth.isoformat()}

    @classmethod
    def from_session(cls, data: dict) -> PatientInformation:
        return cls(**{**data, "date_of_birth": datetime.date.fromisoformat(data["date_of_birth"])})


def charts_matching(*, info: PatientInformation) -> list[PatientChart]:
    """Charts of the practice with these names, date of birth and 5-digit ZIP code."""
    charts = PatientChart.objects.filter(
        practice_id=info.practice_id,
        first_name__iexact=info.first_name.strip(),
        last_name__iexact=info.last_name.strip(),
        date_of_birth=info.date_of_birth,
    )
    zip5 = "".join(ch for ch in info.zip_code if ch.isdigit())[:5]
    return [c for c in charts if c.zip_code[:5] == zip5]


@transaction.atomic
def enrollment_request_create(
    *, info: PatientInformation, user: User | None = None, request: HttpRequest | None = None
) -> EnrollmentRequest:
    enrollment_request = EnrollmentRequest.objects.create(
        practice_id=info.practice_id, first_name=info.first_name.strip(),
        last_name=info.last_name.strip(), date_of_birth=info.date_of_birth,
        zip_code=info.zip_code.strip(), email=info.email, mobile_phone=info.mobile_phone,
        user=user,
    )
    audit_record(action=AuditAction.ENROLLMENT_REQUESTED, request=request, actor=user,
                 practice=enrollment_request.practice, obj=enrollment_request)
    return enrollment_request


def _proven_contact_on_chart(chart: PatientChart, device: OneTimeCodeDevice) -> bool:
    """Whether the code went to the chart's own notification email or mobile, as the practice
    recorded them: what the person typed counts only if it is already there."""
    if device.channel == Channel.EMAIL:
        return bool(chart.notification_email) and (
            chart.notification_email.strip().lower() == device.destination.strip().lower()
        )
    return bool(chart.mobile_phone) and chart.mobile_phone.as_e164 == device.destination


def _chart_to_link(*, info: PatientInformation, user: User, device: OneTimeCodeDevice
                   ) -> PatientChart | None:
    """The chart "Create a new account" may link by itself, or None: staff decide.

    A code proves that someone reads an inbox or a phone, not who — and families share them
    (SPEC E8). So only an adult's chart, when the code went to the chart's own contact and no
    other chart or account holds it. A minor's "self" login made by whoever reads the family
    inbox would skip the guardians' rules and the age-out invitation, so a person checks."""
    matches = charts_matching(info=info)
    if len(matches) != 1:
        return None
    chart = matches[0]
    if not is_adult(chart) or not _proven_contact_on_chart(chart, device):
        return None
    if contact_shared(chart=chart, user=user, channel=device.channel,
                      destination=device.destination):
        return None
    return None if patient_has_own_account(patient=chart) else chart


@transaction.atomic
def new_account_security_details_save(
    *, info: PatientInformation, pending_user: User | None, details: SecurityDetails,
    request: HttpRequest,
) -> tuple[OneTimeCodeDevice, CodeSent]:
    """Create a new account, still inactive (or redo the one begun), and send its first code
    (SPEC E6). All or nothing: if sending fails, no half-made account stays. (A send the
    code-send limits refuse is not a failure: the person is told, and may ask again.)"""
    user, device = pending_account_save(user=pending_user, details=details,
                                        first_name=info.first_name, last_name=info.last_name)
    audit_record(action=AuditAction.SECURITY_DETAILS_SET, request=request, actor=user,
                 practice=Practice.objects.get(pk=info.practice_id))
    return device, code_send(device=device, request=request)


@transaction.atomic
def new_account_complete(
    *, user: User, device: OneTimeCodeDevice, info: PatientInformation,
    request: HttpRequest | None = None,
) -> PatientChart | None:
    """Activate an account made with "Create a new account" and link it to its chart when
    ``_chart_to_link`` finds one; otherwise file an enrollment request. Returns the linked
    chart, or None."""
    account_activate(user=user, device=device, request=request)
    chart = _chart_to_link(info=info, user=user, device=device)
    if chart is not None:
        portal_access_grant(user=user, patient=chart, relationship=Relationship.SELF,
                            granted_by=None, request=request)
        audit_record(action=AuditAction.ACCOUNT_ACTIVATED, request=request, actor=user,
                     patient=chart, extra={"path": "new_account"})
        return chart
    enrollment_request_create(info=info, user=user, request=request)
    audit_record(action=AuditAction.ACCOUNT_ACTIVATED, request=request, actor=user,
                 practice=Practice.objects.get(pk=info.practice_id),
                 extra={"path": "new_account", "linked": False})
    return None


@transaction.atomic
def enrollment_request_approve(
    *, enrollment_request: EnrollmentRequest, patient: PatientChart, staff: User,
    request: HttpRequest | None = None,
) -> None:
    """Match the request to ``patient``. A requester who already has an account is linked and
    told to sign in; anyone else gets the invitation link to finish enrolling (SPEC E3)."""
    if patient.practice_id != enrollment_request.practice_id:
        raise ValueError("a request can only be matched to a chart of its own practice")
    if enrollment_request.status != EnrollmentRequestStatus.PENDING:
        raise ValueError("this request has already been decided")
    if patient_has_own_account(patient=patient):
        raise InvitationRefused(
            _("%(name)s already has a portal account, so this request cannot be matched to "
              "their chart.") % {"name": patient.full_name})
    enrollment_request.status = EnrollmentRequestStatus.APPROVED
    enrollment_request.patient = patient
    enrollment_request.decided_by = staff
    enrollment_request.decided_at = timezone.now()
    enrollment_request.save(update_fields=["status", "patient", "decided_by", "decided_at"])
    context = {"practice_name": patient.practice.name, "first_name": enrollment_request.first_name}
    if enrollment_request.user is not None:
        portal_access_grant(user=enrollment_request.user, patient=patient,
                            relationship=Relationship.SELF, granted_by=staff, request=request)
        if enrollment_request.email:
            outbox_email(to=enrollment_request.email, template="enrollment-approved-account",
                         context={**context, "url": settings.SITE_URL + reverse("account_login")},
                         language=user_language(enrollment_request.user))
    else:
        invitation_issue_and_send(
            patient=patient, kind=InvitationKind.LINK, created_by=staff, request=request,
            email=enrollment_request.email, mobile_phone=enrollment_request.mobile_phone,
            template="enrollment-approved",
        )
    audit_record(action=AuditAction.ENROLLMENT_REQUEST_APPROVED, request=request, actor=staff,
                 patient=patient, obj=enrollment_request)


@transaction.atomic
def enrollment_request_reject(
    *, enrollment_request: EnrollmentRequest, reason: str, staff: User,
    request: HttpRequest | None = None,
) -> None:
    if enrollment_request.status != EnrollmentRequestStatus.PENDING:
        raise ValueError("this request has already been decided")
    enrollment_request.status = EnrollmentRequestStatus.REJECTED
    enrollment_request.rejection_reason = reason
    enrollment_request.decided_by = staff
    enrollment_request.decided_at = timezone.now()
    enrollment_request.save(update_fields=["status", "rejection_reason", "decided_by",
                                           "decided_at"])
    if enrollment_request.email:
        requester = enrollment_request.user
        outbox_email(to=enrollment_request.email, template="enrollment-rejected", context={
            "practice_name": enrollment_request.practice.name,
            "first_name": enrollment_request.first_name, "reason": reason,
            "practice_phone": enrollment_request.practice.phone,
        }, language=user_language(requester) if requester is not None
            else practice_language(enrollment_request.practice))
    audit_record(action=AuditAction.ENROLLMENT_REQUEST_REJECTED, request=request, actor=staff,
                 practice=enrollment_request.practice, obj=enrollment_request)
