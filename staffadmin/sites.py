from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import admin
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from accounts.staff import is_practice_staff


class StaffConsole(admin.AdminSite):
    site_header = "Staff console"
    site_title = "Staff console"
    index_title = "My Home"

    def has_permission(self, request: HttpRequest) -> bool:
        return is_practice_staff(request.user)

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
