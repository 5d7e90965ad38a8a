"""Welcome (SPEC P1, P2): someone invited as a guardian or representative who already has an
account signs in with it and takes the invitation; anyone else goes on to Create Security
Details."""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from allauth.account.utils import perform_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.access import active_access_set
from accounts.models import Relationship
from enrollment import services
from enrollment.forms import ExistingAccountForm
from enrollment.progress import current_invitation, state, state_end, unavailable


@require_http_methods(["GET", "POST"])
def welcome(request: HttpRequest) -> HttpResponse:
    invitation = current_invitation(request)
    if (invitation is None or invitation.relationship == Relationship.SELF
            or not state(request).get("identified")):
        return unavailable(request)
    form = ExistingAccountForm(request.POST or None)
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
                form.add_error(None, "The username or password is not right.")
            else:
                access = services.invitation_accept_existing(invitation=invitation, user=user,
                                                             request=request)
                state_end(request)
                active_access_set(request, access)
                # Signing in still takes the one-time code, then the patient's record opens.
                return perform_login(request, user, redirect_url=reverse("home"))
    return render(request, "enrollment/welcome.html", {"form": form, "invitation": invitation})
