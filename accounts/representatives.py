"""Trusted representatives, guardians and their access rights (SPEC P1, P4, P8).

The patient's Representatives page (accounts.representative_views) and the staff console's
Family Management (staffadmin.family_management) both read and change proxies through these
functions, so the rules and the audit trail are the same from either side. The door reads the
database on every request, so a change applies to the representative's very next page.
"""

from __future__ import annotations

import datetime

from django import forms
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import PortalAccess, Relationship, Right, User
from accounts.proxy_rules import access_in_force, is_own_adult_record
from enrollment.models import Invitation, InvitationKind
from enrollment.services import invitation_issue, invitation_send
from portal.audit import audit_record
from portal.models import AuditAction
from records.models import PatientChart, Practice

# Whom an adult patient may invite themself (guardians are the practice's to invite: SPEC P2).
PATIENT_INVITABLE = [Relationship.TRUSTED_REPRESENTATIVE, Relationship.CARE_MANAGER]


# Reading ------------------------------------------------------------------------------------


def may_manage_representatives(*, access: PortalAccess) -> bool:
    """Only the patient themself, once an adult, chooses their own representatives."""
    return is_own_adult_record(access)


def proxy_accesses(*, patient: PatientChart) -> models.QuerySet[PortalAccess]:
    """Every live access of someone other than the patient: the place to look objects up."""
    return (PortalAccess.objects.current().filter(patient=patient)
            .exclude(relationship=Relationship.SELF).select_related("user", "patient__practice"))


def representatives_of(*, patient: PatientChart) -> list[PortalAccess]:
    """Guardians and representatives whose access is in force now, oldest first."""
    return [a for a in proxy_accesses(patient=patient).order_by("created_at", "pk")
            if access_in_force(a)]


def representative_invitations_open(*, patient: PatientChart) -> models.QuerySet[Invitation]:
    """Invitations of someone other than the patient that can still be used."""
    return (Invitation.objects.open().filter(patient=patient)
            .exclude(relationship=Relationship.SELF).order_by("created_at", "pk"))


def dependents_of(*, patient: PatientChart) -> list[PortalAccess]:
    """Charts of the same practice that this patient's own login opens as a proxy (their
    dependents, or patients who chose them as representative)."""
    own_users = PortalAccess.objects.current().filter(
        patient=patient, relationship=Relationship.SELF).values("user")
    accesses = (PortalAccess.objects.current()
                .filter(user__in=own_users, patient__practice=patient.practice)
                .exclude(relationship=Relationship.SELF).exclude(patient=patient)
                .select_related("patient__practice").order_by("patient__last_name", "pk"))
    return [a for a in accesses if access_in_force(a)]


def guaranteed_charts_of(*, patient: PatientChart) -> models.QuerySet[PatientChart]:
    """Charts whose bills this patient is responsible for."""
    return (patient.guaranteed_charts.filter(practice=patient.practice)
            .exclude(pk=patient.pk).order_by("last_name", "first_name"))


# Forms ----------------------------------------------------------------------------------------


def access_ends_at(*, practice: Practice, day: datetime.date | None) -> datetime.datetime | None:
    """An end date means the access stops at the start of that day where the practice is."""
    if day is None:
        return None
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=practice.tzinfo)


class AccessRightsForm(forms.Form):
    """Edit Access Rights: the areas a representative may open and when their access ends."""

    rights = forms.MultipleChoiceField(
        label="Access rights", choices=Right.choices, widget=forms.CheckboxSelectMultiple,
        help_text="The parts of the portal this person may use on the patient's behalf.",
        error_messages={"required": "Choose at least one area."},
    )
    ends_on = forms.DateField(
        label="End date", required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Access stops at the start of this day. Leave it empty to keep access until "
        "it is revoked.",
    )

    def __init__(self, *args: object, practice: Practice, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.practice = practice

    @classmethod
    def initial_for(cls, access: PortalAccess) -> dict[str, object]:
        ends_on = (timezone.localtime(access.ends_at, access.patient.practice.tzinfo).date()
                   if access.ends_at else None)
        return {"rights": [r.value for r in access.rights], "ends_on": ends_on}

    def clean_ends_on(self) -> datetime.date | None:
        day = self.cleaned_data.get("ends_on")
        if day is not None and day <= self.practice.today():
            raise forms.ValidationError("The end date must be in the future.")
        return day

    @property
    def ends_at(self) -> datetime.datetime | None:
        return access_ends_at(practice=self.practice, day=self.cleaned_data.get("ends_on"))


class RepresentativeInviteForm(AccessRightsForm):
    """Invite a trusted representative (SPEC P1): who they are, then what they may do."""

    first_name = forms.CharField(label="First name", max_length=100)
    last_name = forms.CharField(label="Last name", max_length=100)
    email = forms.EmailField(label="Email address",
                             help_text="The invitation with the Sign Up link goes here.")
    relationship = forms.ChoiceField(
        label="Relationship", choices=[(r.value, r.label) for r in PATIENT_INVITABLE])

    field_order = ["first_name", "last_name", "email", "relationship", "rights", "ends_on"]


# Changing -------------------------------------------------------------------------------------


def _iso(moment: datetime.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


@transaction.atomic
def representative_invite(
    *,
    patient: PatientChart,
    relationship: Relationship,
    first_name: str,
    last_name: str,
    email: str,
    rights: list[str],
    ends_at: datetime.datetime | None,
    invited_by: User,
    request: HttpRequest | None = None,
) -> Invitation:
    """Email a Sign Up link; the access the invitee gets on accepting carries ``rights`` and
    ends at ``ends_at``. An earlier open invitation of the same person stops working."""
    issued = invitation_issue(
        patient=patient, kind=InvitationKind.LINK, relationship=relationship,
        first_name=first_name, last_name=last_name, email=email, created_by=invited_by,
        request=request,
    )
    invitation = issued.invitation
    invitation.rights = sorted(Right(r).value for r in rights)
    invitation.access_ends_at = ends_at
    invitation.save(update_fields=["rights", "access_ends_at"])
    invitation_send(issued=issued, request=request, actor=invited_by)
    audit_record(action=AuditAction.REPRESENTATIVE_INVITED, request=request, actor=invited_by,
                 patient=patient, obj=invitation,
                 extra={"relationship": relationship, "rights": invitation.rights,
                        "ends_at": _iso(ends_at)})
    return invitation


@transaction.atomic
def representative_invitation_cancel(
    *, invitation: Invitation, actor: User, request: HttpRequest | None = None
) -> None:
    """The Sign Up link stops working at once."""
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(action=AuditAction.INVITATION_CANCELLED, request=request, actor=actor,
                 patient=invitation.patient, obj=invitation,
                 extra={"relationship": invitation.relationship})


@transaction.atomic
def access_rights_change(
    *,
    access: PortalAccess,
    rights: list[str],
    ends_at: datetime.datetime | None,
    actor: User,
    request: HttpRequest | None = None,
) -> PortalAccess:
    """Edit Access Rights (SPEC P4): the chosen areas open, the others close."""
    before = {"rights": [r.value for r in access.rights], "ends_at": _iso(access.ends_at)}
    chosen = {Right(r) for r in rights}
    for right in Right:
        setattr(access, f"right_{right.value}", right in chosen)
    access.ends_at = ends_at
    access.save(update_fields=[*(f"right_{r.value}" for r in Right), "ends_at"])
    audit_record(action=AuditAction.ACCESS_RIGHTS_CHANGED, request=request, actor=actor,
                 patient=access.patient, obj=access,
                 extra={"user": access.user_id, "before": before,
                        "after": {"rights": [r.value for r in access.rights],
                                  "ends_at": _iso(ends_at)}})
    return access


@transaction.atomic
def access_revoke(
    *, access: PortalAccess, actor: User, request: HttpRequest | None = None
) -> None:
    """The representative or guardian loses access from their very next request."""
    access.revoked_at = timezone.now()
    access.revoked_by = actor
    access.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(action=AuditAction.ACCESS_REVOKED, request=request, actor=actor,
                 patient=access.patient, obj=access,
                 extra={"user": access.user_id, "relationship": access.relationship})
