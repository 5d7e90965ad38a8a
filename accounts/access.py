"""The one door to a patient's data (DESIGN invariant 1).

A patient-facing view never takes a patient id from the URL or a form. It declares the right it
needs with ``@patient_required(Right.X)``; the door resolves the session's *active* portal access
from the signed-in user's accesses that are in force right now, and hands the view
``request.patient``. Anyone without such an access gets a 404; a known proxy whose access lacks
the area's right gets a 403 page that says so. Objects are then fetched with
``patient_object_or_404`` and lists with ``patient_objects``: both go through the model's
``for_patient(patient, access)``, which filters by that patient and applies the proxy rules.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar, cast, overload

from django.contrib.auth.decorators import login_required
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from accounts.http import PatientHttpRequest, page_name
from accounts.models import PortalAccess, Relationship, Right
from accounts.proxy_rules import access_in_force, is_own_adult_record
from portal.audit import audit_record
from portal.models import AuditAction

if TYPE_CHECKING:
    pass

SESSION_KEY = "portal_active_access"
_CACHE_ATTR = "_portal_active_access"
_ACCESSES_ATTR = "_portal_accesses"

M = TypeVar("M", bound=models.Model)
QS = TypeVar("QS", bound=models.QuerySet[Any])


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
        cached: PortalAccess | None = getattr(request, _CACHE_ATTR)
        return cached
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
    setattr(request, _ACCESSES_ATTR, accesses)
    return active


def available_accesses(request: HttpRequest) -> list[PortalAccess]:
    get_active_access(request)
    return getattr(request, _ACCESSES_ATTR, [])


def set_active_access(request: HttpRequest, code: uuid.UUID) -> PortalAccess:
    """Switch the session to the user's access with ``code``; 404 if it is not one of theirs.
    (The session itself keeps the access's key: it never leaves the server.)"""
    access = next((a for a in available_accesses(request) if a.code == code), None)
    if access is None:
        raise door_not_found(request, "switch", access=get_active_access(request))
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
    return access.opens(right)


def view_lets_in(access: PortalAccess | None, view: Callable[..., Any]) -> bool:
    """Whether ``view`` would let a person acting through ``access`` in, by what it declares
    with ``patient_required`` (the navigation shows only such sections). A page that is not a
    patient page: always. The same two questions ``patient_required`` asks, without its answers
    (the 404, the "no right" page)."""
    if not hasattr(view, "portal_right"):
        return True
    if access is None:
        return False
    if getattr(view, "portal_own_record", False) and not is_own_adult_record(access):
        return False
    return access_allows(access, view.portal_right)


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
            if access is None:
                raise door_not_found(request, "no_access")
            if own_record and not is_own_adult_record(access):
                raise door_not_found(request, "not_own_record", access=access)
            if right is not None and not access_allows(access, right):
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
            patient_request = cast(PatientHttpRequest, request)
            patient_request.portal_access = access
            patient_request.patient = access.patient
            return view(patient_request, *args, **kwargs)

        wrapped.portal_right = right  # type: ignore[attr-defined]
        wrapped.portal_own_record = own_record  # type: ignore[attr-defined]
        return wrapped

    return decorator


@overload
def patient_objects(request: PatientHttpRequest, queryset: type[M]) -> models.QuerySet[M]: ...


@overload
def patient_objects(request: PatientHttpRequest, queryset: QS) -> QS: ...


def patient_objects(
    request: PatientHttpRequest, queryset: type[models.Model] | models.QuerySet[Any]
) -> models.QuerySet[Any]:
    """``queryset`` narrowed to the active patient's records that the session's access may see
    (the model's ``for_patient``). Every list on a patient page starts here. A model that is not
    patient-owned is a programming error, not an empty list: TypeError."""
    if isinstance(queryset, type):
        queryset = queryset._default_manager.all()
    for_patient = getattr(queryset, "for_patient", None)
    if for_patient is None:
        raise TypeError(
            f"{queryset.model.__name__} has no for_patient(patient, access): a patient page may "
            "only reach patient-owned models (portal.models.patient_owned)."
        )
    result: models.QuerySet[Any] = for_patient(request.patient, request.portal_access)
    return result


def patient_object_or_404(
    request: PatientHttpRequest, queryset: type[M] | models.QuerySet[M], **lookup: Any
) -> M:
    """Fetch an object of the active patient that the session's access may see; anybody else's
    is a 404 (audited)."""
    objects = patient_objects(request, queryset)
    try:
        return get_object_or_404(objects, **lookup)
    except Http404:
        raise door_not_found(request, "object", access=request.portal_access,
                             model=objects.model) from None


def door_not_found(
    request: HttpRequest,
    reason: str,
    *,
    access: PortalAccess | None = None,
    model: type[models.Model] | None = None,
) -> Http404:
    """Audit a 404 of the door — a signed-in person with no access in force ("no_access"), not
    on their own adult record ("not_own_record"), asking for an object that is not the open
    patient's ("object") or to open someone else's record ("switch") — and return the 404 to
    raise. The event carries no patient: what was asked for was not theirs, and it stays out
    of the open patient's activity log."""
    extra = {"where": "door", "reason": reason}
    if model is not None:
        extra["model"] = model._meta.label_lower
    if page := page_name(request):
        extra["page"] = page
    audit_record(action=AuditAction.ACCESS_NOT_FOUND, request=request,
                 practice=access.patient.practice if access is not None else None, extra=extra)
    return Http404()
