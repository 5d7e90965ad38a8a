"""Trusted representatives the patient invites themself (SPEC P1): the invitation, and
cancelling it. Guardians are the practice's to invite (SPEC P2), from Enable Portal Access."""

from __future__ import annotations

import datetime

from django import forms
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access_forms import AccessRightsForm
from accounts.models import Relationship, User
from enrollment.models import Invitation, InvitationKind
from enrollment.services import invitation_issue_and_send
from portal.audit import audit_record
from portal.forms import PersonNameField
from portal.models import AuditAction, PatientChart

# Whom an adult patient may invite themself (guardians are the practice's to invite: SPEC P2).
PATIENT_INVITABLE = [Relationship.TRUSTED_REPRESENTATIVE, Relationship.CARE_MANAGER]


class RepresentativeInviteForm(AccessRightsForm):
    """Invite a trusted representative (SPEC P1): who they are, then what they may do."""

    # The names go into the invitation email, to an address the patient typed.
    first_name = PersonNameField(label=_("First name"),
                                 error_messages={"required": _("Enter their first name.")})
    last_name = PersonNameField(label=_("Last name"),
                                error_messages={"required": _("Enter their last name.")})
    email = forms.EmailField(
        label=_("Email address"), help_text=_("The invitation with the Sign Up link goes here."),
        error_messages={"required": _("Enter their email address."),
                        "invalid": _("Enter an email address like name@example.com.")})
    relationship = forms.ChoiceField(
        label=_("Relationship"), choices=[(r.value, r.label) for r in PATIENT_INVITABLE],
        error_messages={"required": _("Choose their relationship to you.")})

    field_order = ["first_name", "last_name", "email", "relationship", "rights", "ends_on"]


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
    invitation = invitation_issue_and_send(
        patient=patient, kind=InvitationKind.LINK, relationship=relationship,
        first_name=first_name, last_name=last_name, email=email, created_by=invited_by,
        request=request, rights=rights, access_ends_at=ends_at,
    ).invitation
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
