from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.utils.translation import gettext_lazy as _

# Each process (each gunicorn worker) has a cache of its own with these.
PROCESS_LOCAL_CACHES = frozenset({
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
})


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Patients and practice")

    def ready(self) -> None:
        register(shared_cache_check, Tags.caches, deploy=True)
        from portal.models.lookups import lookups_register

        lookups_register()


def shared_cache_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """``manage.py check --deploy``: rate limits and throttles (failed sign-ins, codes,
    enrollment guesses) count in the cache, and a cache per process lets each worker count on
    its own, multiplying every limit by the number of workers."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if settings.DEBUG or backend not in PROCESS_LOCAL_CACHES:
        return []
    return [Error(
        "The cache is not shared between processes, so each worker would count failed "
        "sign-ins and the other rate limits on its own.",
        hint="Set REDIS_URL (the Redis that Celery uses will do).",
        id="portal.E001",
    )]
