from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from accounts.access import available_accesses, get_active_access
from accounts.proxies import may_manage_representatives


def portal(request: HttpRequest) -> dict[str, Any]:
    """Whose record is open, for the banner and the navigation of every page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"debug_outbox": settings.DEBUG}
    access = get_active_access(request)
    return {
        "active_access": access,
        "active_patient": access.patient if access else None,
        "can_switch": len(available_accesses(request)) > 1,
        # The patient themself, once an adult, chooses their representatives (SPEC P1).
        "can_manage_representatives": access is not None
        and may_manage_representatives(access=access),
        "debug_outbox": settings.DEBUG,
    }
