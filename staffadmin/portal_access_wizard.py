"""Enable Portal Access, the staff wizard on the patient page (SPEC E9, T4).

Step 1 — "Identify the individual(s) getting access" — and the delivery (Email or Print);
Step 2 — "Identify the Relationship to the Patient", with proxy access to related charts;
Proceed. Step 1's answers wait in the server-side session, and every request binds them to the
step-1 form again, so a chart or a choice that is no longer allowed is caught before anything is
written. The forms are in staffadmin/portal_access_forms.py; the rules themselves live in
enrollment/portal_access.py.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path, reverse
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.http import signed_in_user
from enrollment.portal_access import (
    AccessPerson,
    Delivery,
    another_patient_search,
    guarantor_offered,
    portal_access_enable,
)
from enrollment.services import IssuedInvitation
from portal.audit import audit_record
from portal.models import AuditAction, PatientChart
from staffadmin.portal_access_forms import IndividualsForm, RelationshipsForm

if TYPE_CHECKING:
    from staffadmin.enrollment_actions import EnrollmentActionsMixin

SESSION_KEY = "enable_portal_access"
STEP_1 = "portal_patientchart_enable_portal_access"
STEP_2 = "portal_patientchart_enable_portal_access_relationships"


def _state(request: HttpRequest, chart: PatientChart) -> dict[str, str]:
    return request.session.get(SESSION_KEY, {}).get(str(chart.pk), {})


def _state_save(request: HttpRequest, chart: PatientChart, state: dict[str, str] | None) -> None:
    # One entry per chart, so two charts open in two tabs do not overwrite each other.
    wizard = request.session.get(SESSION_KEY, {})
    if state is None:
        wizard.pop(str(chart.pk), None)
    else:
        wizard[str(chart.pk)] = state
    request.session[SESSION_KEY] = wizard


def _initial(chart: PatientChart, guarantor: PatientChart | None) -> dict[str, str]:
    return {"patient_email": chart.notification_email,
            "guarantor_email": guarantor.notification_email if guarantor else ""}


def individuals_view(admin: EnrollmentActionsMixin, request: HttpRequest,
                     object_id: str) -> HttpResponse:
    """Step 1. A GET (with ?q=, the Another Patient search) only reads."""
    chart = admin._chart(request, object_id)  # scoped (404) and change permission (403)
    charts = admin.get_queryset(request)
    if request.method == "POST":
        form = IndividualsForm(request.POST, patient=chart, charts=charts)
        if form.is_valid():
            _state_save(request, chart, form.state())
            return redirect(reverse(f"admin:{STEP_2}", args=[chart.pk]))
    else:
        query = request.GET.get("q", "").strip()[:100]
        found = another_patient_search(patient=chart, query=query, charts=charts)
        if "q" in request.GET:  # that a search was made and how many results, not the words
            audit_record(action=AuditAction.STAFF_SEARCHED, request=request, patient=chart,
                         extra={"page": "enable_portal_access", "results": len(found)})
        initial = {**_initial(chart, guarantor_offered(patient=chart)), **_state(request, chart)}
        form = IndividualsForm(patient=chart, charts=charts, found=found, initial=initial)
    return admin._render(request, "staffadmin/enable_portal_access/individuals.html", {
        "form": form, "chart": chart, "original": chart, "title": _("Enable Portal Access"),
        "subtitle": chart.full_name, "query": request.GET.get("q", ""),
        "searched": "q" in request.GET, "change_url": admin._change_url(chart),
    })


def relationships_view(admin: EnrollmentActionsMixin, request: HttpRequest,
                       object_id: str) -> HttpResponse:
    """Step 2, and Proceed."""
    chart = admin._chart(request, object_id)
    state = _state(request, chart)
    step1 = IndividualsForm(state, patient=chart, charts=admin.get_queryset(request))
    if not step1.is_valid():  # nothing chosen yet, or no longer allowed: back to step 1
        messages.warning(request, _("Something has changed since step 1: please check who "
                                    "gets access again.") if state else
                         _("Please choose who gets access first."))
        return redirect(reverse(f"admin:{STEP_1}", args=[chart.pk]))
    delivery = Delivery(step1.cleaned_data["delivery"])
    form = RelationshipsForm(request.POST if request.method == "POST" else None,
                             patient=chart, people=step1.people())
    if form.is_valid():  # never on a GET: the form is unbound
        try:
            issued = portal_access_enable(patient=chart, people=form.people(), delivery=delivery,
                                          created_by=signed_in_user(request), request=request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _state_save(request, chart, None)
            return _proceeded(admin, request, chart, delivery, form.people(), issued)
    return admin._render(request, "staffadmin/enable_portal_access/relationships.html", {
        "form": form, "chart": chart, "original": chart, "title": _("Enable Portal Access"),
        "subtitle": chart.full_name, "delivery": delivery,
        "step1_url": reverse(f"admin:{STEP_1}", args=[chart.pk]),
    })


def _proceeded(admin: EnrollmentActionsMixin, request: HttpRequest, chart: PatientChart,
               delivery: Delivery, people: list[AccessPerson],
               issued: list[IssuedInvitation]) -> HttpResponse:
    """Email: back to the chart, saying who was invited. Print: every person's instructions."""
    if delivery == Delivery.EMAIL:
        names = get_text_list([f"{p.full_name} ({p.email})" for p in people], _("and"))
        messages.success(request, _("Portal access invitation sent to %(names)s. Any earlier "
                                    "invitation for them no longer works.") % {"names": names})
        return redirect(admin._change_url(chart))
    return admin._render(request, "staffadmin/enable_portal_access/print.html", {
        "chart": chart, "original": chart, "practice": chart.practice,
        "sheets": list(zip(people, issued, strict=True)), "title": _("Print Instructions"),
        "subtitle": chart.full_name,
        "site_url": settings.SITE_URL, "change_url": admin._change_url(chart),
    })


def wizard_urls(admin: EnrollmentActionsMixin) -> list[URLPattern]:
    """The wizard's pages, for the chart admin's get_urls. Both steps show on GET and change
    state only on POST; the admin site wraps them (staff only, CSRF)."""
    def view(func: Any) -> Any:
        return admin.admin_site.admin_view(
            require_http_methods(["GET", "POST"])(partial(func, admin)))

    return [
        path("<path:object_id>/enable-portal-access/", view(individuals_view), name=STEP_1),
        path("<path:object_id>/enable-portal-access/relationships/",
             view(relationships_view), name=STEP_2),
    ]
