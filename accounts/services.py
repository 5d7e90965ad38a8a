"""Creating an account and proving its contact methods: shared by every enrollment path."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from django.db import transaction
from django.http import HttpRequest

from accounts.devices import OneTimeCodeDevice
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
    OneTimeCodeDevice.objects.filter(user=user, confirmed=False).delete()
    device = OneTimeCodeDevice.objects.create(
        user=user, name=details.code_channel, channel=details.code_channel,
        destination=details.code_destination, confirmed=False,
    )
    # A mobile number given besides an email is kept as a second method, verified later.
    if details.mobile_phone and details.code_channel == Channel.EMAIL:
        OneTimeCodeDevice.objects.create(user=user, name=Channel.SMS, channel=Channel.SMS,
                                         destination=details.mobile_phone, confirmed=False)
    return user, device


def code_send(
    *, device: OneTimeCodeDevice, request: HttpRequest | None = None, bind: str = ""
) -> bool:
    """Send a fresh code unless the cool-down is still running. Returns whether one was sent.
    ``bind`` ties it to one sign-in attempt (see OneTimeCodeDevice.new_code)."""
    allowed, _ = device.generate_is_allowed()
    if not allowed:
        return False
    code = device.new_code(bind=bind)
    context: dict[str, Any] = {"code": code, "minutes": 10}
    if device.channel == Channel.EMAIL:
        outbox_email(to=device.destination, template="verification-code", context=context)
    else:
        outbox_text(to=device.destination, template="verification-code", context=context)
    audit_record(action=AuditAction.CODE_SENT, request=request, actor=device.user,
                 extra={"channel": device.channel})
    return True


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
