from __future__ import annotations

from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import reverse

from portal.outbox import outbox_email_rendered


class PortalAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: Any) -> bool:
        # Accounts are created only through the enrollment flows, which tie a login to a chart.
        return False

    def get_login_stages(self) -> list[str]:
        # After the password: the one-time code (SPEC A1).
        return [*super().get_login_stages(), "accounts.login_code.OneTimeCodeStage"]

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's emails go through the outbox like every other message, with links built
        from SITE_URL rather than from the request's Host header."""
        ctx = {
            "email": email,
            "current_site": SimpleNamespace(name="the patient portal",
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

    def get_email_confirmation_url(self, request: Any, emailconfirmation: Any) -> str:
        return settings.SITE_URL + reverse("account_confirm_email",
                                           args=[emailconfirmation.key])
