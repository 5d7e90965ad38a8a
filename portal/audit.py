"""Writing the audit trail (DESIGN invariant 5). Every security event and every view or change
of health data calls ``audit_record``; nothing else writes AuditEvent rows (but a data migration,
which cannot call it: accounts 0003 records the usernames it had to change)."""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.http.request import split_domain_port

from portal.models import AuditAction, AuditEvent

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.http import HttpRequest

    from portal.models import PatientChart, Practice


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address: the audit trail's, and (through the account adapter) the one
    allauth's rate limits count per address. USE_X_FORWARDED_FOR decides for both."""
    if request is None:
        return None
    if settings.USE_X_FORWARDED_FOR:
        # The proxy in front of us appends the address it saw; earlier entries are the client's
        # own claims and cannot be trusted. Anything that is no address (the header did not
        # come from the proxy) leaves the peer's.
        forwarded = _address(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1])
        if forwarded:
            return forwarded
    return _address(request.META.get("REMOTE_ADDR") or "")


def _address(value: str) -> str | None:
    """``value`` as an IP address (a port after it dropped), or None: as allauth reads one."""
    value = value.strip()
    host, port = split_domain_port(value)
    if host and port:
        value = host.removeprefix("[").removesuffix("]")
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def audit_record(
    *,
    action: AuditAction,
    request: HttpRequest | None = None,
    actor: AbstractBaseUser | None = None,
    subject_user: AbstractBaseUser | None = None,
    patient: PatientChart | None = None,
    practice: Practice | None = None,
    obj: models.Model | None = None,
    extra: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """``ip_address``: where the request came from, for work done after it (a Celery task
    handed ``client_ip(request)``); with a ``request``, its own address is used."""
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    practice_id: int | None = practice.pk if practice is not None else None
    if practice is None and patient is not None:
        practice_id = patient.practice_id
    # By id: the kernel knows users only as AUTH_USER_MODEL, not the accounts app's class.
    return AuditEvent.objects.create(
        action=action,
        actor_id=actor.pk if actor is not None else None,
        subject_user_id=subject_user.pk if subject_user is not None else None,
        patient=patient,
        practice_id=practice_id,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        ip_address=client_ip(request) if request is not None else ip_address,
        extra=extra or {},
    )
