"""Welcome (SPEC P1, P2): someone invited as a guardian or representative chooses, with equal
weight, between "I'm new here — create my account" (on to Create Security Details) and "I
already have an account — sign in" (they sign in with it and take the invitation)."""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from allauth.account.utils import perform_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.access import active_access_set
from accounts.models import Relationship
from enrollment import services
from enrollment.forms import ExistingAccountForm
from enrollment.models import Invitation
from enrollment.progress import current_invitation, state, state_end, unavailable

# /enroll/welcome/?account=existing: the second choice, the sign-in form.
EXISTING_ACCOUNT = "existing"


@require_http_methods(["GET", "POST"])
def welcome(request: HttpRequest) -> HttpResponse:
    invitation = current_invitation(request)
    if (invitation is None or invitation.relationship == Relationship.SELF
            or not state(request).get("identified")):
        return unavailable(request)
    signing_in = request.method == "POST" or request.GET.get("account") == EXISTING_ACCOUNT
    form = ExistingAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            # The sign-in page's own check (allauth's adapter): the same limits per account
            # and per address, counted before the password is, so failures here count there.
            user = get_adapter(request).authenticate(
                request, username=form.cleaned_data["username"],
                password=form.cleaned_data["password"])
        except ValidationError as too_many:
            form.add_error(None, too_many)
        else:
            # allauth hands back an inactive account whose password is right (to say so on its
            # own page); an unenrolled or unfinished account takes no invitation here.
            if user is None or not user.is_active:
                form.add_error(None, _("The username or password is not right."))
            else:
                access = services.invitation_accept_existing(invitation=invitation, user=user,
                                                             request=request)
                state_end(request)
                active_access_set(request, access)
                # Signing in still takes the one-time code, then the patient's record opens.
                return perform_login(request, user, redirect_url=reverse("home"))
    return render(request, "enrollment/welcome.html", {
        "form": form, "invitation": invitation, "signing_in": signing_in,
        "patient_name": _patient_name(invitation),
    })


def _patient_name(invitation: Invitation) -> str:
    """The patient as the invitation email named them: first name and last initial."""
    patient = invitation.patient
    if patient is None:
        return ""
    return services.short_name(patient.preferred_name or patient.first_name, patient.last_name)
