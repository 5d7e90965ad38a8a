"""Unenroll and re-activate on the staff patient page (SPEC E11, T4).

Both are POSTs on a chart of the staff member's practice (another practice's is a 404) that
they may change (otherwise 403); the rules are in accounts.unenrollment."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from accounts.http import signed_in_user
from accounts.unenrollment import UnenrollmentRefused, chart_reactivate, chart_unenroll
from portal.models import PatientChart
from staffadmin.scoped_admin import PracticeScopedAdmin

if TYPE_CHECKING:
    pass


class UnenrollmentActionsMixin(PracticeScopedAdmin):
    """Adds "Unenroll from portal" (enrolled charts) and "Re-activate portal account"
    (unenrolled charts) to the patient change page."""

    def get_urls(self) -> list:
        admin = self
        wrap = admin.admin_site.admin_view
        return [
            path("<path:object_id>/unenroll/", wrap(require_POST(self.unenroll_view)),
                 name="portal_patientchart_unenroll"),
            path("<path:object_id>/reactivate/", wrap(require_POST(self.reactivate_view)),
                 name="portal_patientchart_reactivate"),
            *super().get_urls(),
        ]

    def _chart_to_change(self, request: HttpRequest, object_id: str) -> PatientChart:
        return self.get_object_for(request, object_id)

    def unenroll_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        chart = self._chart_to_change(request, object_id)
        try:
            done = chart_unenroll(chart=chart, actor=signed_in_user(request), request=request)
        except UnenrollmentRefused as refused:
            messages.error(request, str(refused))
        else:
            for item in done:
                notice = ("A notice was sent to its verified email address." if item.notified
                          else "It has no verified email address, so no notice was sent.")
                messages.success(request, f"Portal account “{item.user.username}” unenrolled: "
                                          f"it can no longer sign in. {notice}")
        return redirect(reverse("admin:portal_patientchart_change", args=[chart.pk]))

    def reactivate_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        chart = self._chart_to_change(request, object_id)
        try:
            users = chart_reactivate(chart=chart, actor=signed_in_user(request), request=request)
        except UnenrollmentRefused as refused:
            messages.error(request, str(refused))
        else:
            names = ", ".join(f"“{user.username}”" for user in users)
            messages.success(request, f"Portal account {names} re-activated: the patient can "
                                      "sign in again." if users else
                             "The portal account was already active; the chart shows it again.")
        return redirect(reverse("admin:portal_patientchart_change", args=[chart.pk]))
