"""Self-registration (SPEC E5): the registration form and the security details together."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from enrollment import services
from enrollment.forms import RegistrationForm, SecurityDetailsForm, contacts_initial
from enrollment.models import InvitationKind
from enrollment.progress import current_invitation, state_save, unavailable


@never_cache  # what was typed, passwords included, is shown again after an error
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    invitation = current_invitation(request)
    if invitation is None or invitation.kind != InvitationKind.SELF_REGISTRATION:
        return unavailable(request)
    initial = {"first_name": invitation.first_name, "last_name": invitation.last_name}
    data = request.POST if request.method == "POST" else None
    registration_form = RegistrationForm(data, initial=initial, prefix="patient")
    details_form = SecurityDetailsForm(
        data, pending_user=invitation.pending_user,
        initial=contacts_initial(email=invitation.email, mobile_phone=invitation.mobile_phone),
    )
    if (request.method == "POST" and registration_form.is_valid() and details_form.is_valid()
            and details_form.username_available(request)):
        device, sent = services.security_details_save(
            invitation=invitation, details=details_form.details(), request=request)
        state_save(request, device=device.pk,
                   registration=registration_form.registration().as_session())
        if sent.refusal:
            messages.warning(request, sent.refusal)
        return redirect("enrollment:verify")
    return render(request, "enrollment/register.html", {
        "registration_form": registration_form, "form": details_form,
        "practice": invitation.practice,
    })
