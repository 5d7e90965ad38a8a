from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar, cast
from urllib.parse import urlencode

from django.contrib import admin
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    QueryDict,
)
from django.template.response import TemplateResponse
from django.urls import URLPattern, URLResolver, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.account_settings import password_change_record
from accounts.http import signed_in_user
from accounts.staff import is_practice_staff, staff_practices
from portal.models import Practice

if TYPE_CHECKING:
    from django.http.request import _ImmutableQueryDict

_View = TypeVar("_View", bound=Callable[..., HttpResponseBase])


def _without_nul(query: QueryDict) -> _ImmutableQueryDict:
    pairs = [(key.replace("\x00", ""), value.replace("\x00", ""))
             for key, values in query.lists() for value in values]
    return QueryDict(urlencode(pairs))  # immutable, as the request's own


def _only_practice(request: HttpRequest) -> Practice | None:
    """The staff member's practice, when they work for exactly one (not a superuser)."""
    if not request.user.is_authenticated or request.user.is_superuser:
        return None
    practices = list(staff_practices(request.user)[:2])
    return practices[0] if len(practices) == 1 else None


class StaffConsole(admin.AdminSite):
    site_header = _("Staff console")
    site_title = _("Staff console")
    index_title = _("My Home")
    # "View site" would only lead back here: the portal's home sends staff to the console.
    site_url = None

    def each_context(self, request: HttpRequest) -> dict[str, Any]:
        """The header says whose console it is: the practice's name for its own staff."""
        context = super().each_context(request)
        practice = _only_practice(request)
        if practice is not None:
            context["site_header"] = context["site_title"] = gettext(
                "%(practice)s — Staff console") % {"practice": practice.name}
        return context

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[Any]:
        """django-otp's model is "TOTP device" to Django; to staff, an authenticator app."""
        apps = super().get_app_list(request, app_label)
        for app in apps:
            for model in app["models"]:
                if model["object_name"] == "TOTPDevice":
                    model["name"] = gettext("Authenticator apps")
        return apps

    def has_permission(self, request: HttpRequest) -> bool:
        return is_practice_staff(request.user)

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        # No "View on site" link on any page: its redirect is not routed (``get_urls``).
        super().register(model_or_iterable, admin_class, **{**options, "view_on_site": False})

    def get_urls(self) -> list[URLPattern | URLResolver]:
        # Django's "view on site" redirect (/staff/r/<content type>/<id>/) answers for any kind
        # of object and any id whether it exists; the console links to no portal page.
        return [url for url in super().get_urls()
                if getattr(url, "name", None) != "view_on_site"]

    def admin_view(self, view: _View, cacheable: bool = False) -> _View:
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def without_nul(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            # PostgreSQL refuses NUL in text: a search or list filter carrying one would fail
            # in the database with a 500. Searches elsewhere drop it the same way.
            if any("\x00" in key + "".join(values) for key, values in request.GET.lists()):
                request.GET = _without_nul(request.GET)
            return inner(request, *args, **kwargs)

        return cast(_View, without_nul)

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

    def password_change(self, request: HttpRequest,
                        extra_context: dict[str, Any] | None = None) -> TemplateResponse:
        """Django's own Change password page; a change is audited and the person told, as on
        the portal's page."""
        user = signed_in_user(request)
        before = user.password
        response = super().password_change(request, extra_context)
        user.refresh_from_db(fields=["password"])
        if user.password != before:
            password_change_record(user=user, request=request, where="console")
        return response
