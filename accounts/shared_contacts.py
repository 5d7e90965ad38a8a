"""Email addresses and mobile numbers that several people hold (SPEC E8, P3: a family may share
one email address, and often one phone).

A code sent to such a contact proves that someone in the household read it, not who. So
"Create a new account" links a chart by itself only on a contact nobody else holds (the
enrollment app asks ``contact_shared``), and when a minor's own account shares one with a
guardian, staff are told: the guardian receives that account's codes, reminders and resets.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from allauth.account.models import EmailAddress
from django.http import HttpRequest

from accounts.devices import OneTimeCodeDevice
from accounts.models import PortalAccess, Relationship, User
from accounts.proxy_rules import is_adult
from portal.audit import audit_record
from portal.models import AuditAction, Channel, PatientChart


def contact_shared(*, chart: PatientChart, user: User, channel: str, destination: str) -> bool:
    """Whether ``destination`` (an email address, or a mobile number in E.164) belongs to
    someone besides ``chart`` and ``user``: another chart of the practice has it as its
    notification email or mobile, or another account has it as its email, a verified address
    or a way to receive codes. Email addresses are compared case aside. An account that was
    started but never activated holds nothing yet: it proved no contact (and is retired a day
    later), and counting it would send someone who tried twice to the queue."""
    destination = destination.strip()
    if not destination:
        return False
    other_charts = PatientChart.objects.filter(practice_id=chart.practice_id).exclude(pk=chart.pk)
    others = User.objects.exclude(pk=user.pk).exclude(is_active=False, last_login__isnull=True)
    other_devices = OneTimeCodeDevice.objects.filter(user__in=others)
    if channel == Channel.SMS:
        return (other_charts.filter(mobile_phone=destination).exists()
                or other_devices.filter(channel=Channel.SMS, destination=destination).exists())
    return (other_charts.filter(notification_email__iexact=destination).exists()
            or others.filter(email__iexact=destination).exists()
            or EmailAddress.objects.filter(user__in=others, email__iexact=destination,
                                           verified=True).exists()
            or other_devices.filter(channel=Channel.EMAIL,
                                    destination__iexact=destination).exists())


def _contacts_of(users: Iterable[User]) -> dict[int, set[str]]:
    """Every email address and mobile number each of ``users`` has on record (in lower case):
    the account's email, its addresses, where it receives codes."""
    users = list(users)
    contacts: dict[int, set[str]] = defaultdict(set)
    for user in users:
        if user.email:
            contacts[user.pk].add(user.email.strip().lower())
    ids = [user.pk for user in users]
    rows = [*EmailAddress.objects.filter(user_id__in=ids).values_list("user_id", "email"),
            *OneTimeCodeDevice.objects.filter(user_id__in=ids, channel__in=Channel.values)
            .values_list("user_id", "destination")]
    for user_id, contact in rows:
        if contact:
            contacts[user_id].add(contact.strip().lower())
    return contacts


def guardians_sharing_contact(*, patient: PatientChart, users: list[User]
                              ) -> dict[User, list[User]]:
    """For a minor ``patient``: each of ``users`` (their own accounts) that shares an email
    address or mobile number with a guardian of the patient, with those guardians. Empty for an
    adult, whose guardians no longer act for them."""
    if not users or is_adult(patient):
        return {}
    guardians = [access.user for access in PortalAccess.objects.current()
                 .filter(patient=patient, relationship=Relationship.GUARDIAN)
                 .exclude(user__in=users).select_related("user").order_by("user__username")]
    if not guardians:
        return {}
    contacts = _contacts_of([*users, *guardians])
    shared = {user: [g for g in guardians if contacts[user.pk] & contacts[g.pk]]
              for user in users}
    return {user: found for user, found in shared.items() if found}


def own_accounts_sharing_guardian_contact(*, patient: PatientChart) -> dict[User, list[User]]:
    """The staff console's warning on a minor's chart: their own accounts (in force now) that
    share an email address or mobile number with a guardian, with those guardians."""
    own = [access.user for access in PortalAccess.objects.current()
           .filter(patient=patient, relationship=Relationship.SELF).select_related("user")
           .order_by("user__username")]
    return guardians_sharing_contact(patient=patient, users=own)


def own_access_contact_check(*, access: PortalAccess, actor: User | None,
                             request: HttpRequest | None = None) -> list[User]:
    """A minor's own access has just been given: when the account shares an email address or
    mobile number with a guardian, record it, so that the practice can check who holds the
    account (the chart's page in the console says so for as long as it is true). Returns those
    guardians."""
    guardians = guardians_sharing_contact(patient=access.patient,
                                          users=[access.user]).get(access.user, [])
    if guardians:
        audit_record(action=AuditAction.MINOR_SHARES_GUARDIAN_CONTACT, request=request,
                     actor=actor, subject_user=access.user, patient=access.patient, obj=access,
                     extra={"guardians": [g.username for g in guardians]})
    return guardians
