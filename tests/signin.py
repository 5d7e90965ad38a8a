"""Signing in through the real pages in tests: password, then the one-time code."""

from __future__ import annotations

import re

from portal.models import OutboxMessage
from tests.factories import PASSWORD


def latest_code(to: str) -> str:
    message = OutboxMessage.objects.filter(recipient=to, template="verification-code").first()
    return re.search(r"\b(\d{6})\b", message.body_text)[1]


def sign_in(client, username: str, password: str = PASSWORD, *, code_to: str | None = None,
            **extra):
    """Post the sign-in form; with ``code_to``, also type the code sent there. Returns the
    last response."""
    response = client.post("/account/login/", {"login": username, "password": password},
                           **extra)
    if code_to is None or response.status_code != 302:
        return response
    assert response.url == "/account/login/verify-code/", response.url
    client.get(response.url)  # sends the code to the only method
    return client.post("/account/login/verify-code/", {"code": latest_code(code_to)}, **extra)


def signed_in_recently(client, user, password: str = PASSWORD):
    """``client`` signed in as ``user`` with a recent authentication, as after "Confirm it's
    you": changes behind allauth's ``reauthentication_required`` go through at once for the
    next few minutes (force_login alone records no authentication)."""
    client.force_login(user)
    response = client.post("/account/reauthenticate/", {"password": password})
    assert response.status_code == 302, response.status_code
    return client
