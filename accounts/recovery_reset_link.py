"""Forgot password? by email link (SPEC A3a): allauth's view and form, taking an email or a
username. This decides where links go for what was typed; sending them — allauth's token and
email, the outbox row, the audit events — runs in one Celery task after commit, for a hit and a
miss alike, so the request does the same work (and takes as long) whether or not an account
matched. Whatever was typed, the page that follows is the same.
"""

from __future__ import annotations

from allauth.account.forms import ResetPasswordForm
from allauth.account.models import EmailAddress
from django.utils import translation

from accounts.languages import asked_language
from accounts.models import User
from accounts.password_policy import username_canonical
from portal.audit import audit_record
from portal.models import AuditAction


def password_reset_recipients(*, login: str) -> dict[str, list[User]]:
    """Where "Forgot password?" sends reset links for what was typed in "Email or Username":
    a verified address (one link per account on it, as families share addresses), or a
    username's primary verified address. Unverified addresses get nothing: anyone could have
    typed them in. The same two queries whatever matches."""
    typed = login.strip()
    recipients: dict[str, list[User]] = {}
    for address in EmailAddress.objects.filter(email__iexact=typed, verified=True,
                                               user__is_active=True).select_related("user"):
        recipients.setdefault(address.email, []).append(address.user)
    address = (EmailAddress.objects.filter(user__username_canonical=username_canonical(typed),
                                           user__is_active=True, verified=True)
               .select_related("user").order_by("-primary", "pk").first())
    if address is not None and address.user not in recipients.get(address.email, []):
        recipients.setdefault(address.email, []).append(address.user)
    return recipients


def password_reset_links_send(
    *, recipients: dict[str, list[int]], ip_address: str | None, language: str | None = None
) -> None:
    """In the task: a link to each address for each of its accounts (``recipients``: address ->
    user ids), made and emailed by allauth's own form, and the audit events; with nothing
    matched, only the audit event. Each email is in its account's saved language, else in
    ``language``, that of the page the links were asked for on."""
    users = User.objects.filter(is_active=True).in_bulk(
        [pk for pks in recipients.values() for pk in pks])
    sent: list[User] = []
    for address, pks in recipients.items():
        for user in (users[pk] for pk in pks if pk in users):
            form = ResetPasswordForm()
            form.cleaned_data = {"email": address}
            form.users = [user]
            # allauth's public entry point: a token per user, its email through the adapter.
            with translation.override(asked_language([user], language)):
                form.save(request=None)
            sent.append(user)
    for user in sent:
        audit_record(action=AuditAction.PASSWORD_RESET_REQUESTED, subject_user=user,
                     ip_address=ip_address)
    if not sent:
        audit_record(action=AuditAction.PASSWORD_RESET_REQUESTED, extra={"matched": False},
                     ip_address=ip_address)
