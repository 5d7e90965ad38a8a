"""The patient's side of enrollment (SPEC E1 to E6): Sign Up links, tokens, temporary passwords,
self-registration, requests and "Create a new account", all ending in Create Security Details
and Verify Multi-Factor Authentication.

Where the person is lives in the server-side session under one key. Every step re-reads the
invitation and shows the same calm page when it can no longer be used.
"""

from __future__ import annotations

from typing import Any

from allauth.account.utils import perform_login
from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.access import SESSION_KEY as ACTIVE_ACCESS_KEY
from accounts.account_forms import CodeForm
from accounts.devices import OneTimeCodeDevice
from accounts.models import Relationship, User
from accounts.services import code_send, pending_account_save
from enrollment import services
from enrollment.access_requests import (
    PatientInformation,
    enrollment_request_create,
    new_account_complete,
)
from enrollment.forms import (
    ExistingAccountForm,
    IdentityForm,
    PatientInformationForm,
    RegistrationForm,
    SecurityDetailsForm,
    TokenForm,
)
from enrollment.models import Invitation, InvitationKind
from enrollment.self_registration import Registration, self_registration_complete
from portal.audit import audit_record
from portal.models import AuditAction, Practice

SESSION_KEY = "enrollment"
BACKEND = "django.contrib.auth.backends.ModelBackend"
TOO_MANY = "Too many attempts from this device. Please wait a while and try again."
NO_MATCH = "The ZIP code and date of birth don't match our records. Check them and try again."


def _state(request: HttpRequest) -> dict[str, Any]:
    return request.session.get(SESSION_KEY, {})


def _save_state(request: HttpRequest, **values: Any) -> None:
    request.session[SESSION_KEY] = {**_state(request), **values}


def start_enrollment(request: HttpRequest, invitation: Invitation, *, identified: bool) -> None:
    """Begin (or restart) an invitation's flow in this session."""
    request.session[SESSION_KEY] = {"invitation": invitation.pk, "identified": identified}


def _current_invitation(request: HttpRequest) -> Invitation | None:
    pk = _state(request).get("invitation")
    invitation = (
        Invitation.objects.select_related("practice", "patient", "pending_user")
        .filter(pk=pk).first() if pk else None
    )
    return invitation if invitation is not None and invitation.is_usable else None


def _new_account_user(request: HttpRequest) -> User | None:
    pk = _state(request).get("pending_user")
    return User.objects.filter(pk=pk, is_active=False).first() if pk else None


def unavailable(request: HttpRequest) -> HttpResponse:
    """One page for every link or token that cannot be used, whatever the reason."""
    request.session.pop(SESSION_KEY, None)
    return render(request, "enrollment/unavailable.html")


def _locked(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    request.session.pop(SESSION_KEY, None)
    return render(request, "enrollment/locked.html", {"practice": invitation.practice})


# Getting in: link, token --------------------------------------------------------------------


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
    invitation = _current_invitation(request)
    if invitation is None or invitation.patient is None:
        return unavailable(request)
    form = IdentityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.consume(request, action="enroll_identity"):
            form.add_error(None, TOO_MANY)
        elif services.identity_check(invitation=invitation, request=request, **form.cleaned_data):
            _save_state(request, identified=True)
            if invitation.relationship != Relationship.SELF:
                return redirect("enrollment:welcome")  # a proxy may already have an account
            return redirect("enrollment:security_details")
        else:
            invitation.refresh_from_db()
            if invitation.locked_at:
                return _locked(request, invitation)
            form.add_error(None, NO_MATCH)
    return render(request, "enrollment/identify.html", {"form": form, "invitation": invitation})


@require_http_methods(["GET", "POST"])
def enroll_with_token(request: HttpRequest) -> HttpResponse:
    """Enroll with a token (SPEC E1): the token, then date of birth and ZIP code."""
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.consume(request, action="enroll_token"):
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
            return _locked(request, invitation)
        form.add_error(None, NO_MATCH)
    return render(request, "enrollment/token.html", {"form": form})


@require_http_methods(["GET", "POST"])
def welcome(request: HttpRequest) -> HttpResponse:
    """Welcome (SPEC P1, P2): someone invited as a guardian or representative who already has
    an account signs in with it; anyone else goes on to Create Security Details."""
    invitation = _current_invitation(request)
    if (invitation is None or invitation.relationship == Relationship.SELF
            or not _state(request).get("identified")):
        return unavailable(request)
    form = ExistingAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"].strip().lower()
        # The same per-account limit as the sign-in page: failures here count there too.
        if not ratelimit.consume(request, action="login_failed", key=username, dry_run=True):
            form.add_error(None, TOO_MANY)
        else:
            user = authenticate(request, username=form.cleaned_data["username"],
                                password=form.cleaned_data["password"])
            if user is None:
                ratelimit.consume(request, action="login_failed", key=username)
                form.add_error(None, "The username or password is not right.")
            else:
                access = services.invitation_accept_existing(invitation=invitation, user=user,
                                                             request=request)
                request.session.pop(SESSION_KEY, None)
                request.session[ACTIVE_ACCESS_KEY] = access.pk
                # Signing in still takes the one-time code, then the patient's record opens.
                return perform_login(request, user, redirect_url=reverse("home"))
    return render(request, "enrollment/welcome.html", {"form": form, "invitation": invitation})


# Without an invitation: request access, create a new account ----------------------------------


@require_http_methods(["GET", "POST"])
def request_access(request: HttpRequest) -> HttpResponse:
    """Ask the practice for access (SPEC E3). The answer never says whether a chart matched."""
    form = PatientInformationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.consume(request, action="enroll_request"):
            form.add_error(None, TOO_MANY)
        else:
            enrollment_request_create(info=form.info(), request=request)
            return redirect("enrollment:request_sent")
    return render(request, "enrollment/request_access.html", {"form": form})


def request_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "enrollment/request_sent.html")


@require_http_methods(["GET", "POST"])
def new_account(request: HttpRequest) -> HttpResponse:
    """Create a new account, step 1: Patient Information (SPEC E6)."""
    form = PatientInformationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.consume(request, action="enroll_request"):
            form.add_error(None, TOO_MANY)
        else:
            request.session[SESSION_KEY] = {"new_account": form.info().as_session()}
            return redirect("enrollment:security_details")
    return render(request, "enrollment/new_account.html", {"form": form})


# Create Security Details, Verify ----------------------------------------------------------


@require_http_methods(["GET", "POST"])
def security_details(request: HttpRequest) -> HttpResponse:
    """Create Security Details (also "choose your own username and password", SPEC E2)."""
    state = _state(request)
    if "new_account" in state:
        return _new_account_security_details(request, state)
    invitation = _current_invitation(request)
    if invitation is None or invitation.patient is None or not state.get("identified"):
        return unavailable(request)
    form = SecurityDetailsForm(request.POST or None, pending_user=invitation.pending_user)
    if request.method == "POST" and form.is_valid():
        device = services.security_details_save(invitation=invitation, details=form.details(),
                                                request=request)
        _save_state(request, device=device.pk)
        return redirect("enrollment:verify")
    return render(request, "enrollment/security_details.html", {
        "form": form, "practice": invitation.practice,
        "temporary": invitation.kind == InvitationKind.TEMPORARY_PASSWORD,
    })


def _new_account_security_details(request: HttpRequest, state: dict) -> HttpResponse:
    info = PatientInformation.from_session(state["new_account"])
    pending = _new_account_user(request)
    initial = {"email": info.email, "mobile_phone": info.mobile_phone}
    form = SecurityDetailsForm(request.POST or None, initial=initial, pending_user=pending)
    if request.method == "POST" and form.is_valid():
        user, device = pending_account_save(user=pending, details=form.details(),
                                            first_name=info.first_name, last_name=info.last_name)
        audit_record(action=AuditAction.SECURITY_DETAILS_SET, request=request, actor=user)
        code_send(device=device, request=request)
        _save_state(request, pending_user=user.pk, device=device.pk)
        return redirect("enrollment:verify")
    return render(request, "enrollment/security_details.html", {
        "form": form, "practice": Practice.objects.get(pk=info.practice_id),
    })


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """Self-registration (SPEC E5): the registration form and the security details together."""
    invitation = _current_invitation(request)
    if invitation is None or invitation.kind != InvitationKind.SELF_REGISTRATION:
        return unavailable(request)
    initial = {"first_name": invitation.first_name, "last_name": invitation.last_name}
    registration_form = RegistrationForm(request.POST or None, initial=initial,
                                         prefix="patient")
    details_form = SecurityDetailsForm(
        request.POST or None, pending_user=invitation.pending_user,
        initial={"email": invitation.email, "mobile_phone": invitation.mobile_phone},
    )
    if request.method == "POST" and registration_form.is_valid() and details_form.is_valid():
        device = services.security_details_save(invitation=invitation,
                                                details=details_form.details(), request=request)
        _save_state(request, device=device.pk,
                    registration=registration_form.registration().as_session())
        return redirect("enrollment:verify")
    return render(request, "enrollment/register.html", {
        "registration_form": registration_form, "form": details_form,
        "practice": invitation.practice,
    })


def _pending_device(request: HttpRequest) -> OneTimeCodeDevice | None:
    state = _state(request)
    if "new_account" in state:
        user = _new_account_user(request)
    else:
        invitation = _current_invitation(request)
        user = invitation.pending_user if invitation is not None else None
    if user is None or not state.get("device"):
        return None
    return OneTimeCodeDevice.objects.filter(pk=state["device"], user=user).first()


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Verify Multi-Factor Authentication: the code, with a resend button."""
    device = _pending_device(request)
    if device is None:
        return unavailable(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and "resend" in request.POST:
        if code_send(device=device, request=request):
            messages.success(request, f"We sent a new code to {device.masked_destination}.")
        else:
            messages.info(request, "A code was sent moments ago. Please wait a few seconds "
                                   "before asking for another.")
        return redirect("enrollment:verify")
    if request.method == "POST" and form.is_valid():
        allowed, _ = device.verify_is_allowed()
        if not ratelimit.consume(request, action="enroll_code"):
            form.add_error("code", TOO_MANY)
        elif not allowed:
            form.add_error("code", "Too many wrong codes. Wait a minute, then try again or ask "
                                   "for a new code.")
        elif device.verify_token(form.cleaned_data["code"]):
            return _finish(request, device)
        else:
            audit_record(action=AuditAction.CODE_FAILED, request=request, actor=device.user)
            form.add_error("code", "That code is not right, or it has expired. Check it and try "
                                   "again, or ask for a new code.")
    return render(request, "enrollment/verify.html", {"form": form, "device": device})


def _finish(request: HttpRequest, device: OneTimeCodeDevice) -> HttpResponse:
    state = request.session.pop(SESSION_KEY)
    user = device.user
    if "new_account" in state:
        info = PatientInformation.from_session(state["new_account"])
        chart = new_account_complete(user=user, device=device, info=info, request=request)
        login(request, user, backend=BACKEND)
        if chart is None:
            return redirect("enrollment:request_sent")
    else:
        invitation = Invitation.objects.get(pk=state["invitation"])
        if invitation.kind == InvitationKind.SELF_REGISTRATION:
            self_registration_complete(
                invitation=invitation, device=device, request=request,
                registration=Registration.from_session(state["registration"]),
            )
        else:
            services.enrollment_complete(invitation=invitation, device=device, request=request)
        login(request, user, backend=BACKEND)
    messages.success(request, "Your portal account is active. Welcome!")
    return redirect("home")
