"""Which practice the public pages (sign-in, recovery, "New here?") speak for (issue 10, item 6).

Before sign-in nobody has a record open, so the pages cannot take the practice from the person.
A deployment names it once:

* ``PORTAL_PRACTICE``, the slug of a practice: that one (a deployment serving several practices
  under one address chooses the one whose name and logo greet people);
* else, when the database holds exactly one practice, that one;
* else none: the pages say "Patient Portal".

``PORTAL_LOGO`` is an optional path among the static files (``img/practice-logo.png``), shown
beside the name on the sign-in page. It is a file the deployment ships, never one a user uploads.

The lookup runs at most once per request (its answer is kept on the request), only when a page
asks for it (the context processor hands templates a lazy value), and reads the database at most
once a minute (the cache keeps the answer).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext

from portal.models import Practice

_CACHE_ATTRIBUTE = "_public_practice"


def public_practice(request: HttpRequest | None = None) -> Practice | None:
    """The practice of the public pages (see the module's docstring); kept on ``request``."""
    if request is not None and hasattr(request, _CACHE_ATTRIBUTE):
        cached: Practice | None = getattr(request, _CACHE_ATTRIBUTE)
        return cached
    practice = _lookup()
    if request is not None:
        setattr(request, _CACHE_ATTRIBUTE, practice)
    return practice


_CACHE_KEY = "public-practice"
_CACHE_SECONDS = 60  # a renamed practice shows on the public pages within a minute


def _lookup() -> Practice | None:
    """The practice, kept in the cache for a minute: every public page's header shows it."""
    cached = cache.get(_CACHE_KEY)
    if cached is not None:
        practice: Practice | None = cached or None  # "" stands for "no practice"
        return practice
    found = _query()
    cache.set(_CACHE_KEY, found or "", _CACHE_SECONDS)
    return found


def _query() -> Practice | None:
    slug = getattr(settings, "PORTAL_PRACTICE", "")
    if slug:
        return Practice.objects.filter(slug=slug).first()
    only = list(Practice.objects.order_by("pk")[:2])
    return only[0] if len(only) == 1 else None


def public_name(request: HttpRequest | None = None) -> str:
    """What the public pages call the portal: the practice's name, else "Patient Portal"."""
    practice = public_practice(request)
    return practice.name if practice is not None else gettext("Patient Portal")


def public_logo_url() -> str:
    """The URL of ``PORTAL_LOGO`` among the static files, or "" when none is set or the file is
    missing from the collected files (a wrong setting hides the logo instead of failing the
    page)."""
    path = getattr(settings, "PORTAL_LOGO", "")
    if not path:
        return ""
    try:
        return staticfiles_storage.url(path)
    except ValueError:  # the manifest storage has no such file
        return ""
