"""The one-time code step of sign-in (SPEC A1), as an allauth login stage.

After the password, allauth runs its login stages; this one sends the person to the code page
unless the browser is trusted (never for staff). Codes by email or text are tied to this sign-in
attempt; an authenticator app (TOTP) works too. The stage's state lives in allauth's stashed
login, in the server-side session.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from allauth.account.stages import LoginStage
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.devices import OneTimeCodeDevice
from accounts.models import User
from accounts.staff import is_practice_staff

STAGE_KEY = "portal_one_time_code"
TRUST_COOKIE = "portal_trusted_browser"
TRUST_DAYS = 30
_TRUST_SALT = "accounts.login_code.trusted_browser"
# How a passed code step is recorded among allauth's authentication records. It is listed in
# ACCOUNT_REAUTHENTICATION_METHODS, so a sign-in completed with a code counts as a recent
# authentication: Account Settings asks for the password again only once it is a few minutes old.
REAUTHENTICATION_METHOD = "one_time_code"


@dataclass(frozen=True)
class Method:
    """A way this user can prove the second factor."""

    key: str  # "code:<device id>" or "totp:<device id>"
    label: str
    device: OneTimeCodeDevice | TOTPDevice

    @property
    def sends_code(self) -> bool:
        return isinstance(self.device, OneTimeCodeDevice)


def methods_for(user: User) -> list[Method]:
    """The user's confirmed ways to receive codes, labelled in the language of the page."""
    methods = [
        Method(f"code:{d.pk}", _code_label(d), d)
        for d in OneTimeCodeDevice.objects.filter(user=user, confirmed=True).order_by("pk")
    ]
    methods += [Method(f"totp:{d.pk}", gettext("Authenticator app"), d)
                for d in TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk")]
    return methods


def _code_label(device: OneTimeCodeDevice) -> str:
    values = {"destination": device.masked_destination}
    if device.channel == "email":
        return gettext("Email to %(destination)s") % values
    return gettext("Text message to %(destination)s") % values


def code_always_required(user: User) -> bool:
    """Staff give a code at every sign-in: their browser is never trusted."""
    return is_practice_staff(user)


# Trusting this browser --------------------------------------------------------------------------


def trust_browser(response: HttpResponse, user: User, *, secure: bool) -> None:
    """Remember for 30 days that this browser passed the code step. Raising the user's session
    epoch (sign out everywhere, password reset) withdraws the trust."""
    value = signing.dumps({"u": user.pk, "e": user.session_epoch}, salt=_TRUST_SALT)
    response.set_cookie(TRUST_COOKIE, value, max_age=TRUST_DAYS * 24 * 3600, httponly=True,
                        secure=secure, samesite="Lax")


def browser_is_trusted(request: HttpRequest, user: User) -> bool:
    raw = request.COOKIES.get(TRUST_COOKIE)
    if not raw or code_always_required(user):
        return False
    try:
        data = signing.loads(raw, salt=_TRUST_SALT,
                             max_age=datetime.timedelta(days=TRUST_DAYS))
    except signing.BadSignature:
        return False
    return bool(data == {"u": user.pk, "e": user.session_epoch})


# The stage ----------------------------------------------------------------------------------------


ATTEMPT_SESSION_KEY = "login_code_attempt"


class OneTimeCodeStage(LoginStage):
    key = STAGE_KEY
    urlname = "account_verify_code"

    def handle(self) -> tuple[HttpResponse | None, bool]:
        user = self.login.user
        if user is None or browser_is_trusted(self.request, user):
            return None, True
        # Codes verify only for the sign-in attempt they were sent for. Signing in again from
        # the same browser (a closed tab, a slow email) is the same attempt, so that the code
        # just sent still works: another browser gets an attempt of its own.
        attempts = self.request.session.get(ATTEMPT_SESSION_KEY, {})
        attempt = attempts.get(str(user.pk))
        self.state["attempt_resumed"] = attempt is not None
        attempt = attempt or secrets.token_hex(16)
        self.request.session[ATTEMPT_SESSION_KEY] = {str(user.pk): attempt}
        self.state["attempt"] = attempt
        return redirect("account_verify_code"), True
