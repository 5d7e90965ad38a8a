"""The password reset token on the staff patient page (SPEC A3c, T4), and the flag for an
account whose self-service recovery is locked after wrong security answers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import signed_in_user
from accounts.recovery_questions import recovery_locked_users
from accounts.recovery_token import NoPortalAccount, reset_token_issue
from portal.models import PatientChart
from staffadmin.scoped_admin import PracticeScopedAdmin

if TYPE_CHECKING:
    pass


class PasswordResetTokenMixin(PracticeScopedAdmin):
    """Adds "Issue password reset token" (a POST, on a chart the staff member may change)."""

    def get_urls(self) -> list:
        admin = self
        return [
            path("<path:object_id>/issue-reset-token/",
                 admin.admin_site.admin_view(require_POST(self.issue_reset_token_view)),
                 name="portal_patientchart_issue_reset_token"),
            *super().get_urls(),
        ]

    def issue_reset_token_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        chart: PatientChart = self.get_object_for(request, object_id)
        change_url = reverse("admin:portal_patientchart_change", args=[chart.pk])
        try:
            issued = reset_token_issue(patient=chart, created_by=signed_in_user(request),
                                       request=request)
        except NoPortalAccount:
            messages.error(request, _("This patient has no active portal account of their own, "
                                      "so there is no password to reset. Enable Portal Access "
                                      "instead."))
            return redirect(change_url)
        return TemplateResponse(request, "staffadmin/password_reset_token.html", {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Password reset token"), "subtitle": chart.full_name, "chart": chart,
            "original": chart, "issued": issued, "change_url": change_url,
        })

    def render_change_form(self, request: HttpRequest, context: dict[str, Any],
                           add: bool = False, change: bool = False, form_url: str = "",
                           obj: PatientChart | None = None) -> HttpResponse:
        # Here the chart has been found in the staff member's own practice, and will be shown.
        for user in recovery_locked_users(patient=obj) if obj is not None else []:
            assert obj is not None
            locked_at = timezone.localtime(user.recovery_locked_at, obj.practice.tzinfo)
            when = date_format(locked_at, "SHORT_DATETIME_FORMAT")
            messages.warning(request, _(
                "Password recovery is locked for the portal account “%(username)s” after too "
                "many wrong security answers (%(when)s). Once you have checked the person's "
                "identity, issue a password reset token.") % {"username": user.username,
                                                               "when": when})
        return super().render_change_form(request, context, add=add, change=change,
                                          form_url=form_url, obj=obj)
