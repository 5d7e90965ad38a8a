"""Typed requests, so that views need no ``# type: ignore`` to use what the door sets.

A view behind ``login_required`` takes an ``AuthenticatedHttpRequest`` (``request.user`` is a
User, never AnonymousUser); one behind ``patient_required`` a ``PatientHttpRequest``, which adds
the open patient and the access it is open through. These are annotations only: Django passes
its ordinary HttpRequest, which the decorators have already checked and filled in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from accounts.models import PortalAccess, User
    from portal.models import PatientChart


class AuthenticatedHttpRequest(HttpRequest):
    user: User


class PatientHttpRequest(AuthenticatedHttpRequest):
    patient: PatientChart
    portal_access: PortalAccess
