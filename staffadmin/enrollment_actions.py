"""Enrollment actions on the staff patient page (SPEC T4: E1, E2, E4, E10)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import signed_in_user
from enrollment.models import InvitationKind
from enrollment.services import InvitationRefused, IssuedInvitation, invitation_issue_and_send
from portal.models import PatientChart
from staffadmin.portal_access_wizard import wizard_urls
from staffadmin.scoped_admin import PracticeScopedAdmin

if TYPE_CHECKING:
    pass


class EnrollmentActionsMixin(PracticeScopedAdmin):
    """Adds "Issue enrollment token", "Send portal invitation" and "Generate Password" to the
    patient change page. Each is a POST, on a chart the staff member may change."""

    def get_urls(self) -> list:
        admin = self
        wrap = admin.admin_site.admin_view
        return [
            path("<path:object_id>/issue-token/", wrap(require_POST(self.issue_token_view)),
                 name="portal_patientchart_issue_token"),
            path("<path:object_id>/send-invitation/",
                 wrap(require_POST(self.send_invitation_view)),
                 name="portal_patientchart_send_invitation"),
            path("<path:object_id>/generate-password/",
                 wrap(require_POST(self.generate_password_view)),
                 name="portal_patientchart_generate_password"),
            *wizard_urls(admin),  # Enable Portal Access (E9), in staffadmin/portal_access_wizard
            *super().get_urls(),
        ]

    def _chart(self, request: HttpRequest, object_id: str) -> PatientChart:
        return self.get_object_for(request, object_id)

    def _change_url(self, chart: PatientChart) -> str:
        return reverse("admin:portal_patientchart_change", args=[chart.pk])

    def _render(self, request: HttpRequest, template: str, context: dict[str, Any]) -> Any:
        admin = self
        return TemplateResponse(request, template, {
            **admin.admin_site.each_context(request), "opts": admin.model._meta, **context,
        })

    def _issue(self, request: HttpRequest, chart: PatientChart, kind: InvitationKind
               ) -> IssuedInvitation | None:
        """Issue (and, for a link, send) through the one service; None, with the reason shown
        on the chart, when it refuses."""
        try:
            return invitation_issue_and_send(
                patient=chart, kind=kind, created_by=signed_in_user(request), request=request,
                email=chart.notification_email, mobile_phone=chart.mobile_phone,
            )
        except InvitationRefused as refused:
            messages.error(request, str(refused))
            return None

    def issue_token_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        chart = self._chart(request, object_id)
        issued = self._issue(request, chart, InvitationKind.TOKEN)
        if issued is None:
            return redirect(self._change_url(chart))
        return self._render(request, "staffadmin/enrollment_token.html", {
            "chart": chart, "issued": issued, "title": _("Enrollment token"),
            "subtitle": chart.full_name,
            "change_url": self._change_url(chart),
        })

    def send_invitation_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        chart = self._chart(request, object_id)
        if self._issue(request, chart, InvitationKind.LINK) is not None:
            where = get_text_list([x for x in (chart.notification_email,
                                               str(chart.mobile_phone or "")) if x], _("and"))
            messages.success(request, _("Portal invitation sent to %(where)s. Any earlier "
                                        "invitation no longer works.") % {"where": where})
        return redirect(self._change_url(chart))

    def generate_password_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        chart = self._chart(request, object_id)
        issued = self._issue(request, chart, InvitationKind.TEMPORARY_PASSWORD)
        if issued is None:
            return redirect(self._change_url(chart))
        return self._render(request, "staffadmin/print_instructions.html", {
            "chart": chart, "issued": issued, "title": _("Print Instructions"),
            "subtitle": chart.full_name,
            "practice": chart.practice, "site_url": settings.SITE_URL,
            "change_url": self._change_url(chart),
        })
