"""Setting up an authenticator app in Account Settings (issue 10, item 10).

Opening the page stores nothing: the new secret waits in the (server-side) session until the
person types a right code from their app, and only then does a confirmed device exist. A page
opened and left, or a secret glimpsed over a shoulder, leaves no half-made device behind.

``PendingAuthenticator`` answers what ``accounts.code_check`` asks of a device — whether a try is
allowed now, and whether a code is right — with django-otp's own TOTP arithmetic
(``django_otp.oath.TOTP``, the same the confirmed device then uses) and a doubling wait after
each wrong code, kept in the session like the secret.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from accounts.models import User

SESSION_KEY = "authenticator_setup"
KEY_BYTES = 20  # django-otp's default for a TOTP device


class PendingAuthenticator:
    """An authenticator app being set up for ``user`` in this browser session."""

    def __init__(self, request: HttpRequest, user: User) -> None:
        self.request = request
        state = request.session.get(SESSION_KEY)
        if not isinstance(state, dict) or state.get("user") != user.pk:
            state = {"user": user.pk, "key": random_hex(KEY_BYTES), "failures": 0,
                     "failed_at": None}
            request.session[SESSION_KEY] = state
        self.state: dict[str, Any] = state
        # Never saved: it only lends its defaults (step, digits, tolerance) and its otpauth://
        # address for the QR code.
        self.device = TOTPDevice(user=user, name="Authenticator app", key=state["key"],
                                 confirmed=False)
        self.verified_t: int | None = None
        self.verified_drift = 0

    @property
    def config_url(self) -> str:
        url: str = self.device.config_url
        return url

    def verify_is_allowed(self) -> tuple[bool, dict[str, Any] | None]:
        """django-otp's rule: after n wrong codes in a row, wait factor * 2^(n-1) seconds."""
        failures = int(self.state.get("failures") or 0)
        failed_at = self.state.get("failed_at")
        if failures and failed_at is not None:
            factor = getattr(settings, "OTP_TOTP_THROTTLE_FACTOR", 1)
            if time.time() < failed_at + factor * 2 ** (failures - 1):
                return False, {"failure_count": failures}
        return True, None

    def verify_token(self, token: str) -> bool:
        try:
            number = int("".join(str(token).split()))
        except ValueError:
            number = None
        if number is not None:
            device = self.device
            totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
            totp.time = time.time()
            if totp.verify(number, device.tolerance, device.last_t + 1):
                self.verified_t, self.verified_drift = totp.t(), totp.drift
                return True
        self.state["failures"] = int(self.state.get("failures") or 0) + 1
        self.state["failed_at"] = time.time()
        self.request.session[SESSION_KEY] = self.state  # saved with the session
        return False

    def confirmed_device(self) -> TOTPDevice:
        """The device to store once a code was right (not saved here)."""
        if self.verified_t is None:
            raise ValueError("No right code was typed yet.")
        return TOTPDevice(user=self.device.user, name=self.device.name, key=self.state["key"],
                          confirmed=True, last_t=self.verified_t, drift=self.verified_drift)

    def forget(self) -> None:
        self.request.session.pop(SESSION_KEY, None)
