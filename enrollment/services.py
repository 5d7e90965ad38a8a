"""Enrollment: issuing invitations, checking identity, creating the account (SPEC E1, E2, E4).

Views, admin actions and commands call these; none of them touch the models directly. Every
invitation — from the chart, the Enable Portal Access wizard, the request queue,
self-registration, the patient's Representatives page and the age-out sweep — is issued and sent
by ``invitation_issue_and_send``, so the rules of E10 hold whichever way someone is invited.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from phonenumber_field.phonenumber import PhoneNumber, to_python

from accounts.access_changes import portal_access_grant
from accounts.devices import OneTimeCodeDevice
from accounts.languages import practice_language
from accounts.models import PortalAccess, Relationship, Right, User
from accounts.notices import account_email_send
from accounts.password_policy import username_canonical
from accounts.proxies import may_manage_representatives
from accounts.services import (
    CodeSent,
    SecurityDetails,
    account_activate,
    code_send,
    pending_account_save,
)
from enrollment.models import (
    IDENTITY_ATTEMPTS_ALLOWED,
    Invitation,
    InvitationGrant,
    InvitationKind,
)
from portal import tokens
from portal.audit import audit_record
from portal.hashing import secret_digest
from portal.models import AuditAction, Channel, PatientChart, PortalStatus, Practice
from portal.outbox import outbox_email, outbox_text


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    secret: str  # the token, link key or temporary password: shown or sent once, never stored
    temporary_username: str = ""


class InvitationRefused(Exception):
    """An invitation that must not be issued; the message says why, in words staff can act on."""


# Sent by email and text; the other kinds are printed or read out by staff.
SENT_KINDS = frozenset({InvitationKind.LINK, InvitationKind.SELF_REGISTRATION})


def _lifetime(practice: Practice, kind: InvitationKind) -> datetime.timedelta:
    days = {
        InvitationKind.TOKEN: practice.enrollment_token_days,
        InvitationKind.LINK: practice.invitation_email_days,
        InvitationKind.SELF_REGISTRATION: practice.invitation_email_days,
        InvitationKind.TEMPORARY_PASSWORD: practice.invitation_print_days,
    }[kind]
    return datetime.timedelta(days=days)


def _e164(number: str | PhoneNumber | None) -> str:
    """A mobile number as E.164, or "". Never str(): that is the national format, which loses
    the country code of a number from abroad."""
    parsed = to_python(number) if number else None
    return parsed.as_e164 if isinstance(parsed, PhoneNumber) and parsed.is_valid() else ""


def patient_has_own_account(*, patient: PatientChart,
                            now: datetime.datetime | None = None) -> bool:
    """Whether a portal account opens ``patient`` as their own (active or unenrolled)."""
    return PortalAccess.objects.current(now).filter(patient=patient,
                                                    relationship=Relationship.SELF).exists()


def same_invitee(*, relationship: str, email: str, first_name: str, last_name: str
                 ) -> tuple[str, str, str] | None:
    """Who an invitation is for, as the rule "a new one ends the earlier ones" sees it: None
    for the patient themself (every self invitation of the chart is theirs), otherwise the
    email address and the names, case aside — two guardians may share a family address, and
    a corrected relationship is still the same person."""
    if relationship == Relationship.SELF:
        return None
    return (email.strip().lower(), first_name.strip().lower(), last_name.strip().lower())


def _earlier_revoke(*, practice: Practice, patient: PatientChart | None, relationship: str,
                    email: str, first_name: str, last_name: str, created_by: User | None,
                    request: HttpRequest | None, now: datetime.datetime) -> None:
    """End every open invitation of the same person to the same chart, whatever its kind:
    printed credentials, a token and a link are all ways into the same access (SPEC E10)."""
    earlier = Invitation.objects.select_for_update(of=("self",)).filter(
        practice=practice, patient=patient, used_at__isnull=True, revoked_at__isnull=True)
    if patient is not None and relationship == Relationship.SELF:
        earlier = earlier.filter(relationship=Relationship.SELF)
    else:
        if patient is not None:
            earlier = earlier.exclude(relationship=Relationship.SELF)
        earlier = earlier.filter(email__iexact=email.strip(),
                                 first_name__iexact=first_name.strip(),
                                 last_name__iexact=last_name.strip())
    for old in earlier:
        old.revoked_at = now
        old.save(update_fields=["revoked_at"])
        audit_record(action=AuditAction.INVITATION_REVOKED, request=request, actor=created_by,
                     patient=patient, practice=practice, obj=old, extra={"kind": old.kind})


def _new_secret(kind: str) -> tuple[str, str]:
    """(temporary username or "", secret) for an invitation of ``kind``."""
    if kind == InvitationKind.TOKEN:
        return "", tokens.new_token()
    if kind in SENT_KINDS:
        return "", tokens.new_link_key()
    return tokens.new_temporary_credentials()


@transaction.atomic
def invitation_issue_and_send(
    *,
    kind: InvitationKind,
    patient: PatientChart | None,
    created_by: User | None,
    practice: Practice | None = None,
    request: HttpRequest | None = None,
    relationship: Relationship | str = Relationship.SELF,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    mobile_phone: str | PhoneNumber | None = "",
    rights: Sequence[str] | None = None,
    access_ends_at: datetime.datetime | None = None,
    grants: Sequence[tuple[PatientChart, str]] = (),
    template: str = "invitation",
) -> IssuedInvitation:
    """Issue an invitation and, for a link, send it — the one way every screen, sweep and
    command invites someone (SPEC E1, E2, E4, E5, E9, E10, P1, P7).

    In one transaction: every earlier open invitation of the same person to the same chart
    stops working; the invitation is written with the access it will give (``rights``, all
    areas when None; ``access_ends_at``; proxy ``grants`` to related charts of the practice);
    the chart of a patient invited for themself becomes "invited"; and a link goes by email
    and, when a mobile number is known, by text, through the outbox — delivered only once the
    transaction commits. Tokens and temporary passwords are returned for staff to print.
    ``patient`` is None only for self-registration, which names the ``practice`` instead.
    ``template`` names the email (an approval or a self-registration says more).

    Raises InvitationRefused when the patient already has an account of their own, or when
    a link has nowhere to go.
    """
    practice = patient.practice if patient is not None else practice
    if practice is None:
        raise ValueError("an invitation needs a chart or, for self-registration, a practice")
    relationship = Relationship(relationship)
    mobile = _e164(mobile_phone)
    # The patient's own chart, when the invitation is for the patient themself.
    own_chart = patient if relationship == Relationship.SELF else None
    if own_chart is not None and patient_has_own_account(patient=own_chart):
        raise InvitationRefused(_(
            "%(name)s already has a portal account. If they cannot sign in, issue a password "
            "reset token; if it was unenrolled, re-activate it.") % {"name": own_chart.full_name})
    if kind in SENT_KINDS and not (email or mobile):
        raise InvitationRefused(_("Add a notification email or a mobile number before sending "
                                  "an invitation."))
    if own_chart is not None:
        first_name = first_name or own_chart.first_name
        last_name = last_name or own_chart.last_name
    now = timezone.now()
    _earlier_revoke(practice=practice, patient=patient, relationship=relationship, email=email,
                    first_name=first_name, last_name=last_name, created_by=created_by,
                    request=request, now=now)
    temporary_username, secret = _new_secret(kind)
    invitation = Invitation.objects.create(
        practice=practice, patient=patient, kind=kind, relationship=relationship,
        first_name=first_name, last_name=last_name, email=email, mobile_phone=mobile,
        rights=sorted(Right(r).value for r in rights) if rights is not None else None,
        access_ends_at=access_ends_at, secret_hash=secret_digest(secret),
        temporary_username=temporary_username or None, created_by=created_by,
        expires_at=now + _lifetime(practice, InvitationKind(kind)),
    )
    InvitationGrant.objects.bulk_create(
        InvitationGrant(invitation=invitation, patient=chart, relationship=Relationship(how))
        for chart, how in grants
    )
    if own_chart is not None and own_chart.portal_status == PortalStatus.NOT_ENROLLED:
        own_chart.portal_status = PortalStatus.INVITED
        own_chart.save(update_fields=["portal_status"])
    audit_record(action=AuditAction.INVITATION_ISSUED, request=request, actor=created_by,
                 patient=patient, practice=practice, obj=invitation, extra={
                     "kind": kind, "relationship": relationship, "rights": invitation.rights,
                     "ends_at": access_ends_at.isoformat() if access_ends_at else None,
                     "grants": [{"patient": chart.pk, "relationship": how}
                                for chart, how in grants],
                 })
    issued = IssuedInvitation(invitation, secret, temporary_username)
    if kind in SENT_KINDS:
        _invitation_send(issued=issued, request=request, actor=created_by, template=template)
    return issued


def sign_up_url(key: str) -> str:
    return settings.SITE_URL + reverse("enrollment:sign_up", args=[key])


def short_name(first_name: str, last_name: str) -> str:
    """A first name and a last initial ("Emily C."): enough for someone who knows the person
    to know whom a message is about, and no more (emails are not the place for patients'
    names)."""
    initial = last_name.strip()[:1]
    return f"{first_name.strip()} {initial}." if initial else first_name.strip()


def _inviter(invitation: Invitation) -> tuple[str, bool]:
    """Who invited a guardian or representative, as the email names them: the patient (or
    another person with access to the chart: a guardian) who sent it from the portal, by
    first name and last initial, and whether it was the patient themself; ("", False) when the
    practice did (staff, a sweep)."""
    inviter, patient = invitation.created_by, invitation.patient
    if inviter is None or patient is None:
        return "", False
    access = PortalAccess.objects.current().filter(user=inviter, patient=patient).order_by(
        "pk").first()
    name = short_name(inviter.first_name, inviter.last_name) if access is not None else ""
    return name, bool(name) and access is not None and access.relationship == Relationship.SELF


def invitation_context(invitation: Invitation, *, url: str) -> dict[str, object]:
    """What an invitation email or text says: who invites whom, to what, and what they will be
    asked. Names only: no health detail. The relationship is the choice's label (translated
    when the message is rendered, in the recipient's language)."""
    patient = invitation.patient
    as_proxy = invitation.relationship != Relationship.SELF
    patient_name = (short_name(patient.preferred_name or patient.first_name, patient.last_name)
                    if patient is not None and as_proxy else "")
    inviter_name, inviter_is_patient = _inviter(invitation) if as_proxy else ("", False)
    return {
        "practice_name": invitation.practice.name,
        "first_name": invitation.first_name,
        "url": url,
        "expires_at": invitation.expires_at,
        "practice_time_zone": invitation.practice.time_zone,
        "as_proxy": as_proxy,
        "relationship": Relationship(invitation.relationship).label,
        "patient_name": patient_name,
        "inviter_name": inviter_name,
        "inviter_is_patient": inviter_is_patient,
    }


def _invitation_send(*, issued: IssuedInvitation, request: HttpRequest | None,
                     actor: User | None, template: str) -> None:
    """Email the "Sign Up" link, and text it too when a mobile number is on file (SPEC E4), in
    the practice's language: the invitee has no account (and so no language) yet."""
    invitation = issued.invitation
    context = invitation_context(invitation, url=sign_up_url(issued.secret))
    language = practice_language(invitation.practice)
    channels = []
    if invitation.email:
        outbox_email(to=invitation.email, template=template, context=context, language=language)
        channels.append(Channel.EMAIL)
    if invitation.mobile_phone:
        outbox_text(to=invitation.mobile_phone.as_e164, template="invitation", context=context,
                    language=language)
        channels.append(Channel.SMS)
    audit_record(action=AuditAction.INVITATION_SENT, request=request, actor=actor,
                 patient=invitation.patient, practice=invitation.practice, obj=invitation,
                 extra={"channels": channels, "template": template})


# Finding an invitation from what the person holds -------------------------------------------


def invitation_by_link_key(key: str) -> Invitation | None:
    return Invitation.objects.filter(
        kind__in=[InvitationKind.LINK, InvitationKind.SELF_REGISTRATION],
        secret_hash=secret_digest(key),
    ).select_related("practice", "patient").first()


def invitation_by_token(token: str) -> Invitation | None:
    normalised = tokens.normalise_token(token)
    return Invitation.objects.filter(
        kind=InvitationKind.TOKEN, secret_hash=secret_digest(normalised)
    ).select_related("patient__practice").first()


def invitation_by_temporary_credentials(username: str, password: str) -> Invitation | None:
    """The open invitation these printed credentials belong to, or None."""
    invitation = Invitation.objects.filter(
        kind=InvitationKind.TEMPORARY_PASSWORD,
        # Issued in lower case (portal.tokens); compared in the canonical form the sign-in
        # limits count under, never with iexact (PostgreSQL's UPPER() turns U+0131 into I).
        temporary_username=username_canonical(username.strip()),
        secret_hash=secret_digest(password.strip().upper()),
    ).select_related("patient__practice").first()
    return invitation if invitation is not None and invitation.is_usable else None


# Identity -----------------------------------------------------------------------------------


def _zip5(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())[:5]


@transaction.atomic
def identity_check(
    *,
    invitation: Invitation,
    zip_code: str,
    date_of_birth: datetime.date,
    request: HttpRequest | None = None,
) -> bool:
    """ZIP + date of birth against the invited chart. Five wrong answers lock the invitation."""
    invitation = Invitation.objects.select_for_update(of=("self",)).get(pk=invitation.pk)
    if not invitation.is_usable:
        return False
    patient = invitation.patient
    if patient is None:  # self-registration: no chart to check against
        return False
    if _zip5(zip_code) == _zip5(patient.zip_code) and date_of_birth == patient.date_of_birth:
        audit_record(action=AuditAction.IDENTITY_PASSED, request=request, patient=patient,
                     obj=invitation)
        return True
    Invitation.objects.filter(pk=invitation.pk).update(identity_failures=F("identity_failures") + 1)
    invitation.refresh_from_db(fields=["identity_failures"])
    audit_record(action=AuditAction.IDENTITY_FAILED, request=request, patient=patient,
                 obj=invitation, extra={"failures": invitation.identity_failures})
    if invitation.identity_failures >= IDENTITY_ATTEMPTS_ALLOWED:
        invitation.locked_at = timezone.now()
        invitation.save(update_fields=["locked_at"])
        audit_record(action=AuditAction.INVITATION_LOCKED, request=request, patient=patient,
                     obj=invitation)
    return False


# Account ------------------------------------------------------------------------------------


@transaction.atomic
def security_details_save(
    *, invitation: Invitation, details: SecurityDetails, request: HttpRequest
) -> tuple[OneTimeCodeDevice, CodeSent]:
    """Create (or redo) the invitee's account, still inactive, and send the first code (unless
    the code-send limits refuse it: the person is told, and may ask again)."""
    invitation = Invitation.objects.select_for_update(of=("self",)).select_related("patient").get(
        pk=invitation.pk
    )
    if invitation.relationship == Relationship.SELF and invitation.patient is not None:
        names = (invitation.patient.first_name, invitation.patient.last_name)
    else:
        names = (invitation.first_name, invitation.last_name)
    user, device = pending_account_save(user=invitation.pending_user, details=details,
                                        first_name=names[0], last_name=names[1])
    invitation.pending_user = user
    invitation.save(update_fields=["pending_user"])
    audit_record(action=AuditAction.SECURITY_DETAILS_SET, request=request, actor=user,
                 patient=invitation.patient, practice=invitation.practice, obj=invitation)
    return device, code_send(device=device, request=request)


@transaction.atomic
def enrollment_complete(
    *, invitation: Invitation, device: OneTimeCodeDevice, request: HttpRequest | None = None
) -> User:
    """The code was right: activate the account, link it to the chart, close the invitation."""
    invitation = Invitation.objects.select_for_update(of=("self",)).select_related("patient").get(
        pk=invitation.pk
    )
    user = invitation.pending_user
    if user is None or not invitation.is_usable or device.user_id != user.pk:
        raise ValueError("this enrollment can no longer be completed")
    now = timezone.now()
    account_activate(user=user, device=device, request=request)
    invitation.used_at = now
    invitation.user = user
    invitation.pending_user = None
    invitation.save(update_fields=["used_at", "user", "pending_user"])
    patient = invitation.patient
    _invitation_accesses_grant(invitation=invitation, user=user, request=request)
    audit_record(action=AuditAction.ACCOUNT_ACTIVATED, request=request, actor=user,
                 patient=patient, obj=invitation)
    _patient_told_of_acceptance(invitation=invitation, representative=user)
    return user


@transaction.atomic
def invitation_accept_existing(
    *, invitation: Invitation, user: User, request: HttpRequest | None = None
) -> PortalAccess:
    """An invitee who already has an account takes the invitation with it (SPEC P1, P2): the
    access (and any grants) go to that account; no second login is made."""
    invitation = Invitation.objects.select_for_update(of=("self",)).select_related(
        "patient").get(pk=invitation.pk)
    if not invitation.is_usable or invitation.relationship == Relationship.SELF:
        raise ValueError("this invitation can no longer be accepted")
    access = _invitation_accesses_grant(invitation=invitation, user=user, request=request)
    invitation.used_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["used_at", "user"])
    audit_record(action=AuditAction.INVITATION_ACCEPTED, request=request, actor=user,
                 patient=invitation.patient, obj=invitation)
    _patient_told_of_acceptance(invitation=invitation, representative=user)
    return access


def _patient_told_of_acceptance(*, invitation: Invitation, representative: User) -> int:
    """Someone accepted an invitation to a patient's record as their guardian or
    representative: tell the patient — each account that opens the chart as its own — by its
    verified email, in its own language, with no health detail (who, as what, and where to
    change it). Returns how many were told."""
    patient = invitation.patient
    if patient is None or invitation.relationship == Relationship.SELF:
        return 0
    owners = (PortalAccess.objects.current().filter(patient=patient,
                                                    relationship=Relationship.SELF,
                                                    user__is_active=True)
              .exclude(user=representative).select_related("user", "patient__practice"))
    told = 0
    for access in owners:
        owner = access.user
        context = {
            "first_name": owner.first_name,
            "representative_name": short_name(representative.first_name or invitation.first_name,
                                              representative.last_name or invitation.last_name),
            "relationship": Relationship(invitation.relationship).label,
            "practice_name": patient.practice.name,
            # Only an adult chooses their own representatives (SPEC P1): others call the practice.
            "manage_url": settings.SITE_URL + reverse("representatives")
            if may_manage_representatives(access=access) else "",
            "practice_phone": patient.practice.phone,
        }
        # In the owner's language, not the accepter's (account_email_send writes in it).
        told += account_email_send(user=owner, template="representative-accepted",
                                   context=context)
    return told


def _invitation_accesses_grant(
    *, invitation: Invitation, user: User, request: HttpRequest | None
) -> PortalAccess:
    """The access an invitation gives (with its rights and end date), and its grants to the
    related charts of the same practice. Returns the access to the invitation's own chart."""
    if invitation.patient is None:
        raise ValueError("a self-registration invitation has no chart to give access to yet")
    access = portal_access_grant(user=user, patient=invitation.patient,
                                 relationship=invitation.relationship,
                                 granted_by=invitation.created_by, request=request,
                                 rights=invitation.rights, ends_at=invitation.access_ends_at)
    for grant in invitation.grants.select_related("patient"):
        if grant.patient.practice_id == invitation.practice_id:
            portal_access_grant(user=user, patient=grant.patient,
                                relationship=grant.relationship,
                                granted_by=invitation.created_by, request=request)
    return access
