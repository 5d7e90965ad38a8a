from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import reverse


class StaffConsoleStylePolicy:
    """Django's admin sets a few style="" attributes (collapsed fieldsets, hidden inline rows),
    so the staff console alone allows inline styles. Scripts stay 'self' everywhere."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.prefix = reverse("admin:index")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(self.prefix):
            # Read by django-csp's middleware, which must come before this one in MIDDLEWARE.
            response._csp_update = {"style-src": ["'unsafe-inline'"]}  # type: ignore[attr-defined]
        return response
