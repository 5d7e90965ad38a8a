from __future__ import annotations

from types import SimpleNamespace
from typing import Any
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.allauth_internals import LoginFailedKey
from accounts.languages import language_keep_at_sign_in
from accounts.password_policy import username_canonical
from accounts.public_practice import public_name
from portal.audit import client_ip
from portal.outbox import outbox_email_rendered

# allauth's messages in the portal's words (the ones its pages can show here).
ERROR_MESSAGES = {
    "account_inactive": _("This account can't be used to sign in right now. Please contact "
                          "your practice."),
    "enter_current_password": _("Please type your current password."),
    "incorrect_password": _("That password is not right. Please try again."),
    "invalid_password_reset": _("This link to reset your password can no longer be used."),
    "same_as_current": _("The new value must be different from the current one."),
    "too_many_login_attempts": _("Too many failed login attempts. Please wait a few minutes "
                                 "before trying again, or use “Forgot username or "
                                 "password?”."),
    "username_password_mismatch": _("The username or password is not correct. Check them and "
                                    "try again."),
    "rate_limited": _("Too many attempts. Please wait a few minutes and try again."),
}


class PortalAccountAdapter(LoginFailedKey):
    error_messages = {**LoginFailedKey.error_messages, **ERROR_MESSAGES}

    def login_failed_key(self, login: str) -> str:
        """The account the failed sign-in limit counts against: its canonical username, however
        it was typed (case, width, the long s), never anything else the request says about
        itself (the Host header). A username without an account locks the same way."""
        return "account:" + username_canonical(login.strip())

    def get_client_ip(self, request: HttpRequest) -> str:
        # The address every limit "per address" counts: the audit trail's, so that the two
        # agree and USE_X_FORWARDED_FOR decides for both (behind a proxy, the client's).
        ip = client_ip(request)
        if ip is None:
            raise PermissionDenied("Unable to determine client IP address")
        return ip

    def is_open_for_signup(self, request: Any) -> bool:
        # Accounts are created only through the enrollment flows, which tie a login to a chart.
        return False

    def login(self, request: HttpRequest, user: Any) -> None:
        """Sign in, then keep a language chosen on the sign-in page when the account has none."""
        super().login(request, user)
        language_keep_at_sign_in(user=user, request=request)

    def get_login_stages(self) -> list[str]:
        # After the password: the one-time code (SPEC A1).
        return [*super().get_login_stages(), "accounts.login_code.OneTimeCodeStage"]

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """allauth's emails go through the outbox like every other message, with links built
        from SITE_URL rather than from the request's Host header."""
        ctx = {
            "email": email,
            "current_site": SimpleNamespace(name=public_name(),
                                            domain=urlsplit(settings.SITE_URL).netloc),
            **context,
        }
        message = self.render_mail(template_prefix, email, ctx)
        html = next((body for body, kind in getattr(message, "alternatives", [])
                     if kind == "text/html"), "")
        outbox_email_rendered(
            to=email, template=template_prefix.rsplit("/", 1)[-1], subject=message.subject,
            body_text=message.body, body_html=html,
        )

    def send_notification_mail(self, template_prefix: str, user: Any,
                               context: dict[str, Any] | None = None,
                               email: str | None = None) -> None:
        """None of allauth's security emails: each change they announce (a password changed,
        set or reset) gets the portal's own notice (accounts.notices), in the person's
        language and tone, by text when the account has no email, once. allauth's carry the
        browser's whole user-agent string, and would be a second email for the same change."""
        return

    def confirm_email(self, request: Any, email_address: Any) -> bool:
        """A confirmation link was followed: the address given at enrollment, or one asked for
        in Account Settings, becomes the account's own; any other is refused."""
        from accounts.account_settings import email_confirmed

        if email_confirmed(address=email_address, request=request):
            return True
        messages.error(request, gettext("This confirmation link can no longer be used. Sign in "
                                        "and ask for a new one in Account Settings."))
        return False

    def get_email_confirmation_url(self, request: Any, emailconfirmation: Any) -> str:
        return settings.SITE_URL + reverse("account_confirm_email",
                                           args=[emailconfirmation.key])

    def get_reset_password_from_key_url(self, key: str) -> str:
        # The "Forgot password?" link too is built from SITE_URL, not from the Host header.
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return settings.SITE_URL + path.replace("UID-KEY", quote(key))
