"""Send an Invitation to Self-Register, from the patient roster (SPEC E5)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from accounts.http import signed_in_user
from enrollment.forms import SelfRegistrationInvitationForm
from enrollment.models import InvitationKind
from enrollment.services import invitation_issue_and_send
from staffadmin.scoped_admin import PracticeScopedAdmin


class SelfRegistrationMixin(PracticeScopedAdmin):
    def get_urls(self) -> list:
        wrap = self.admin_site.admin_view
        return [
            path("self-registration/", wrap(self.self_registration_view),
                 name="portal_patientchart_self_registration"),
            *super().get_urls(),
        ]

    def self_registration_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        # The practice where the role allows adding charts: the chart will be added there.
        practices = list(self.permitted_practices(request, "add")[:2])
        if len(practices) != 1:
            # A superuser (or someone who adds charts in two practices) must work from a
            # practice's own console.
            messages.error(request, _("Self-registration invitations are sent by a "
                                      "practice's own staff."))
            return redirect(reverse("admin:portal_patientchart_changelist"))
        form = SelfRegistrationInvitationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            invitation_issue_and_send(
                patient=None, practice=practices[0], kind=InvitationKind.SELF_REGISTRATION,
                created_by=signed_in_user(request), request=request, first_name=data["first_name"],
                last_name=data["last_name"], email=data["email"],
                mobile_phone=data.get("mobile_phone"), template="self-registration",
            )
            messages.success(request, _("Self-registration invitation sent to %(email)s.")
                             % {"email": data["email"]})
            return redirect(reverse("admin:portal_patientchart_changelist"))
        return TemplateResponse(request, "staffadmin/self_registration.html", {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Send an Invitation to Self-Register"), "form": form,
        })
