"""Forgot username? (SPEC A2): the username(s) go to the address typed, if it belongs to them.

Like every recovery page, it must not tell a stranger whether an account exists, by its answer
or by its timing. The request runs the same queries whatever matches and hands the rest — the
message, the outbox row, the audit events — to one Celery task after commit, for a hit and a miss
alike: ``username_reminder_request`` runs in the request, ``username_reminder_send`` in the task.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from allauth.account.models import EmailAddress
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from accounts.languages import asked_language, page_language
from accounts.models import PortalAccess, Relationship, User
from portal.audit import audit_record, client_ip
from portal.models import AuditAction
from portal.outbox import outbox_email_rendered

if TYPE_CHECKING:
    from django.http import HttpRequest

TEMPLATE = "username-reminder"


def username_reminder_request(
    *,
    email: str,
    last_name: str = "",
    date_of_birth: datetime.date | None = None,
    request: HttpRequest | None = None,
) -> None:
    """Find the username(s) that go with ``email``: the accounts that verified it, and (given
    a last name and date of birth) the self-access accounts of the charts that have it as their
    notification email; the task emails them. What was typed stays here: the task is handed the
    accounts' ids and the address on file (empty when nothing matched)."""
    addresses = [(a.email, a.user) for a in EmailAddress.objects.filter(
        email__iexact=email.strip(), verified=True, user__is_active=True).select_related("user")]
    if last_name and date_of_birth:
        addresses += [(access.patient.notification_email, access.user) for access in
                      _self_accesses_of_charts(email, last_name, date_of_birth)]
    from accounts.tasks import queue_after_commit, send_username_reminder

    # Every match is the typed address in some case: send to the address as it was stored.
    queue_after_commit(
        send_username_reminder,
        to=addresses[0][0] if addresses else "",
        user_ids=sorted({user.pk for _, user in addresses}),
        ip_address=client_ip(request),
        language=page_language(),
    )


def username_reminder_send(
    *, to: str, user_ids: list[int], ip_address: str | None, language: str | None = None
) -> None:
    """Email the usernames of ``user_ids`` to ``to`` and record it; with nothing matched, only
    record that. In the accounts' saved language, else ``language``: that of the page it was
    asked for on."""
    found = sorted(User.objects.filter(pk__in=user_ids, is_active=True),
                   key=lambda user: user.username.casefold())
    if not (to and found):
        audit_record(action=AuditAction.USERNAME_REMINDER_UNMATCHED, ip_address=ip_address)
        return
    ctx = {"site_url": settings.SITE_URL, "usernames": [user.username for user in found]}
    with translation.override(asked_language(found, language)):
        outbox_email_rendered(
            to=to, template=TEMPLATE,
            subject=render_to_string(f"emails/{TEMPLATE}-subject.txt", ctx),
            body_text=render_to_string(f"emails/{TEMPLATE}-body.txt", ctx),
            body_html=render_to_string(f"emails/{TEMPLATE}-body.html", ctx),
        )
    for user in found:
        audit_record(action=AuditAction.USERNAME_REMINDER_SENT, subject_user=user,
                     ip_address=ip_address)


def _self_accesses_of_charts(email: str, last_name: str,
                             born: datetime.date) -> list[PortalAccess]:
    return list(PortalAccess.objects.current().filter(
        relationship=Relationship.SELF, user__is_active=True,
        patient__notification_email__iexact=email.strip(),
        patient__last_name__iexact=last_name.strip(), patient__date_of_birth=born,
    ).select_related("user", "patient"))
