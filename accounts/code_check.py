"""Checking a one-time code: one function for every place that asks for one.

Sign-in, Verify Multi-Factor Authentication during enrollment, confirming a mobile number in
Account Settings and setting up an authenticator app all call ``code_check``, so every one of
them is throttled the same three ways — per address and per account (allauth's rate limit), and
per device (django-otp's doubling delay after each wrong code) — audits the same events and
says the same words next to the field.
"""

from __future__ import annotations

import enum
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext, gettext_noop

from accounts.devices import OneTimeCodeDevice
from accounts.models import User
from accounts.rate_limits import rate_limit_consume, rate_limit_refused
from accounts.services import code_send
from portal.audit import audit_record
from portal.models import AuditAction

# The allauth rate limit (ACCOUNT_RATE_LIMITS) shared by every code entry.
RATE_LIMIT_ACTION = "one_time_code"

# In English here (tests compare pages with them); translated where they are shown.
WRONG_CODE = gettext_noop("That code is not right, or it has expired. Check it and try again, "
                          "or ask for a new code.")
TOO_MANY = gettext_noop("Too many wrong codes. Wait a minute, then try again or ask for a new "
                        "code.")


class CodePurpose(enum.StrEnum):
    """Why the code is asked for; recorded with each success."""

    SIGN_IN = "sign_in"
    ENROLLMENT = "enrollment"
    MOBILE_VERIFICATION = "mobile_verification"
    AUTHENTICATOR_SETUP = "authenticator_setup"


def code_check(
    *,
    request: HttpRequest,
    device: Any,
    user: User,
    form: forms.Form,
    purpose: CodePurpose,
    bind: str | None = None,
) -> bool:
    """Whether ``form``'s ``code`` is right for ``device`` (a OneTimeCodeDevice or django-otp's
    TOTPDevice of ``user``). A wrong or throttled code puts the message on the form's field.
    ``bind``: the sign-in attempt a sent code is tied to (OneTimeCodeDevice.new_code)."""
    if not rate_limit_consume(request, action=RATE_LIMIT_ACTION, user=user):
        form.add_error("code", gettext(TOO_MANY))
        return False
    allowed, _ = device.verify_is_allowed()
    if not allowed:  # django-otp's doubling wait after a wrong code
        rate_limit_refused(request, limit="code_throttle")
        form.add_error("code", gettext(TOO_MANY))
        return False
    code = form.cleaned_data["code"]
    ok = device.verify_token(code) if bind is None else device.verify_token(code, bind=bind)
    if not ok:
        audit_record(action=AuditAction.CODE_FAILED, request=request, actor=user,
                     extra={"purpose": purpose.value})
        form.add_error("code", gettext(WRONG_CODE))
        return False
    audit_record(action=AuditAction.CODE_VERIFIED, request=request, actor=user,
                 extra={"purpose": purpose.value, "method": type(device).__name__})
    return True


def code_resend(*, request: HttpRequest, device: OneTimeCodeDevice) -> None:
    """"Send a new code" on a page that asks for one: send it (within the limits of
    ``code_send``) and say what happened."""
    sent = code_send(device=device, request=request)
    if sent.refusal:
        messages.warning(request, sent.refusal)
    else:
        messages.success(request, gettext("We sent a new code to %(destination)s.")
                         % {"destination": device.masked_destination})
