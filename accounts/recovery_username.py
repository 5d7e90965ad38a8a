"""Forgot username? (SPEC A2): the username(s) go to the address typed, if it belongs to them.

Like every recovery page, it must not tell a stranger whether an account exists: an unknown
address goes down the same code path as a known one, does comparable work, and ends on the same
page.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.template.loader import render_to_string

from accounts.models import PortalAccess, Relationship
from portal.audit import audit_record
from portal.models import AuditAction
from portal.outbox import outbox_email_rendered

if TYPE_CHECKING:
    from django.http import HttpRequest


def username_reminder_send(
    *,
    email: str,
    last_name: str = "",
    date_of_birth: datetime.date | None = None,
    request: HttpRequest | None = None,
) -> None:
    """Email the username(s) that go with ``email``: the accounts that verified it, and (given
    a last name and date of birth) the self-access accounts of the charts that have it as their
    notification email. Nothing is sent when nothing matches, but the message is rendered all
    the same, so a miss takes about as long as a hit."""
    addresses = [(a.email, a.user) for a in EmailAddress.objects.filter(
        email__iexact=email.strip(), verified=True, user__is_active=True).select_related("user")]
    if last_name and date_of_birth:
        addresses += [(access.patient.notification_email, access.user) for access in
                      _self_accesses_of_charts(email, last_name, date_of_birth)]
    # Every match is the typed address in some case: send to the address as it was stored.
    to = addresses[0][0] if addresses else ""
    found = sorted({user.pk: user for _, user in addresses}.values(),
                   key=lambda user: user.username.casefold())
    _email_if_found(to=to, template="username-reminder",
                    context={"usernames": [user.username for user in found] or ["—"]})
    for user in found:
        audit_record(action=AuditAction.USERNAME_REMINDER_SENT, request=request,
                     subject_user=user)
    if not found:
        audit_record(action=AuditAction.USERNAME_REMINDER_UNMATCHED, request=request)


def _self_accesses_of_charts(email: str, last_name: str,
                             born: datetime.date) -> list[PortalAccess]:
    return list(PortalAccess.objects.current().filter(
        relationship=Relationship.SELF, user__is_active=True,
        patient__notification_email__iexact=email.strip(),
        patient__last_name__iexact=last_name.strip(), patient__date_of_birth=born,
    ).select_related("user", "patient"))


def _email_if_found(*, to: str, template: str, context: dict[str, Any]) -> None:
    ctx = {"site_url": settings.SITE_URL, **context}
    subject = render_to_string(f"emails/{template}-subject.txt", ctx)
    body_text = render_to_string(f"emails/{template}-body.txt", ctx)
    body_html = render_to_string(f"emails/{template}-body.html", ctx)
    if to:
        outbox_email_rendered(to=to, template=template, subject=subject, body_text=body_text,
                              body_html=body_html)
