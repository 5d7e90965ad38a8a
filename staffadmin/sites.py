from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import admin
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from accounts.staff import is_practice_staff


class StaffConsole(admin.AdminSite):
    site_header = "Staff console"
    site_title = "Staff console"
    index_title = "My Home"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(
            user.is_active and user.is_staff and (user.is_superuser or is_practice_staff(user))
        )

    def admin_view(self, view: Callable, cacheable: bool = False) -> Callable:
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def refuse_nul(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            # PostgreSQL refuses NUL in text, so a search or list filter carrying one would
            # fail in the database: a 400 instead of a 500.
            if any("\x00" in key or any("\x00" in value for value in values)
                   for key, values in request.GET.lists()):
                raise BadRequest("NUL character in the query string")
            return inner(request, *args, **kwargs)

        return refuse_nul

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        # One sign-in for everyone: the portal's, never the admin's own form, so that staff go
        # through the same throttling (and, later, one-time codes) as patients.
        if request.user.is_authenticated:
            # Signed in, but not staff of any practice: there is nothing here for them.
            raise Http404
        next_url = request.GET.get("next") or reverse("admin:index")
        return HttpResponseRedirect(
            f"{reverse('account_login')}?{urlencode({'next': next_url})}"
        )
