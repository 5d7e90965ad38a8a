"""Middleware of the accounts layer: the practice's time zone, no caching of what a signed-in
person sees, and the audit of allauth's "too many requests" refusals."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers

from accounts.access import get_active_access
from accounts.languages import chosen_on_sign_in_page, practice_language, supported
from accounts.public_practice import public_practice
from accounts.rate_limits import rate_limit_refused
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


def _browser_asks_for_one_of_ours(request: HttpRequest) -> bool:
    header = request.headers.get("Accept-Language", "")
    return any(supported(part.split(";")[0].strip().lower().split("-")[0])
               for part in header.split(","))


class UserLanguageMiddleware:
    """Which language the page speaks: a signed-in person's saved language (Account Settings)
    wins over the cookie and the browser that ``LocaleMiddleware`` looked at; with neither a
    saved language, nor the cookie of a choice made on the sign-in page, nor a browser asking
    for English or Spanish, the practice's default language (the public pages' practice before
    sign-in). Placed after the authentication middleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        signed_in = request.user.is_authenticated
        language = getattr(request.user, "language", "") if signed_in else ""
        if (not language and chosen_on_sign_in_page(request) is None
                and not _browser_asks_for_one_of_ours(request)):
            language = self._practice_language(request)
        if language and language != request.LANGUAGE_CODE:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)

    @staticmethod
    def _practice_language(request: HttpRequest) -> str:
        if not request.user.is_authenticated:
            return practice_language(public_practice(request))
        access = get_active_access(request)  # resolved once per request, the door's own query
        # No record open (staff, a pending enrollment): the site's default, at no extra query.
        return practice_language(access.patient.practice if access is not None else None)


class SignedInPagesNotStoredMiddleware:
    """Every response to a signed-in person is sent ``Cache-Control: no-store, private`` (DESIGN
    invariant 3): no browser history, shared computer or proxy keeps a copy of a patient's
    record after sign-out. Decided for the response's user, as sign-in and sign-out change it
    during the request. Static files never get here: WhiteNoise answers them earlier, so they
    stay cacheable."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # max-age=0, no-cache, no-store, must-revalidate, private, and an Expires header.
            add_never_cache_headers(response)
        return response


class TooManyRequestsAuditMiddleware:
    """allauth answers a request over its rate limits (sign-in, password reset, reauthentication)
    with the 429 page from its own views; each such refusal is audited here, whichever view
    gave it. After authentication, so a signed-in person is named."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 429:
            rate_limit_refused(request)
        return response
