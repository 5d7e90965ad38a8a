"""Security notices (SPEC A4, issue item 8): a short message, with no health details, to the
account's verified channel whenever something about its security changes."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from accounts.devices import OneTimeCodeDevice
from accounts.languages import user_language
from accounts.models import User
from portal.models import Channel
from portal.outbox import outbox_email, outbox_text

# Lazy: each notice is rendered in its recipient's language (portal.outbox).
EVENTS: dict[str, StrOrPromise] = {
    "password_changed": _("Your password was changed."),
    "username_changed": _("Your username was changed."),
    "email_changed": _("The email address of your account was changed."),
    "mobile_changed": _("The mobile number of your account was changed."),
    "method_added": _("A new way to receive sign-in codes was added to your account."),
    "method_removed": _("A way to receive sign-in codes was removed from your account."),
    "security_questions_changed": _("Your security questions were changed."),
}


def verified_email(user: User) -> str | None:
    """The address to write to about the account: its verified one, the primary first."""
    address: str | None = (
        EmailAddress.objects.filter(user=user, verified=True)
        .order_by("-primary", "pk").values_list("email", flat=True).first()
    )
    return address


def security_notice_send(
    *, user: User, event: str, to_email: str | None = None, request: HttpRequest | None = None
) -> bool:
    """Tell the person by their verified email, else by a confirmed mobile number. Returns
    whether anything could be sent. ``to_email`` overrides the address (the old one, when the
    address itself changed)."""
    context = {"what": EVENTS[event], "username": user.username}
    email = to_email or verified_email(user)
    if email:
        outbox_email(to=email, template="security-notice", context=context,
                     language=user_language(user))
        return True
    mobile = OneTimeCodeDevice.objects.filter(user=user, channel=Channel.SMS, confirmed=True)
    device = mobile.first()
    if device is not None:
        outbox_text(to=device.destination, template="security-notice", context=context,
                    language=user_language(user))
        return True
    return False


def account_email_send(*, user: User, template: str, context: dict[str, Any]) -> bool:
    """Email ``user`` at their verified address, if they have one (a notice about the account:
    it never names a patient), in their language. Returns whether it could be sent."""
    address = verified_email(user)
    if not address:
        return False
    outbox_email(to=address, template=template, context=context, language=user_language(user))
    return True
