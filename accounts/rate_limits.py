"""Throttling refusals are security events (DESIGN invariant 5): each is audited, with the limit
and the page, never the key (what was typed: an address, a username).

The limits themselves are allauth's (ACCOUNT_RATE_LIMITS). Its own views answer a refusal with
the 429 page, which ``TooManyRequestsAuditMiddleware`` (accounts/middleware.py) audits; the
portal's pages, which answer with "Too many attempts" on the form, call ``rate_limit_consume``.
"""

from __future__ import annotations

from typing import Any

from allauth.core import ratelimit
from django.http import HttpRequest

from accounts.http import page_name
from portal.audit import audit_record
from portal.models import AuditAction


def rate_limit_consume(
    request: HttpRequest, *, action: str, key: str | None = None, user: Any = None
) -> bool:
    """Count one attempt against ``action``'s limits; False (and audited) when over them."""
    if ratelimit.consume(request, action=action, key=key, user=user):
        return True
    rate_limit_refused(request, limit=action)
    return False


def rate_limit_refused(request: HttpRequest, *, limit: str | None = None) -> None:
    extra = {"limit": limit} if limit else {}
    if page := page_name(request):
        extra["page"] = page
    audit_record(action=AuditAction.RATE_LIMITED, request=request, extra=extra)
