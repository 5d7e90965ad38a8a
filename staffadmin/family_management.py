"""Family Management on the staff patient page (SPEC P8, T4): the chart's dependents, guardians
and representatives, with "Edit Access Rights" and "Revoke".

The chart is found through the admin's practice-scoped queryset (another practice's is a 404);
viewing needs view permission on charts, changes need change permission (otherwise 403). The
rules and the audit trail are those of accounts.access_changes, shared with the patient's own
Representatives page. Inviting someone new goes through Enable Portal Access (E9). Accesses
are addressed by their random code, not their integer key.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access_changes import access_revoke, access_rights_change
from accounts.access_forms import AccessRightsForm
from accounts.http import signed_in_user
from accounts.models import PortalAccess
from accounts.proxies import (
    dependents_of,
    guaranteed_charts_of,
    proxy_accesses,
    representatives_of,
)
from enrollment.selectors import representative_invitations_open
from portal.audit import audit_record
from portal.models import AuditAction, PatientChart
from staffadmin.scoped_admin import PracticeScopedAdmin

if TYPE_CHECKING:
    pass


class FamilyManagementMixin(PracticeScopedAdmin):
    """Adds the Family Management page and its two changes to the patient admin."""

    def get_urls(self) -> list:
        admin = self
        wrap = admin.admin_site.admin_view
        return [
            path("<path:object_id>/family/", wrap(self.family_view),
                 name="portal_patientchart_family"),
            path("<path:object_id>/family/<uuid:access_code>/rights/",
                 wrap(require_http_methods(["GET", "POST"])(self.family_edit_rights_view)),
                 name="portal_patientchart_family_edit_rights"),
            path("<path:object_id>/family/<uuid:access_code>/revoke/",
                 wrap(require_POST(self.family_revoke_view)),
                 name="portal_patientchart_family_revoke"),
            *super().get_urls(),
        ]

    def _family_chart(self, request: HttpRequest, object_id: str, *, change: bool
                      ) -> PatientChart:
        return self.get_object_for(request, object_id,
                                   change=change)

    def _family_access(self, chart: PatientChart, access_code: uuid.UUID) -> PortalAccess:
        return get_object_or_404(proxy_accesses(accesses=chart.portal_accesses.all()),
                                 code=access_code)

    def _family_url(self, chart: PatientChart) -> str:
        return reverse("admin:portal_patientchart_family", args=[chart.pk])

    def _family_render(self, request: HttpRequest, template: str, context: dict[str, Any]
                       ) -> TemplateResponse:
        admin = self
        return TemplateResponse(request, template, {
            **admin.admin_site.each_context(request), "opts": admin.model._meta, **context,
        })

    def family_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        admin = self
        chart = self._family_chart(request, object_id, change=False)
        audit_record(action=AuditAction.FAMILY_VIEWED, request=request, patient=chart)
        return self._family_render(request, "staffadmin/family_management/index.html", {
            "title": _("Family Management"), "subtitle": chart.full_name, "chart": chart,
            "representatives": representatives_of(accesses=chart.portal_accesses.all()),
            "invitations": representative_invitations_open(invitations=chart.invitations.all()),
            "dependents": dependents_of(patient=chart),
            "guaranteed_charts": guaranteed_charts_of(patient=chart),
            "can_change": admin.has_change_permission(request, chart),
        })

    def family_edit_rights_view(self, request: HttpRequest, object_id: str,
                                access_code: uuid.UUID) -> HttpResponse:
        chart = self._family_chart(request, object_id, change=True)
        access = self._family_access(chart, access_code)
        form = AccessRightsForm(request.POST if request.method == "POST" else None,
                                initial=AccessRightsForm.initial_for(access),
                                practice=chart.practice)
        if form.is_valid():
            access_rights_change(access=access, rights=form.cleaned_data["rights"],
                                 ends_at=form.ends_at, actor=signed_in_user(request),
                                 request=request)
            messages.success(request, _("Access rights of “%(username)s” saved.")
                             % {"username": access.user.username})
            return redirect(self._family_url(chart))
        return self._family_render(request, "staffadmin/family_management/edit_rights.html", {
            "title": _("Edit Access Rights"), "subtitle": chart.full_name, "chart": chart,
            "access": access, "form": form,
            "family_url": self._family_url(chart),
        })

    def family_revoke_view(self, request: HttpRequest, object_id: str, access_code: uuid.UUID
                           ) -> HttpResponse:
        chart = self._family_chart(request, object_id, change=True)
        access = self._family_access(chart, access_code)
        access_revoke(access=access, actor=signed_in_user(request), request=request)
        messages.success(request, _("Portal access of “%(username)s” to this chart revoked.")
                         % {"username": access.user.username})
        return redirect(self._family_url(chart))
