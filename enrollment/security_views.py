"""Create Security Details and Verify Multi-Factor Authentication, where every enrollment path
ends (SPEC E1 to E6): the account is made inactive, the first code proves its email or mobile,
and the account opens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.account_forms import CodeForm
from accounts.code_check import CodePurpose, code_check, code_resend
from accounts.devices import OneTimeCodeDevice
from accounts.models import Relationship, User
from accounts.services import CodeSent
from enrollment import services
from enrollment.access_requests import (
    PatientInformation,
    new_account_complete,
    new_account_security_details_save,
)
from enrollment.forms import SecurityDetailsForm, contacts_initial
from enrollment.models import Invitation, InvitationKind
from enrollment.progress import (
    current_invitation,
    new_account_user,
    state,
    state_end,
    state_save,
    unavailable,
)
from enrollment.self_registration import Registration, self_registration_complete
from portal.models import Practice

BACKEND = "django.contrib.auth.backends.ModelBackend"


@never_cache  # what was typed, passwords included, is shown again after an error
@require_http_methods(["GET", "POST"])
def security_details(request: HttpRequest) -> HttpResponse:
    """Create Security Details (also "choose your own username and password", SPEC E2)."""
    if "new_account" in state(request):
        return _new_account_security_details(request)
    invitation = current_invitation(request)
    if invitation is None or invitation.patient is None or not state(request).get("identified"):
        return unavailable(request)
    form = SecurityDetailsForm(request.POST if request.method == "POST" else None,
                               pending_user=invitation.pending_user,
                               initial=security_details_initial(invitation))
    if request.method == "POST" and form.is_valid() and form.username_available(request):
        device, sent = services.security_details_save(invitation=invitation,
                                                      details=form.details(), request=request)
        state_save(request, device=device.pk)
        return _to_verify(request, sent)
    return render(request, "enrollment/security_details.html", {
        "form": form, "practice": invitation.practice,
        "temporary": invitation.kind == InvitationKind.TEMPORARY_PASSWORD,
    })


def security_details_initial(invitation: Invitation) -> dict[str, object]:
    """What the practice knows about the invitee, filled in: the address and number the
    invitation went to, else, for the patient themself, those on their chart; and what they
    typed already if they come back to the page."""
    email, mobile = invitation.email, invitation.mobile_phone
    chart = invitation.patient
    if invitation.relationship == Relationship.SELF and chart is not None:
        # Never a patient's contacts for a proxy: those are the patient's, not the invitee's.
        email, mobile = email or chart.notification_email, mobile or chart.mobile_phone
    return _with_pending(contacts_initial(email=email, mobile_phone=mobile),
                         invitation.pending_user)


def _with_pending(initial: dict[str, object], pending: User | None) -> dict[str, object]:
    """Coming back to the page: the username and email typed the first time."""
    if pending is None:
        return initial
    return {**initial, "username": pending.username, "email": pending.email or initial["email"]}


def _new_account_security_details(request: HttpRequest) -> HttpResponse:
    """Create a new account, step 2 (SPEC E6)."""
    info = PatientInformation.from_session(state(request)["new_account"])
    pending = new_account_user(request)
    initial = _with_pending(contacts_initial(email=info.email, mobile_phone=info.mobile_phone),
                            pending)
    form = SecurityDetailsForm(request.POST if request.method == "POST" else None,
                               initial=initial, pending_user=pending)
    if request.method == "POST" and form.is_valid() and form.username_available(request):
        device, sent = new_account_security_details_save(
            info=info, pending_user=pending, details=form.details(), request=request)
        state_save(request, pending_user=device.user_id, device=device.pk)
        return _to_verify(request, sent)
    return render(request, "enrollment/security_details.html", {
        "form": form, "practice": Practice.objects.get(pk=info.practice_id),
    })


def _to_verify(request: HttpRequest, sent: CodeSent) -> HttpResponse:
    """On to the code page, saying why no code went out if none did (sent again too soon, or
    too many asked for)."""
    if sent.refusal:
        messages.warning(request, sent.refusal)
    return redirect("enrollment:verify")


def _pending_device(request: HttpRequest) -> OneTimeCodeDevice | None:
    if "new_account" in state(request):
        user = new_account_user(request)
    else:
        invitation = current_invitation(request)
        user = invitation.pending_user if invitation is not None else None
    if user is None or not state(request).get("device"):
        return None
    return OneTimeCodeDevice.objects.filter(pk=state(request)["device"], user=user).first()


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Verify Multi-Factor Authentication: the code, with a resend button."""
    device = _pending_device(request)
    if device is None:
        return unavailable(request)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and "resend" in request.POST:
        code_resend(request=request, device=device)
        return redirect("enrollment:verify")
    if request.method == "POST" and form.is_valid() and code_check(
        request=request, device=device, user=device.user, form=form,
        purpose=CodePurpose.ENROLLMENT,
    ):
        return _finish(request, device)
    return render(request, "enrollment/verify.html", {"form": form, "device": device})


def _finish(request: HttpRequest, device: OneTimeCodeDevice) -> HttpResponse:
    progress = state_end(request)
    user = device.user
    if "new_account" in progress:
        info = PatientInformation.from_session(progress["new_account"])
        chart = new_account_complete(user=user, device=device, info=info, request=request)
        login(request, user, backend=BACKEND)
        if chart is None:
            return redirect("enrollment:request_sent")
    else:
        invitation = Invitation.objects.get(pk=progress["invitation"])
        if invitation.kind == InvitationKind.SELF_REGISTRATION:
            self_registration_complete(
                invitation=invitation, device=device, request=request,
                registration=Registration.from_session(progress["registration"]),
            )
        else:
            services.enrollment_complete(invitation=invitation, device=device, request=request)
        login(request, user, backend=BACKEND)
    messages.success(request, _("Your portal account is active. Welcome!"))
    return redirect("home")
