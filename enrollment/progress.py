"""Where a person is in enrollment, kept in the server-side session under one key, and the calm
pages every step falls back on (SPEC E1 to E6).

Every step re-reads the invitation from the database and shows the same calm page when it can
no longer be used.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from enrollment.models import Invitation

SESSION_KEY = "enrollment"
TOO_MANY = _("Too many attempts from this device. Please wait a while and try again.")
NO_MATCH = _("The ZIP code and date of birth don't match our records. Check them and try "
             "again.")


def state(request: HttpRequest) -> dict[str, Any]:
    return request.session.get(SESSION_KEY, {})


def state_save(request: HttpRequest, **values: Any) -> None:
    request.session[SESSION_KEY] = {**state(request), **values}


def state_start(request: HttpRequest, values: dict[str, Any]) -> None:
    """Begin a path without an invitation (Create a new account) in this session."""
    request.session[SESSION_KEY] = values


def state_end(request: HttpRequest) -> dict[str, Any]:
    return request.session.pop(SESSION_KEY, {})


def start_enrollment(request: HttpRequest, invitation: Invitation, *, identified: bool) -> None:
    """Begin (or restart) an invitation's flow in this session."""
    request.session[SESSION_KEY] = {"invitation": invitation.pk, "identified": identified}


def current_invitation(request: HttpRequest) -> Invitation | None:
    pk = state(request).get("invitation")
    invitation = (
        Invitation.objects.select_related("practice", "patient", "pending_user")
        .filter(pk=pk).first() if pk else None
    )
    return invitation if invitation is not None and invitation.is_usable else None


def new_account_user(request: HttpRequest) -> User | None:
    pk = state(request).get("pending_user")
    return User.objects.filter(pk=pk, is_active=False).first() if pk else None


def unavailable(request: HttpRequest) -> HttpResponse:
    """One page for every link or token that cannot be used, whatever the reason."""
    state_end(request)
    return render(request, "enrollment/unavailable.html")


def locked(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    state_end(request)
    return render(request, "enrollment/locked.html", {"practice": invitation.practice})
