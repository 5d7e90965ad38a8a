"""The staff patient page itself: who has portal access to the chart (read-only: changes go
through Enable Portal Access and Family Management), and what the grouped actions of
templates/admin/portal/patientchart/change_form.html need to know."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.admin.exceptions import NotRegistered
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import PortalAccess, User
from portal.models import PatientChart
from staffadmin.scoped_admin import PracticeScopedAdmin


def person_name(user: User) -> str:
    """The person's name and username, like "Dana Lee (dlee)"; the username alone when the
    account has no name."""
    full = user.get_full_name()
    return f"{full} ({user.username})" if full else user.username


@dataclass(frozen=True)
class AccessRow:
    access: PortalAccess
    person: str
    person_url: str | None  # only when the viewer may open that page
    rights: str
    status: str


def _status(access: PortalAccess) -> str:
    now = timezone.now()
    if access.revoked_at is not None:
        return gettext("Revoked")
    if access.ends_at is not None and access.ends_at <= now:
        return gettext("Ended")
    if access.starts_at > now:
        return gettext("Not started yet")
    if not access.user.is_active:
        return gettext("Account unenrolled")
    return gettext("Active")


class ChartPageMixin(PracticeScopedAdmin):
    def _person_url(self, request: HttpRequest, user: User) -> str | None:
        """The console's page of the person's login, if this staff member may open it: staff
        of a practice may not (it is an operator's page), so for them the name is plain text."""
        try:
            user_admin = self.admin_site.get_model_admin(User)
        except NotRegistered:
            return None
        if not user_admin.has_view_permission(request, user):
            return None
        return reverse("admin:accounts_user_change", args=[user.pk])

    def portal_access_rows(self, request: HttpRequest, chart: PatientChart) -> list[AccessRow]:
        accesses = (PortalAccess.objects.filter(patient=chart).select_related("user")
                    .order_by("revoked_at", "-starts_at"))
        return [
            AccessRow(access=access, person=person_name(access.user),
                      person_url=self._person_url(request, access.user),
                      rights=", ".join(str(right.label) for right in access.rights)
                      or gettext("None"),
                      status=_status(access))
            for access in accesses
        ]

    def render_change_form(self, request: HttpRequest, context: dict[str, Any],
                           add: bool = False, change: bool = False, form_url: str = "",
                           obj: PatientChart | None = None) -> HttpResponse:
        if obj is not None:
            context["portal_access_rows"] = self.portal_access_rows(request, obj)
        return super().render_change_form(request, context, add=add, change=change,
                                          form_url=form_url, obj=obj)
