"""Public pages beside sign-in that explain, and change nothing."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def new_here(request: HttpRequest) -> HttpResponse:
    """"New here?": the ways into the portal, in plain words (an invitation or an enrollment
    token from the practice, temporary sign-in details, Create a new account, Request portal
    access), each leading to its page."""
    return render(request, "account/new_here.html")
