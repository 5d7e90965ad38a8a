"""The Age-out Report (SPEC P7, T7): patients with a guardian's access who turn 18 soon, and
those who turned 18 lately, for the practices where the staff member's role may see charts."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enrollment.selectors import age_outs_recent, age_outs_upcoming
from portal.audit import audit_record
from portal.models import AuditAction
from staffadmin.scoped_admin import PracticeScopedAdmin, console_practice

DEFAULT_DAYS = 30


class AgeOutReportForm(forms.Form):
    days = forms.IntegerField(
        label=gettext_lazy("Days"), min_value=1, max_value=365, required=False,
        error_messages={"invalid": gettext_lazy("Enter a whole number of days, from 1 to 365.")},
    )

    def days_or_default(self) -> int:
        if not self.is_valid():
            return DEFAULT_DAYS
        return self.cleaned_data["days"] or DEFAULT_DAYS


class AgeOutReportMixin(PracticeScopedAdmin):
    def get_urls(self) -> list:
        wrap = self.admin_site.admin_view
        return [
            path("age-out-report/", wrap(self.age_out_report_view),
                 name="portal_patientchart_age_out_report"),
            *super().get_urls(),
        ]

    def age_out_report_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = AgeOutReportForm(request.GET or None)
        days = form.days_or_default()
        practices = list(self.permitted_practices(request, "view", "change"))
        upcoming = age_outs_upcoming(practices=practices, days=days)
        recent = age_outs_recent(practices=practices, days=days)
        audit_record(action=AuditAction.STAFF_REPORT_VIEWED, request=request,
                     practice=console_practice(request),
                     extra={"report": "age_out", "days": days, "upcoming": len(upcoming),
                            "recent": len(recent)})
        return TemplateResponse(request, "staffadmin/age_out_report.html", {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Age-out Report"), "form": form, "days": days,
            "upcoming": upcoming, "recent": recent,
        })
