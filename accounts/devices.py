"""One-time codes sent by email or text, as django-otp devices.

django-otp's own side-channel devices keep the code in clear text and compare it with ``==``;
the design asks for codes stored hashed and compared in constant time, so this device keeps an
HMAC of the code and reuses django-otp's throttling and cool-down mixins.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import CooldownMixin, Device, ThrottlingMixin

from portal.hashing import secret_digest, secrets_match
from portal.models import Channel

CODE_DIGITS = 6
CODE_LIFETIME = timedelta(minutes=10)


class OneTimeCodeDevice(CooldownMixin, ThrottlingMixin, Device):
    """A verified way to receive sign-in codes: an email address or a mobile number."""

    # Annotated by hand: django-otp's Device base class is untyped, so the stubs cannot infer them.
    channel: models.CharField[str, str] = models.CharField(max_length=5, choices=Channel.choices)
    destination: models.CharField[str, str] = models.CharField(
        max_length=254, help_text=_("Email address or E.164 number."))
    code_hash: models.CharField[str, str] = models.CharField(max_length=64, blank=True)
    valid_until: models.DateTimeField[datetime | None, datetime | None] = models.DateTimeField(
        null=True, blank=True)

    class Meta:
        verbose_name = _("one-time code method")

    def __str__(self) -> str:
        return f"{self.get_channel_display()} to {self.masked_destination}"

    @property
    def masked_destination(self) -> str:
        if self.channel == Channel.EMAIL:
            name, _, domain = self.destination.partition("@")
            return f"{name[:1]}•••@{domain}"
        return f"•••-•••-{self.destination[-4:]}"

    def get_throttle_factor(self) -> int:
        return getattr(settings, "OTP_CODE_THROTTLE_FACTOR", 1)

    def get_cooldown_duration(self) -> int:
        return getattr(settings, "OTP_CODE_COOLDOWN_SECONDS", 30)

    def new_code(self, *, bind: str = "") -> str:
        """Make a fresh code, valid for ten minutes; the previous one stops working.

        ``bind`` ties the code to one sign-in attempt: it only verifies with the same value."""
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        self.code_hash = secret_digest(f"{bind}:{code}")
        self.valid_until = timezone.now() + CODE_LIFETIME
        self.cooldown_set(commit=False)
        self.save(update_fields=["code_hash", "valid_until", "last_generated_timestamp"])
        return code

    def verify_token(self, token: str, *, bind: str = "") -> bool:
        """Single use: a matching, unexpired code is consumed. Callers check
        ``verify_is_allowed()`` first; failures feed django-otp's throttle."""
        token = "".join(str(token).split())
        ok = (
            self.valid_until is not None
            and timezone.now() < self.valid_until
            and secrets_match(f"{bind}:{token}", self.code_hash)
        )
        if ok:
            self.code_hash = ""
            self.valid_until = None
            self.throttle_reset(commit=False)
            self.cooldown_reset(commit=False)
            self.save()
        else:
            self.throttle_increment()
        return ok
