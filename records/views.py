from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from enrollment.models import EnrollmentRequest
from portal.access import get_active_access, patient_required
from portal.audit import audit_record
from portal.models import AuditAction
from records.activity import activity_events, activity_lines
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


@patient_required(own_record=True)
def activity(request: HttpRequest) -> HttpResponse:
    """Activity: who opened or changed my record, and when (SPEC R8, P5)."""
    patient = request.patient  # type: ignore[attr-defined]
    page = Paginator(activity_events(patient=patient), 50).get_page(request.GET.get("page"))
    lines = activity_lines(patient=patient, events=list(page.object_list), viewer=request.user)
    return render(request, "records/activity.html", {"page": page, "lines": lines})
