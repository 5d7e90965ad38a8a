"""Times are shown in the time zone of the practice whose record, or console, is open."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from accounts.access import get_active_access
from accounts.staff import staff_practices


class PracticeTimeZoneMiddleware:
    """Shows times in the time zone of the practice whose record (or console) is open."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        tz = None
        if request.user.is_authenticated:
            access = get_active_access(request)
            if access is not None:
                tz = access.patient.practice.time_zone
            else:
                practice = staff_practices(request.user).first()
                tz = practice.time_zone if practice else None
        if tz:
            timezone.activate(zoneinfo.ZoneInfo(tz))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
