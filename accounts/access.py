"""The one door to a patient's data (DESIGN invariant 1).

A patient-facing view never takes a patient id from the URL or a form. It declares the right it
needs with ``@patient_required(Right.X)``; the door resolves the session's *active* portal access
from the signed-in user's accesses that are in force right now, and hands the view
``request.patient``. Anyone without such an access gets a 404; a known proxy whose access lacks
the area's right gets a 403 page that says so. Objects are then fetched with
``patient_object_or_404``, which filters by that patient.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from accounts.models import PortalAccess, Relationship, Right
from accounts.proxy_rules import access_in_force, effective_rights, is_own_adult_record
from portal.audit import audit_record
from portal.models import AuditAction

if TYPE_CHECKING:
    from portal.models import PatientChart

SESSION_KEY = "portal_active_access"
_CACHE_ATTR = "_portal_active_access"

M = TypeVar("M", bound=models.Model)


def accesses_for_user(user: Any) -> list[PortalAccess]:
    """The portal accesses in force for ``user``, their own record first."""
    if not user.is_authenticated or not user.is_active:
        return []
    accesses = (
        PortalAccess.objects.current()
        .filter(user=user)
        .select_related("patient__practice")
        .order_by("patient__last_name", "patient__first_name", "pk")
    )
    in_force = [a for a in accesses if access_in_force(a)]
    return sorted(in_force, key=lambda a: a.relationship != Relationship.SELF)


def get_active_access(request: HttpRequest) -> PortalAccess | None:
    """The access the session is acting through, resolved once per request."""
    if hasattr(request, _CACHE_ATTR):
        return getattr(request, _CACHE_ATTR)
    accesses = accesses_for_user(request.user)
    wanted = request.session.get(SESSION_KEY)
    active = next((a for a in accesses if a.pk == wanted), None)
    if active is None and accesses:
        active = accesses[0]
    if active is not None and wanted != active.pk:
        request.session[SESSION_KEY] = active.pk
    elif active is None and wanted is not None:
        del request.session[SESSION_KEY]
    setattr(request, _CACHE_ATTR, active)
    request._portal_accesses = accesses
    return active


def available_accesses(request: HttpRequest) -> list[PortalAccess]:
    get_active_access(request)
    return getattr(request, "_portal_accesses", [])


def set_active_access(request: HttpRequest, access_id: int) -> PortalAccess:
    """Switch the session to another of the user's accesses; 404 if it is not one of them."""
    access = next((a for a in available_accesses(request) if a.pk == access_id), None)
    if access is None:
        raise Http404
    request.session[SESSION_KEY] = access.pk
    setattr(request, _CACHE_ATTR, access)
    return access


def active_access_set(request: HttpRequest, access: PortalAccess) -> None:
    """Open ``access`` first in this session, for someone about to sign in with it (an invitee
    who took their invitation with an existing account): they have no accesses to choose from
    yet. The door still checks it on every request, as it does any choice."""
    request.session[SESSION_KEY] = access.pk
    if hasattr(request, _CACHE_ATTR):  # resolved before they had it
        delattr(request, _CACHE_ATTR)


def access_allows(access: PortalAccess, right: Right | None) -> bool:
    """Whether ``access`` opens the area ``right`` (None: the patient's home page)."""
    return right is None or Right(right) in effective_rights(access)


def patient_required(
    right: Right | None = None,
    *,
    own_record: bool = False,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Require an active portal access granting ``right``; sets request.patient and
    request.portal_access. ``own_record``: only an adult patient on their own record (choosing
    their representatives, say) gets in; everyone else gets a 404."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        @login_required
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            access = get_active_access(request)
            if access is None or (own_record and not is_own_adult_record(access)):
                raise Http404
            if not access_allows(access, right):
                audit_record(
                    action=AuditAction.ACCESS_DENIED,
                    request=request,
                    patient=access.patient,
                    extra={"area": Right(right).value},
                )
                return render(
                    request,
                    "portal/no_right.html",
                    {"area": Right(right).label, "access": access},
                    status=403,
                )
            request.portal_access = access  # type: ignore[attr-defined]
            request.patient = access.patient  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        wrapped.portal_right = right  # type: ignore[attr-defined]
        wrapped.portal_own_record = own_record  # type: ignore[attr-defined]
        return wrapped

    return decorator


def patient_object_or_404(
    request: HttpRequest, queryset: type[M] | models.QuerySet[M], **lookup: Any
) -> M:
    """Fetch an object belonging to the active patient; anybody else's is a 404."""
    patient: PatientChart = request.patient  # type: ignore[attr-defined]
    return get_object_or_404(queryset, patient=patient, **lookup)
