"""Create a chart from an enrollment request (SPEC E3): for someone who asked for portal access
and has no chart at the practice yet. Staff check what the person typed (it fills the form), the
chart gets the next record number by the practice's rule (portal.record_numbers), and the
request is approved with it exactly as "Approve with this chart" does (invitation or link to the
existing account, emails, audit) — all in one transaction, so a refusal leaves no chart behind.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import transaction
from django.http import HttpRequest
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from enrollment.access_requests import enrollment_request_approve
from enrollment.models import EnrollmentRequest, EnrollmentRequestStatus
from portal.audit import audit_record
from portal.models import AuditAction, PatientChart
from portal.record_numbers import record_number_take

CHART_FIELDS = ["first_name", "middle_name", "last_name", "date_of_birth", "sex", "zip_code",
                "notification_email", "mobile_phone"]


class RequestDecided(Exception):
    """Someone else decided the request in the meantime."""


class ChartFromRequestForm(forms.ModelForm):
    """The new chart's details, filled in from the request; staff may correct a typo."""

    class Meta:
        model = PatientChart
        fields = CHART_FIELDS
        widgets = {"date_of_birth": forms.DateInput(attrs={"autocomplete": "off"})}
        help_texts = {"date_of_birth": _("MM/DD/YYYY")}

    def __init__(self, data: Any = None, *, enrollment_request: EnrollmentRequest) -> None:
        self.enrollment_request = enrollment_request
        initial = {
            "first_name": enrollment_request.first_name,
            "last_name": enrollment_request.last_name,
            "date_of_birth": enrollment_request.date_of_birth,
            "zip_code": enrollment_request.zip_code,
            "notification_email": enrollment_request.email,
            "mobile_phone": enrollment_request.mobile_phone,
        }
        super().__init__(data, initial=initial, prefix="chart")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        first, last = data.get("first_name"), data.get("last_name")
        born = data.get("date_of_birth")
        if first and last and born:
            same = PatientChart.objects.filter(
                practice_id=self.enrollment_request.practice_id, first_name__iexact=first.strip(),
                last_name__iexact=last.strip(), date_of_birth=born).first()
            if same is not None:
                raise forms.ValidationError(
                    gettext("%(name)s, born %(born)s, already has a chart (record number "
                            "%(number)s): approve the request with that chart instead.")
                    % {"name": same.full_name, "born": date_format(born, "SHORT_DATE_FORMAT"),
                       "number": same.record_number},
                    code="duplicate")
        return data


@transaction.atomic
def chart_from_request_create(*, enrollment_request: EnrollmentRequest, details: dict[str, Any],
                              staff: User, request: HttpRequest | None = None) -> PatientChart:
    """Create the chart with ``details`` (the form's cleaned data) and approve the request with
    it. Raises RequestDecided if the request is no longer pending, and lets the approval's own
    refusals (InvitationRefused) through, undoing the chart."""
    locked = EnrollmentRequest.objects.select_for_update().get(pk=enrollment_request.pk)
    if locked.status != EnrollmentRequestStatus.PENDING:
        raise RequestDecided
    practice = locked.practice
    chart = PatientChart.objects.create(
        practice=practice, record_number=record_number_take(practice=practice),
        **{name: details[name] for name in CHART_FIELDS if name in details})
    audit_record(action=AuditAction.CHART_CREATED_FROM_REQUEST, request=request, actor=staff,
                 patient=chart, practice=practice, obj=locked)
    enrollment_request_approve(enrollment_request=locked, patient=chart, staff=staff,
                               request=request)
    return chart
