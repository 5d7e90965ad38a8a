"""The patient's home page: the composition layer's dashboard (a card per area).

Each area says what its card shows through its own ``selectors.py``; this module only puts them
together. People with no record open are sent where they belong.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.access import access_allows, get_active_access, patient_required
from accounts.http import PatientHttpRequest
from accounts.models import Right
from accounts.proxy_rules import shows_own_contact_details
from accounts.staff import is_practice_staff
from enrollment.selectors import enrollment_request_pending
from portal.audit import audit_record
from portal.models import AuditAction


def home(request: HttpRequest) -> HttpResponse:
    """After sign-in: the open record's summary, or the way to where the user belongs."""
    if not request.user.is_authenticated:
        return redirect("account_login")
    if get_active_access(request) is None:
        if is_practice_staff(request.user):
            return redirect("admin:index")
        pending = enrollment_request_pending(user=request.user)
        return render(request, "portal/no_record.html", {"request_pending": pending})
    return patient_home(request)


@patient_required()
def patient_home(request: PatientHttpRequest) -> HttpResponse:
    """Whose record it is and their practice for everyone; the demographics only with the
    health-record right (a representative for messages has no business with them), the
    patient's own mobile and email never to a guardian of a confidential adolescent."""
    patient, access = request.patient, request.portal_access
    audit_record(action=AuditAction.CHART_VIEWED, request=request, patient=patient)
    return render(request, "portal/home.html", {
        "patient": patient,
        "shows_demographics": access_allows(access, Right.HEALTH_RECORD),
        "shows_own_contacts": shows_own_contact_details(access),
        "areas": [right.label for right in Right if access_allows(access, right)],
    })
