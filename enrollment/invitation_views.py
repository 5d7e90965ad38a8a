"""Getting in with what staff handed out: the "Sign Up" link of an invitation email or text,
then ZIP code and date of birth (SPEC E4, E5), or an enrollment token (SPEC E1)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.models import Relationship
from accounts.rate_limits import rate_limit_consume
from enrollment import services
from enrollment.forms import IdentityForm, TokenForm
from enrollment.models import InvitationKind
from enrollment.progress import (
    NO_MATCH,
    TOO_MANY,
    current_invitation,
    locked,
    start_enrollment,
    state_save,
    unavailable,
)


@require_http_methods(["GET"])
def sign_up(request: HttpRequest, key: str) -> HttpResponse:
    """The "Sign Up" link of an invitation email or text (SPEC E4, E5)."""
    invitation = services.invitation_by_link_key(key)
    if invitation is None or not invitation.is_usable:
        return unavailable(request)
    if invitation.kind == InvitationKind.SELF_REGISTRATION:
        start_enrollment(request, invitation, identified=True)  # no chart to check against yet
        return redirect("enrollment:register")
    start_enrollment(request, invitation, identified=False)
    # Move on at once, so the key does not linger in the address bar or the Referer header.
    return redirect("enrollment:identify")


@require_http_methods(["GET", "POST"])
def identify(request: HttpRequest) -> HttpResponse:
    invitation = current_invitation(request)
    if invitation is None or invitation.patient is None:
        return unavailable(request)
    form = IdentityForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if not rate_limit_consume(request, action="enroll_identity"):
            form.add_error(None, TOO_MANY)
        elif services.identity_check(invitation=invitation, request=request, **form.cleaned_data):
            state_save(request, identified=True)
            if invitation.relationship != Relationship.SELF:
                return redirect("enrollment:welcome")  # a proxy may already have an account
            return redirect("enrollment:security_details")
        else:
            invitation.refresh_from_db()
            if invitation.locked_at:
                return locked(request, invitation)
            form.add_error(None, NO_MATCH)
    return render(request, "enrollment/identify.html", {"form": form, "invitation": invitation})


@require_http_methods(["GET", "POST"])
def enroll_with_token(request: HttpRequest) -> HttpResponse:
    """Enroll with a token (SPEC E1): the token, then date of birth and ZIP code."""
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if not rate_limit_consume(request, action="enroll_token"):
            form.add_error(None, TOO_MANY)
            return render(request, "enrollment/token.html", {"form": form})
        invitation = services.invitation_by_token(form.cleaned_data["token"])
        if invitation is None or not invitation.is_usable:
            return unavailable(request)
        if services.identity_check(invitation=invitation, request=request,
                                   zip_code=form.cleaned_data["zip_code"],
                                   date_of_birth=form.cleaned_data["date_of_birth"]):
            start_enrollment(request, invitation, identified=True)
            return redirect("enrollment:security_details")
        invitation.refresh_from_db()
        if invitation.locked_at:
            return locked(request, invitation)
        form.add_error(None, NO_MATCH)
    return render(request, "enrollment/token.html", {"form": form})
