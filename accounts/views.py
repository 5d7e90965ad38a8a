from __future__ import annotations

import uuid

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import available_accesses, get_active_access, set_active_access
from accounts.http import AuthenticatedHttpRequest
from accounts.idle_timeout import activity_record
from accounts.sessions import sessions_end_all
from portal.audit import audit_record
from portal.models import AuditAction


@login_required
@require_http_methods(["GET", "POST"])
def switch_patient(request: HttpRequest) -> HttpResponse:
    """SPEC P3: choose whose record to open among the patients the user may act for."""
    accesses = available_accesses(request)
    if not accesses:
        raise Http404
    if request.method == "POST":
        try:
            code = uuid.UUID(request.POST.get("access", ""))
        except ValueError:
            raise Http404 from None
        access = set_active_access(request, code)
        audit_record(action=AuditAction.PATIENT_SWITCHED, request=request, patient=access.patient)
        return redirect("home")
    return render(
        request,
        "accounts/switch_patient.html",
        {"accesses": accesses, "active": get_active_access(request)},
    )


@login_required
@require_POST
@reauthentication_required
def sign_out_other_devices(request: AuthenticatedHttpRequest) -> HttpResponse:
    """SPEC A5: end every other session of this account; this one stays signed in. Behind
    reauthentication like every change to the account: a borrowed session must not be able to
    sign the owner out of their own devices."""
    sessions_end_all(user=request.user, keep=request)
    audit_record(action=AuditAction.SIGNED_OUT_EVERYWHERE, request=request)
    messages.success(request, gettext("You have been signed out on every other device."))
    return redirect("home")


@require_POST
def session_keepalive(request: HttpRequest) -> HttpResponse:
    """SPEC A5: "Stay signed in" in the time-out warning. A signed-out browser gets 401, not the
    sign-in page: the script, not fetch(), takes the person there."""
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    activity_record(request)
    return HttpResponse(status=204)
