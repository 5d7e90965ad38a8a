"""Creating an account and proving its contact methods: shared by every enrollment path."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext, gettext_noop

from accounts.allauth_internals import rate_limit_consume
from accounts.devices import OneTimeCodeDevice
from accounts.languages import asked_language
from accounts.models import SecurityAnswer, User
from accounts.security_questions import hash_answer
from portal.audit import audit_record
from portal.models import AuditAction, Channel
from portal.outbox import outbox_email, outbox_text


@dataclass(frozen=True)
class SecurityDetails:
    """What the person chose on Create Security Details."""

    username: str
    password: str
    email: str
    mobile_phone: str  # E.164 or ""
    questions: list[tuple[str, str]]  # (question key, answer)
    code_channel: str  # Channel

    @property
    def code_destination(self) -> str:
        return self.email if self.code_channel == Channel.EMAIL else self.mobile_phone


@transaction.atomic
def pending_account_save(
    *, user: User | None, details: SecurityDetails, first_name: str, last_name: str
) -> tuple[User, OneTimeCodeDevice]:
    """Create (or redo) an account that stays inactive until its first code is verified."""
    user = user or User(is_active=False)
    user.username = details.username
    user.email = details.email
    user.first_name, user.last_name = first_name, last_name
    user.set_password(details.password)
    user.save()
    user.security_answers.all().delete()
    SecurityAnswer.objects.bulk_create(
        SecurityAnswer(user=user, question=q, answer_hash=hash_answer(a))
        for q, a in details.questions
    )
    device = pending_device_put(user=user, channel=details.code_channel,
                                destination=details.code_destination)
    kept = [device.pk]
    # A mobile number given besides an email is kept as a second method, verified later.
    if details.mobile_phone and details.code_channel == Channel.EMAIL:
        kept.append(pending_device_put(user=user, channel=Channel.SMS,
                                       destination=details.mobile_phone).pk)
    OneTimeCodeDevice.objects.filter(user=user, confirmed=False).exclude(pk__in=kept).delete()
    return user, device


def pending_device_put(*, user: User, channel: str, destination: str) -> OneTimeCodeDevice:
    """The user's unconfirmed device for ``channel``, now sending to ``destination``.

    The device is kept, not made anew, when only the destination changes: its cool-down between
    codes keeps running, so typing one number after another does not send a text to each. A
    code already sent elsewhere stops working: it proves nothing about the new destination."""
    device: OneTimeCodeDevice | None = (
        OneTimeCodeDevice.objects.filter(user=user, channel=channel, confirmed=False)
        .order_by("pk").first())
    if device is None:
        created: OneTimeCodeDevice = OneTimeCodeDevice.objects.create(
            user=user, name=channel, channel=channel, destination=destination, confirmed=False)
        return created
    if device.destination != destination:
        device.destination = destination
        device.code_hash, device.valid_until = "", None
        device.save(update_fields=["destination", "code_hash", "valid_until"])
    return device


class CodeSent(enum.StrEnum):
    """What came of asking for a code."""

    SENT = "sent"
    TOO_SOON = "too_soon"  # the device's cool-down: a code went out moments ago
    TOO_MANY = "too_many"  # a rate limit: per session, address, account or destination

    @property
    def refusal(self) -> str:
        """What to tell the person when no code went out ("" when one did), in the language of
        the page."""
        message = {CodeSent.TOO_SOON: CODE_TOO_SOON, CodeSent.TOO_MANY: CODE_TOO_MANY}.get(self)
        return gettext(message) if message else ""


# In English here (tests compare pages with them); translated where they are shown.
CODE_TOO_SOON = gettext_noop("A code was sent moments ago. Please wait a few seconds before "
                             "asking for another.")
CODE_TOO_MANY = gettext_noop("Too many codes have been asked for. Please wait 15 minutes before "
                             "asking for another. If this keeps happening, contact your "
                             "practice.")
# allauth rate limits (ACCOUNT_RATE_LIMITS) on sending codes, beside each device's cool-down:
# per address, per account and per destination; and per session.
SEND_LIMIT = "code_send"
SEND_LIMIT_PER_SESSION = "code_send_session"


def code_send(*, device: OneTimeCodeDevice, request: HttpRequest, bind: str = "") -> CodeSent:
    """Send a fresh code, unless the device's cool-down is still running or a code-send rate
    limit is reached. Every code the portal sends comes through here (SMS and email pumping).
    ``bind`` ties it to one sign-in attempt (see OneTimeCodeDevice.new_code)."""
    allowed, _ = device.generate_is_allowed()
    if not allowed:
        return CodeSent.TOO_SOON
    if not _send_limits_consume(request=request, device=device):
        return CodeSent.TOO_MANY
    code = device.new_code(bind=bind)
    context: dict[str, Any] = {"code": code, "minutes": 10}
    # The person is on the page that asked for it: their saved language, else that page's.
    language = asked_language([device.user])
    if device.channel == Channel.EMAIL:
        outbox_email(to=device.destination, template="verification-code", context=context,
                     language=language)
    else:
        outbox_text(to=device.destination, template="verification-code", context=context,
                    language=language)
    audit_record(action=AuditAction.CODE_SENT, request=request, actor=device.user,
                 extra={"channel": device.channel})
    return CodeSent.SENT


def _send_limits_consume(*, request: HttpRequest, device: OneTimeCodeDevice) -> bool:
    if request.session.session_key is None:
        request.session.save()  # a key to count this browser's sends by
    limits: list[dict[str, Any]] = [
        {"action": SEND_LIMIT, "user": device.user, "key": device.destination.lower()},
        {"action": SEND_LIMIT_PER_SESSION, "key": request.session.session_key},
    ]
    # All checked before any is counted: a refusal by one limit spends nothing of the others.
    if not all(rate_limit_consume(request, dry_run=True, **limit) for limit in limits):
        return False
    return all(rate_limit_consume(request, **limit) for limit in limits)


@transaction.atomic
def account_activate(
    *, user: User, device: OneTimeCodeDevice, request: HttpRequest | None = None
) -> None:
    """The first code was right: the account works, and the method it came by is verified.
    An email address given besides a code by text gets its own confirmation link (SPEC E8)."""
    user.is_active = True
    user.save(update_fields=["is_active"])
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    if user.email:
        address, _ = EmailAddress.objects.update_or_create(
            user=user, email=user.email,
            defaults={"primary": True, "verified": device.channel == Channel.EMAIL},
        )
        if not address.verified and request is not None:
            address.send_confirmation(request)
