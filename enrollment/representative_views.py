"""The patient's Representatives page (SPEC P1, P4): invite a trusted representative, cancel an
invitation, edit a representative's access rights or revoke them.

Every change asks for the password again once the last sign-in is a few minutes old (allauth's
reauthentication, as in Account Settings): who may act on the record is the account's to
decide, not a borrowed session's.

Only the patient themself, an adult, may use it: a proxy, a minor's own login or anyone without
an access gets a 404 through the one door. Objects and lists come through the door too
(``patient_object_or_404``, ``patient_objects``): the open patient's own, as the access may see
them.
"""

from __future__ import annotations

import uuid

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import patient_object_or_404, patient_objects, patient_required
from accounts.access_changes import access_revoke, access_rights_change
from accounts.access_forms import AccessRightsForm
from accounts.http import PatientHttpRequest
from accounts.models import PortalAccess, Relationship
from accounts.proxies import proxy_accesses, representatives_of
from accounts.rate_limits import rate_limit_consume
from enrollment.models import Invitation
from enrollment.representatives import (
    RepresentativeInviteForm,
    representative_invitation_cancel,
    representative_invite,
)
from enrollment.selectors import representative_invitations_open

# The one door, for the patient themself once an adult (anyone else: 404).
own_record_required = patient_required(own_record=True)


def _person(access: PortalAccess) -> str:
    return access.user.get_full_name() or str(access.user)


def _representative(request: PatientHttpRequest, code: uuid.UUID) -> PortalAccess:
    return patient_object_or_404(
        request, proxy_accesses(accesses=PortalAccess.objects.all()), code=code)


@own_record_required
@require_GET
def representatives(request: PatientHttpRequest) -> HttpResponse:
    return render(request, "enrollment/representatives/index.html", {
        "representatives": representatives_of(
            accesses=patient_objects(request, PortalAccess.objects.all())),
        "invitations": representative_invitations_open(
            invitations=patient_objects(request, Invitation.objects.all())),
    })


@own_record_required
@require_http_methods(["GET", "POST"])
@reauthentication_required(allow_get=True)
def invite(request: PatientHttpRequest) -> HttpResponse:
    patient = request.patient
    form = RepresentativeInviteForm(request.POST if request.method == "POST" else None,
                                    practice=patient.practice)
    # Each invitation emails an address the patient typed: a few an hour is plenty.
    if form.is_valid() and not rate_limit_consume(request, action="representative_invite",
                                                  user=request.user):
        form.add_error(None, _("You have sent several invitations in a short time. Please wait "
                               "a while before sending another."))
    elif form.is_valid():
        data = form.cleaned_data
        representative_invite(
            patient=patient, relationship=Relationship(data["relationship"]),
            first_name=data["first_name"], last_name=data["last_name"], email=data["email"],
            rights=data["rights"], ends_at=form.ends_at, invited_by=request.user,
            request=request,
        )
        messages.success(request, _("Invitation sent to %(email)s. Once they sign up, they can "
                                    "use the portal on your behalf. We will email you when "
                                    "they accept.") % {"email": data["email"]})
        return redirect("representatives")
    return render(request, "enrollment/representatives/invite.html", {"form": form})


@own_record_required
@require_POST
@reauthentication_required
def cancel_invitation(request: PatientHttpRequest, code: uuid.UUID) -> HttpResponse:
    invitation = patient_object_or_404(
        request, representative_invitations_open(invitations=Invitation.objects.all()), code=code)
    representative_invitation_cancel(invitation=invitation, actor=request.user, request=request)
    messages.success(request, _("The invitation to %(name)s was cancelled: its link no longer "
                                "works.") % {"name": f"{invitation.first_name} "
                                                     f"{invitation.last_name}"})
    return redirect("representatives")


@own_record_required
@require_http_methods(["GET", "POST"])
@reauthentication_required(allow_get=True)
def edit_rights(request: PatientHttpRequest, code: uuid.UUID) -> HttpResponse:
    access = _representative(request, code)
    form = AccessRightsForm(request.POST if request.method == "POST" else None,
                            initial=AccessRightsForm.initial_for(access),
                            practice=access.patient.practice)
    if form.is_valid():
        access_rights_change(access=access, rights=form.cleaned_data["rights"],
                             ends_at=form.ends_at, actor=request.user, request=request)
        messages.success(request, _("Access rights of %(name)s saved. They apply from their next "
                                    "page.") % {"name": _person(access)})
        return redirect("representatives")
    return render(request, "enrollment/representatives/edit_rights.html",
                  {"form": form, "access": access})


@own_record_required
@require_POST
@reauthentication_required
def revoke(request: PatientHttpRequest, code: uuid.UUID) -> HttpResponse:
    access = _representative(request, code)
    access_revoke(access=access, actor=request.user, request=request)
    messages.success(request, _("Access of %(name)s revoked.") % {"name": _person(access)})
    return redirect("representatives")
