"""Unenroll and re-activate on the staff patient page (SPEC E11, T4).

Both are POSTs on a chart of the staff member's practice (another practice's is a 404) that
they may change (otherwise 403); the rules are in accounts.unenrollment. Unenrolling locks the
patient out, so the chart's button opens a page that says what will happen (a GET, which changes
nothing), whose button makes the POST."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.http import signed_in_user
from accounts.models import PortalAccess, Relationship
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
            path("<path:object_id>/unenroll/confirm/",
                 wrap(require_GET(self.unenroll_confirm_view)),
                 name="portal_patientchart_unenroll_confirm"),
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
                if item.notified:
                    text = _("Portal account “%(username)s” unenrolled: it can no longer sign "
                             "in. A notice was sent to its verified email address.")
                else:
                    text = _("Portal account “%(username)s” unenrolled: it can no longer sign "
                             "in. It has no verified email address, so no notice was sent.")
                messages.success(request, text % {"username": item.user.username})
        return redirect(reverse("admin:portal_patientchart_change", args=[chart.pk]))

    def reactivate_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        chart = self._chart_to_change(request, object_id)
        try:
            users = chart_reactivate(chart=chart, actor=signed_in_user(request), request=request)
        except UnenrollmentRefused as refused:
            messages.error(request, str(refused))
        else:
            names = ", ".join(f"“{user.username}”" for user in users)
            messages.success(request, _("Portal account %(names)s re-activated: the patient "
                                        "can sign in again.") % {"names": names} if users else
                             _("The portal account was already active; the chart shows it "
                               "again."))
        return redirect(reverse("admin:portal_patientchart_change", args=[chart.pk]))

    def unenroll_confirm_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        chart = self._chart_to_change(request, object_id)
        accounts = [access.user for access in PortalAccess.objects.current().filter(
            patient=chart, relationship=Relationship.SELF, user__is_active=True,
        ).select_related("user")]
        return TemplateResponse(request, "staffadmin/confirm_unenroll.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta,
            "title": _("Unenroll from portal"), "subtitle": chart.full_name, "chart": chart,
            "original": chart, "accounts": accounts,
            "change_url": reverse("admin:portal_patientchart_change", args=[chart.pk]),
        })
