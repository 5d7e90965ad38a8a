"""The patient's side of enrollment: Sign Up link, token, identity check, Create Security
Details and Verify Multi-Factor Authentication (SPEC E1, E2, E4).

Where the person is in the flow lives in the server-side session under one key; every step
re-reads the invitation and shows the same calm page when it can no longer be used.
"""

from __future__ import annotations

from typing import Any

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.devices import OneTimeCodeDevice
from enrollment import services
from enrollment.forms import IdentityForm, SecurityDetailsForm, TokenForm, VerifyCodeForm
from enrollment.models import Invitation
from portal.audit import audit_record
from portal.models import AuditAction

SESSION_KEY = "enrollment"
BACKEND = "django.contrib.auth.backends.ModelBackend"


def _state(request: HttpRequest) -> dict[str, Any]:
    return request.session.get(SESSION_KEY, {})


def _save_state(request: HttpRequest, **values: Any) -> None:
    request.session[SESSION_KEY] = {**_state(request), **values}


def start_enrollment(request: HttpRequest, invitation: Invitation, *, identified: bool) -> None:
    """Begin (or restart) the flow for ``invitation`` in this session."""
    request.session[SESSION_KEY] = {"invitation": invitation.pk, "identified": identified}


def _current_invitation(request: HttpRequest) -> Invitation | None:
    pk = _state(request).get("invitation")
    invitation = (
        Invitation.objects.select_related("patient__practice", "pending_user")
        .filter(pk=pk).first() if pk else None
    )
    return invitation if invitation is not None and invitation.is_usable else None


def unavailable(request: HttpRequest) -> HttpResponse:
    """One page for every link or token that cannot be used, whatever the reason."""
    request.session.pop(SESSION_KEY, None)
    return render(request, "enrollment/unavailable.html", status=200)


def _locked(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    request.session.pop(SESSION_KEY, None)
    return render(request, "enrollment/locked.html", {"practice": invitation.practice})


@require_http_methods(["GET"])
def sign_up(request: HttpRequest, key: str) -> HttpResponse:
    """The "Sign Up" link of an invitation email or text (SPEC E4)."""
    invitation = services.invitation_by_link_key(key)
    if invitation is None or not invitation.is_usable:
        return unavailable(request)
    start_enrollment(request, invitation, identified=False)
    # Move on at once, so the key does not linger in the address bar or the Referer header.
    return redirect("enrollment:identify")


@require_http_methods(["GET", "POST"])
def identify(request: HttpRequest) -> HttpResponse:
    invitation = _current_invitation(request)
    if invitation is None:
        return unavailable(request)
    form = IdentityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.consume(request, action="enroll_identity"):
            form.add_error(None, "Too many attempts from this device. Please wait a while and "
                                 "try again.")
        elif services.identity_check(invitation=invitation, request=request, **form.cleaned_data):
            _save_state(request, identified=True)
            return redirect("enrollment:security_details")
        else:
            invitation.refresh_from_db()
            if invitation.locked_at:
                return _locked(request, invitation)
            form.add_error(None, "The ZIP code and date of birth don't match our records. Check "
                                 "them and try again.")
    return render(request, "enrollment/identify.html", {"form": form, "invitation": invitation})


@require_http_methods(["GET", "POST"])
def enroll_with_token(request: HttpRequest) -> HttpResponse:
    """Enroll with a token (SPEC E1): the token, then date of birth and ZIP code."""
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.consume(request, action="enroll_token"):
            form.add_error(None, "Too many attempts from this device. Please wait a while and "
                                 "try again.")
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
            return _locked(request, invitation)
        form.add_error(None, "The ZIP code and date of birth don't match our records. Check "
                             "them and try again.")
    return render(request, "enrollment/token.html", {"form": form})


@require_http_methods(["GET", "POST"])
def security_details(request: HttpRequest) -> HttpResponse:
    """Create Security Details (also "choose your own username and password", SPEC E2)."""
    invitation = _current_invitation(request)
    if invitation is None or not _state(request).get("identified"):
        return unavailable(request)
    form = SecurityDetailsForm(request.POST or None, pending_user=invitation.pending_user)
    if request.method == "POST" and form.is_valid():
        device = services.security_details_save(invitation=invitation, details=form.details(),
                                                request=request)
        _save_state(request, device=device.pk)
        return redirect("enrollment:verify")
    return render(request, "enrollment/security_details.html", {
        "form": form,
        "invitation": invitation,
        "temporary": invitation.kind == "temporary",
    })


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Verify Multi-Factor Authentication: the code, with a resend button."""
    invitation = _current_invitation(request)
    device_id = _state(request).get("device")
    device = (OneTimeCodeDevice.objects.filter(pk=device_id, user=invitation.pending_user).first()
              if invitation is not None and invitation.pending_user and device_id else None)
    if invitation is None or device is None:
        return unavailable(request)
    form = VerifyCodeForm()
    if request.method == "POST" and "resend" in request.POST:
        if services.code_send(device=device, request=request):
            messages.success(request, f"We sent a new code to {device.masked_destination}.")
        else:
            messages.info(request, "A code was sent moments ago. Please wait a few seconds "
                                   "before asking for another.")
        return redirect("enrollment:verify")
    if request.method == "POST":
        form = VerifyCodeForm(request.POST)
        if form.is_valid():
            allowed, _ = device.verify_is_allowed()
            if not allowed:
                form.add_error("code", "Too many wrong codes. Wait a minute, then try again or "
                                       "ask for a new code.")
            elif device.verify_token(form.cleaned_data["code"]):
                user = services.enrollment_complete(invitation=invitation, device=device,
                                                    request=request)
                request.session.pop(SESSION_KEY, None)
                login(request, user, backend=BACKEND)
                messages.success(request, "Your portal account is active. Welcome!")
                return redirect("home")
            else:
                audit_record(action=AuditAction.CODE_FAILED, request=request, actor=device.user)
                form.add_error("code", "That code is not right, or it has expired. Check it and "
                                       "try again, or ask for a new code.")
    return render(request, "enrollment/verify.html", {"form": form, "device": device})
