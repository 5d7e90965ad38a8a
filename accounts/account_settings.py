"""Account Settings (SPEC A4): each change is one function that saves, audits and tells the
person through their verified channel."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db import transaction
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.authenticator_setup import PendingAuthenticator
from accounts.devices import OneTimeCodeDevice
from accounts.models import SecurityAnswer, User
from accounts.notices import security_notice_send
from accounts.security_questions import hash_answer
from accounts.services import CodeSent, code_send, pending_device_put
from portal.audit import audit_record
from portal.models import AuditAction, Channel


class LastMethodError(Exception):
    """Removing this method would leave no way to receive sign-in codes."""


@transaction.atomic
def username_change(*, user: User, username: str, request: HttpRequest) -> None:
    old = user.username
    user.username = username
    user.save(update_fields=["username"])
    audit_record(action=AuditAction.USERNAME_CHANGED, request=request, actor=user,
                 extra={"old": old})
    security_notice_send(user=user, event="username_changed", request=request)


@transaction.atomic
def security_questions_change(
    *, user: User, questions: list[tuple[str, str]], request: HttpRequest
) -> None:
    user.security_answers.all().delete()
    SecurityAnswer.objects.bulk_create(
        SecurityAnswer(user=user, question=q, answer_hash=hash_answer(a)) for q, a in questions
    )
    audit_record(action=AuditAction.SECURITY_QUESTIONS_CHANGED, request=request, actor=user)
    security_notice_send(user=user, event="security_questions_changed", request=request)


@transaction.atomic
def email_change_request(*, user: User, email: str, request: HttpRequest) -> EmailAddress:
    """The new address gets a confirmation link; nothing changes until it is followed.

    Only Account Settings calls this, behind reauthentication. Besides the address it leaves
    the change pending as an unconfirmed email code device for the new address: the one mark
    that lets the link move the account's email and its sign-in codes (``email_confirmed``).
    An address that reached the account any other way moves nothing when confirmed."""
    EmailAddress.objects.filter(user=user, verified=False).exclude(email__iexact=email).delete()
    OneTimeCodeDevice.objects.filter(user=user, channel=Channel.EMAIL, confirmed=False).delete()
    OneTimeCodeDevice.objects.create(user=user, name=Channel.EMAIL, channel=Channel.EMAIL,
                                     destination=email, confirmed=False)
    address, _ = EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": False, "primary": False})
    address.send_confirmation(request)
    audit_record(action=AuditAction.EMAIL_CHANGE_REQUESTED, request=request, actor=user)
    return address


@transaction.atomic
def email_confirmed(*, address: EmailAddress, request: HttpRequest | None) -> bool:
    """A confirmation link was followed. Returns whether the address was confirmed.

    The address given at enrollment is simply verified. An address asked for in Account
    Settings becomes the account's: sign-in codes by email go to it, the old address (or, if
    none was ever confirmed, the verified mobile) is told, and so is the new one. Any other
    address changes nothing."""
    user = address.user
    pending = OneTimeCodeDevice.objects.filter(
        user=user, channel=Channel.EMAIL, confirmed=False, destination__iexact=address.email)
    if not pending.exists():
        if not (address.primary and address.email.lower() == user.email.lower()):
            return False
        address.verified = True
        address.save(update_fields=["verified"])
        return True
    # Told before the change, so that the notice reaches the account's current channel.
    security_notice_send(user=user, event="email_changed", request=request)
    EmailAddress.objects.filter(user=user).exclude(pk=address.pk).delete()
    address.verified = True
    address.primary = True
    address.save(update_fields=["verified", "primary"])
    user.email = address.email
    user.save(update_fields=["email"])
    # A code already sent to the old address stops working.
    OneTimeCodeDevice.objects.filter(user=user, channel=Channel.EMAIL, confirmed=True).update(
        destination=address.email, code_hash="", valid_until=None)
    pending.delete()
    audit_record(action=AuditAction.EMAIL_CHANGED, request=request, actor=user)
    security_notice_send(user=user, event="email_changed", to_email=address.email,
                         request=request)
    return True


def mobile_start(
    *, user: User, number: str, request: HttpRequest
) -> tuple[OneTimeCodeDevice, CodeSent]:
    """Send a code to a new mobile number; it counts once the code is typed back. A number
    typed after another replaces it on the same pending device, cool-down included."""
    device = pending_device_put(user=user, channel=Channel.SMS, destination=number)
    return device, code_send(device=device, request=request)


@transaction.atomic
def mobile_confirm(*, device: OneTimeCodeDevice, request: HttpRequest) -> None:
    user = device.user
    had_one = OneTimeCodeDevice.objects.filter(user=user, channel=Channel.SMS, confirmed=True)
    replaced = had_one.exists()
    had_one.delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(action=AuditAction.METHOD_ADDED, request=request, actor=user,
                 extra={"method": "sms"})
    security_notice_send(user=user, event="mobile_changed" if replaced else "method_added",
                         request=request)


@transaction.atomic
def totp_add(*, pending: PendingAuthenticator, request: HttpRequest) -> TOTPDevice:
    """The first right code from the app being set up: only now is its device stored, confirmed.
    (Unconfirmed ones that earlier versions made on opening the page go.)"""
    device = pending.confirmed_device()
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    device.save()
    pending.forget()
    audit_record(action=AuditAction.METHOD_ADDED, request=request, actor=device.user,
                 extra={"method": "totp"})
    security_notice_send(user=device.user, event="method_added", request=request)
    return device


@transaction.atomic
def method_remove(*, user: User, key: str, request: HttpRequest) -> None:
    """Remove a way of receiving codes ("code:<id>" or "totp:<id>"); one must remain."""
    from accounts.login_code import methods_for

    methods = methods_for(user)
    method = next((m for m in methods if m.key == key), None)
    if method is None:
        return
    if len(methods) == 1:
        raise LastMethodError
    method.device.delete()
    audit_record(action=AuditAction.METHOD_REMOVED, request=request, actor=user,
                 extra={"method": key.split(":")[0]})
    security_notice_send(user=user, event="method_removed", request=request)


@transaction.atomic
def password_change_record(
    *, user: User, request: HttpRequest, where: str, by: User | None = None
) -> None:
    """A password was changed — on the portal's Change password page (allauth's, which sets it)
    or in the staff console (``where``) — audit it and tell the person. ``by``: a superuser
    who set someone else's in the console."""
    someone_else = by is not None and by.pk != user.pk
    audit_record(action=AuditAction.PASSWORD_CHANGED, request=request,
                 actor=by if someone_else else user,
                 subject_user=user if someone_else else None, extra={"where": where})
    security_notice_send(user=user, event="password_changed", request=request)


def confirmed_mobile(user: User) -> OneTimeCodeDevice | None:
    """The account's verified mobile number (a confirmed way to receive codes by text)."""
    device: OneTimeCodeDevice | None = OneTimeCodeDevice.objects.filter(
        user=user, channel=Channel.SMS, confirmed=True).order_by("pk").first()
    return device


def notification_preferences_save(
    *, user: User, by_email: bool, by_text: bool, request: HttpRequest
) -> None:
    """Texts only go to a verified mobile number: without one, "by text" stays off."""
    user.notify_by_email = by_email
    user.notify_by_text = by_text and confirmed_mobile(user) is not None
    user.save(update_fields=["notify_by_email", "notify_by_text"])
    audit_record(action=AuditAction.PREFERENCES_CHANGED, request=request, actor=user)
