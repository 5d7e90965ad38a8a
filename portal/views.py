from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static

from portal.models import OutboxMessage


def dev_outbox(request: HttpRequest) -> HttpResponse:
    """Every email and text the portal wrote, in full, newest first. Only with DEBUG on: it
    shows sign-in codes and enrollment links to whoever opens it."""
    if not settings.DEBUG:
        raise Http404
    messages = OutboxMessage.objects.all()[:200]
    return render(request, "portal/dev_outbox.html", {"outbox_messages": messages})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form that came without its security token (CSRF_FAILURE_VIEW): the portal's own page
    saying what to do. ``reason`` is for developers and is not shown."""
    return render(request, "403_csrf.html", status=403)


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says."""
    return redirect(static("img/favicon.svg"), permanent=True)


def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and docker-compose: answers once the app and its database work."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
