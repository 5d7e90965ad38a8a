from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject, lazy

from accounts.access import available_accesses, get_active_access
from accounts.proxies import may_manage_representatives
from accounts.public_practice import public_logo_url, public_name, public_practice


def portal(request: HttpRequest) -> dict[str, Any]:
    """Whose record is open, for the banner and the navigation of every page; and the practice
    the public pages speak for (looked up only by a page that shows it, once per request)."""
    public = {
        "public_practice": SimpleLazyObject(lambda: public_practice(request)),
        "portal_name": lazy(public_name, str)(request),
        "portal_logo_url": lazy(public_logo_url, str)(),
        "debug_outbox": settings.DEBUG,
    }
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return public
    access = get_active_access(request)
    return {
        **public,
        "active_access": access,
        "active_patient": access.patient if access else None,
        "can_switch": len(available_accesses(request)) > 1,
        # The patient themself, once an adult, chooses their representatives (SPEC P1).
        "can_manage_representatives": access is not None
        and may_manage_representatives(access=access),
    }
