"""The warning on a minor's chart whose own portal account shares an email address or mobile
number with a guardian (SPEC E8: families share one email): the guardian may be the one who
holds it. Shown on the chart's page for as long as it is true, and to the staff member who has
just approved such an account from the enrollment requests queue."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from accounts.shared_contacts import own_accounts_sharing_guardian_contact
from portal.models import PatientChart
from staffadmin.scoped_admin import PracticeScopedAdmin


def minor_contact_warnings_show(request: HttpRequest, *, chart: PatientChart) -> None:
    """One warning per own account of ``chart`` (a minor) that shares a guardian's contact."""
    for user, guardians in own_accounts_sharing_guardian_contact(patient=chart).items():
        names = ", ".join(guardian.username for guardian in guardians)
        messages.warning(request, _(
            "The portal account “%(username)s” opens this record as the patient themself and "
            "shares an email address or mobile number with a guardian (%(guardians)s). Its "
            "sign-in codes and password resets may reach the guardian: check with the patient "
            "who holds it, and unenroll it from the chart if it is not theirs.")
            % {"username": user.username, "guardians": names})


class MinorContactWarningMixin(PracticeScopedAdmin):
    """Adds the warning to the staff patient page."""

    def render_change_form(self, request: HttpRequest, context: dict[str, Any],
                           add: bool = False, change: bool = False, form_url: str = "",
                           obj: PatientChart | None = None) -> HttpResponse:
        # Here the chart has been found in the staff member's own practice, and will be shown.
        if obj is not None:
            minor_contact_warnings_show(request, chart=obj)
        return super().render_change_form(request, context, add=add, change=change,
                                          form_url=form_url, obj=obj)
