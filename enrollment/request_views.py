"""Without an invitation: Request portal access (SPEC E3) and Create a new account, step 1
(SPEC E6). The pages never say whether a chart matched."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.rate_limits import rate_limit_consume
from enrollment.access_requests import enrollment_request_create
from enrollment.forms import PatientInformationForm
from enrollment.progress import TOO_MANY, state_start
from enrollment.selectors import enrollment_request_pending
from portal.models import Practice

# The practice a request just went to, for the "request sent" page (its phone number).
REQUEST_SENT_PRACTICE = "enrollment_request_sent_to"


@require_http_methods(["GET", "POST"])
def request_access(request: HttpRequest) -> HttpResponse:
    """Ask the practice for access (SPEC E3)."""
    form = PatientInformationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if not rate_limit_consume(request, action="enroll_request"):
            form.add_error(None, TOO_MANY)
        else:
            enrollment_request_create(info=form.info(), request=request)
            request.session[REQUEST_SENT_PRACTICE] = form.cleaned_data["practice"].pk
            return redirect("enrollment:request_sent")
    return render(request, "enrollment/request_access.html", {"form": form})


@require_http_methods(["GET"])
def request_sent(request: HttpRequest) -> HttpResponse:
    """What happens next, and whom to call: after "Request access", or after "Create a new
    account" when the practice must first match the account to a record (SPEC E3, E6)."""
    pending = (enrollment_request_pending(user=request.user)
               if request.user.is_authenticated else None)
    sent_to = request.session.get(REQUEST_SENT_PRACTICE)
    practice = pending.practice if pending is not None else (
        Practice.objects.filter(pk=sent_to).first() if isinstance(sent_to, int) else None)
    return render(request, "enrollment/request_sent.html", {"practice": practice})


@require_http_methods(["GET", "POST"])
def new_account(request: HttpRequest) -> HttpResponse:
    """Create a new account, step 1: Patient Information (SPEC E6)."""
    form = PatientInformationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if not rate_limit_consume(request, action="enroll_request"):
            form.add_error(None, TOO_MANY)
        else:
            state_start(request, {"new_account": form.info().as_session()})
            return redirect("enrollment:security_details")
    return render(request, "enrollment/new_account.html", {"form": form})
