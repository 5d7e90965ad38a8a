from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from enrollment.models import EnrollmentRequest
from portal.access import get_active_access, patient_required
from portal.audit import audit_record
from portal.models import AuditAction
from staffadmin.scoping import is_practice_staff


def home(request: HttpRequest) -> HttpResponse:
    """After sign-in: the open record's summary, or the way to where the user belongs."""
    if not request.user.is_authenticated:
        return redirect("account_login")
    if get_active_access(request) is None:
        if is_practice_staff(request.user):
            return redirect("admin:index")
        pending = EnrollmentRequest.objects.filter(user=request.user, status="pending").exists()
        return render(request, "records/no_record.html", {"request_pending": pending})
    return patient_home(request)


@patient_required()
def patient_home(request: HttpRequest) -> HttpResponse:
    patient = request.patient  # type: ignore[attr-defined]
    audit_record(action=AuditAction.CHART_VIEWED, request=request, patient=patient)
    return render(request, "records/home.html", {"patient": patient})
