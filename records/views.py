from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from accounts.access import patient_objects, patient_required
from accounts.http import PatientHttpRequest
from portal.models import AuditEvent
from records.activity import activity_events, activity_lines


@patient_required(own_record=True)
def activity(request: PatientHttpRequest) -> HttpResponse:
    """Activity: who opened or changed my record, and when (SPEC R8, P5)."""
    patient = request.patient
    events = activity_events(events=patient_objects(request, AuditEvent))
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    lines = activity_lines(patient=patient, events=list(page.object_list), viewer=request.user)
    return render(request, "records/activity.html", {"page": page, "lines": lines})
