"""Clinical data arrives with the health records issue; the chart itself lives in the kernel
(portal.models.PatientChart)."""
from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from accounts.access import patient_objects, patient_required
from accounts.http import PatientHttpRequest
from accounts.models import Relationship, Right
from portal.models import AuditEvent
from records.activity import activity_groups, activity_lines

LINES_PER_PAGE = 50


@patient_required(Right.HEALTH_RECORD)
def activity(request: PatientHttpRequest) -> HttpResponse:
    """Activity: who opened or changed the record, and when (SPEC R8, P5). The patient's own,
    and — as ONC § 170.315(e)(1) gives it to authorized representatives — a guardian's or
    representative's whose access opens the health record; the door refuses anyone else."""
    patient = request.patient
    groups = activity_groups(events=patient_objects(request, AuditEvent))
    page = Paginator(groups, LINES_PER_PAGE).get_page(request.GET.get("page"))
    lines = activity_lines(patient=patient, groups=list(page.object_list), viewer=request.user)
    return render(request, "records/activity.html", {
        "page": page,
        "lines": lines,
        "own_record": request.portal_access.relationship == Relationship.SELF,
    })
