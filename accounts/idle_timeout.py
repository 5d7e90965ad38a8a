"""Signing out after inactivity and at the end of a session's lifetime (SPEC A5).

The server decides; the warning script (static/js/session-timeout.js) only tells the person
what is about to happen. The session (stored server-side) holds two times:

* when the person signed in: the session ends ``SESSION_COOKIE_AGE`` after it whatever they do.
  Django alone would not enforce this, because every save of the session pushes its expiry date
  forward and the last-activity time below is saved as the person works;
* when they were last active: any request, the warning's "Stay signed in" ping included. The
  limit is ``Practice.session_timeout_minutes`` of the practice whose data is open — the active
  record's practice for a patient or proxy, the strictest of their practices for staff — and
  DEFAULT_TIMEOUT_MINUTES when there is none. Nothing the browser sends can change it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.db.models import Min
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.translation import ngettext

from accounts.access import get_active_access
from accounts.staff import staff_practices
from portal.audit import audit_record
from portal.models import AuditAction

DEFAULT_TIMEOUT_MINUTES = 15
# The warning opens this long before the end (at most half of the time-out).
WARNING_SECONDS = 120
SIGNED_IN_AT_KEY = "portal_signed_in_at"
LAST_ACTIVITY_KEY = "portal_last_activity"
# The last-activity time is saved again only when it is older than this: a page then costs no
# session write (nor a chance to overwrite a concurrent request's session change) when the
# previous one was moments ago. The time-out itself is counted in minutes.
ACTIVITY_RESOLUTION_SECONDS = 10


@dataclass(frozen=True)
class IdleTimeout:
    """What the page needs to warn in time: set on ``request.idle_timeout`` for signed-in
    users, read by templates/base.html."""

    minutes: int

    @property
    def seconds(self) -> int:
        return self.minutes * 60

    @property
    def warning_seconds(self) -> int:
        return min(WARNING_SECONDS, self.seconds // 2)


def idle_timeout_minutes(request: HttpRequest) -> int:
    """The time-out for the signed-in ``request.user`` (see the module docstring)."""
    limits: list[int] = []
    access = get_active_access(request)
    if access is not None:
        limits.append(access.patient.practice.session_timeout_minutes)
    if request.user.is_staff:
        strictest = staff_practices(request.user).aggregate(m=Min("session_timeout_minutes"))["m"]
        if strictest:
            limits.append(strictest)
    return min(limits, default=DEFAULT_TIMEOUT_MINUTES)


def activity_record(request: HttpRequest, *, now: float | None = None) -> None:
    """Restart the idle clock of the signed-in session (the keepalive ping calls this)."""
    request.session[LAST_ACTIVITY_KEY] = time.time() if now is None else now


def _seconds_since(request: HttpRequest, key: str, now: float) -> float | None:
    value = request.session.get(key)
    return now - value if isinstance(value, int | float) else None


def _lifetime_message() -> str:
    hours, rest = divmod(settings.SESSION_COOKIE_AGE, 3600)
    if hours and not rest:
        return ngettext(
            "For your security, sessions last at most %(count)d hour. Please sign in again.",
            "For your security, sessions last at most %(count)d hours. Please sign in again.",
            hours) % {"count": hours}
    minutes = settings.SESSION_COOKIE_AGE // 60
    return ngettext(
        "For your security, sessions last at most %(count)d minute. Please sign in again.",
        "For your security, sessions last at most %(count)d minutes. Please sign in again.",
        minutes) % {"count": minutes}


class IdleTimeoutMiddleware:
    """Signs out a session that was idle too long or has reached its lifetime.

    Must come after the session, authentication and message middleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user_at_start = request.user.pk if request.user.is_authenticated else None
        if user_at_start is not None:
            ended = self._end_if_due(request)
            if ended is not None:
                return ended
        response = self.get_response(request)
        if request.user.is_authenticated:
            self._note_activity(request, signed_in_now=request.user.pk != user_at_start)
        return response

    def _end_if_due(self, request: HttpRequest) -> HttpResponse | None:
        now = time.time()
        since_sign_in = _seconds_since(request, SIGNED_IN_AT_KEY, now)
        if since_sign_in is not None and since_sign_in > settings.SESSION_COOKIE_AGE:
            return self._sign_out(
                request, AuditAction.SESSION_EXPIRED,
                {"after_seconds": settings.SESSION_COOKIE_AGE},
                _lifetime_message(),
            )
        timeout = IdleTimeout(idle_timeout_minutes(request))
        idle = _seconds_since(request, LAST_ACTIVITY_KEY, now)
        if idle is not None and idle > timeout.seconds:
            return self._sign_out(
                request, AuditAction.SESSION_TIMED_OUT, {"after_minutes": timeout.minutes},
                ngettext("You were signed out after %(count)d minute without activity. "
                         "Please sign in again.",
                         "You were signed out after %(count)d minutes without activity. "
                         "Please sign in again.", timeout.minutes) % {"count": timeout.minutes},
            )
        request.idle_timeout = timeout  # type: ignore[attr-defined]
        return None

    def _note_activity(self, request: HttpRequest, *, signed_in_now: bool) -> None:
        now = time.time()
        if signed_in_now:
            # A new sign-in in this request: the clocks start now, whatever an earlier session
            # of the same person left behind.
            request.session[SIGNED_IN_AT_KEY] = now
            activity_record(request, now=now)
            return
        request.session.setdefault(SIGNED_IN_AT_KEY, now)
        idle = _seconds_since(request, LAST_ACTIVITY_KEY, now)
        if idle is None or idle >= ACTIVITY_RESOLUTION_SECONDS:
            activity_record(request, now=now)

    def _sign_out(
        self, request: HttpRequest, action: AuditAction, extra: dict[str, Any], message: str
    ) -> HttpResponse:
        audit_record(action=action, request=request, extra=extra)
        logout(request)
        messages.info(request, message)
        if request.path == reverse("session_keepalive"):
            return HttpResponse(status=401)  # the warning script sends the browser on
        login_url = resolve_url(settings.LOGIN_URL)
        if request.path == login_url:
            return self.get_response(request)  # the sign-in page, now for a signed-out visitor
        if request.method in ("GET", "HEAD"):
            return redirect_to_login(request.get_full_path(), login_url)
        return redirect(login_url)  # a form sent too late: its data is not kept
