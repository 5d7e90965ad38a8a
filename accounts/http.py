"""Typed requests, so that views need no ``# type: ignore`` to use what the door sets.

A view behind ``login_required`` takes an ``AuthenticatedHttpRequest`` (``request.user`` is a
User, never AnonymousUser); one behind ``patient_required`` a ``PatientHttpRequest``, which adds
the open patient and the access it is open through. These are annotations only: Django passes
its ordinary HttpRequest, which the decorators have already checked and filled in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

if TYPE_CHECKING:
    from accounts.models import PortalAccess, User
    from portal.models import PatientChart


class AuthenticatedHttpRequest(HttpRequest):
    user: User


class PatientHttpRequest(AuthenticatedHttpRequest):
    patient: PatientChart
    portal_access: PortalAccess


def signed_in_user(request: HttpRequest) -> User:
    """``request.user`` where a sign-in check has already run (``login_required``, the staff
    console's door) but the view's signature must stay Django's own (a ModelAdmin's methods)."""
    if not request.user.is_authenticated:
        raise PermissionDenied
    return request.user


def page_name(request: HttpRequest) -> str | None:
    """The URL name of the page the request reached ("recovery:forgot_username"), for audit
    events that must not store the address itself (it can carry a key or a typed value)."""
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None else None
