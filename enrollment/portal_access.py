"""Enable Portal Access (SPEC E9): staff give portal access, from a patient's chart, to the
patient, the guarantor, another patient of the practice or anyone else, with proxy access to
the charts related to the patient (siblings, the other charts of the same guarantor).

The staff wizard (staffadmin/portal_access_wizard.py) collects the choices; everything that
decides who may get what, and every write, is here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Relationship, User
from enrollment.models import InvitationKind
from enrollment.services import (
    InvitationRefused,
    IssuedInvitation,
    invitation_issue_and_send,
    patient_has_own_account,
    same_invitee,
)
from portal.models import PatientChart

SEARCH_RESULTS_SHOWN = 20
# A str.format template ("{name}"), as the console's wizard fills it in.
PATIENT_HAS_ACCOUNT = gettext_lazy("{name} already has a portal account. If they cannot sign "
                                   "in, issue a password reset token instead.")


class Individual(models.TextChoices):
    """Who gets access, in the words of the wizard's step 1."""

    PATIENT = "patient", gettext_lazy("Patient")
    GUARANTOR = "guarantor", gettext_lazy("Guarantor")
    ANOTHER_PATIENT = "another_patient", gettext_lazy("Another Patient")
    OTHER = "other", gettext_lazy("Other")


class Delivery(models.TextChoices):
    EMAIL = "email", gettext_lazy("Email")  # a one-click activation link (E4)
    PRINT = "print", gettext_lazy("Print")  # a temporary username and password (E2)


# The relationships a person other than the patient may have; "self" is the patient's alone.
PROXY_RELATIONSHIPS = [(value, label) for value, label in Relationship.choices
                       if value != Relationship.SELF]


@dataclass(frozen=True)
class ProxyGrant:
    """Proxy access to a related chart, given along with the invitation."""

    chart: PatientChart
    relationship: str  # a Relationship other than SELF


@dataclass(frozen=True)
class AccessPerson:
    """One individual getting access. ``chart`` is their own chart when they are a patient of
    the practice (the patient, the guarantor, another patient); an Other person has none."""

    individual: Individual
    first_name: str
    last_name: str
    email: str = ""
    mobile_phone: str = ""  # E.164, or ""
    chart: PatientChart | None = None
    relationship: str = ""  # chosen in step 2; SELF for the patient
    grants: tuple[ProxyGrant, ...] = ()

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @classmethod
    def from_chart(cls, individual: Individual, chart: PatientChart, *,
                   email: str = "") -> AccessPerson:
        return cls(
            individual=individual,
            first_name=chart.first_name,
            last_name=chart.last_name,
            email=email or chart.notification_email,
            mobile_phone=chart.mobile_phone.as_e164 if chart.mobile_phone else "",
            chart=chart,
            relationship=Relationship.SELF if individual == Individual.PATIENT else "",
        )


# Reads -----------------------------------------------------------------------------------------


def guarantor_offered(*, patient: PatientChart) -> PatientChart | None:
    """The guarantor, when it is someone other than the patient (the seed: "The Guarantor
    option appears only if the patient and the guarantor differ") and of the same practice."""
    guarantor = patient.guarantor
    if guarantor is None or guarantor.pk == patient.pk:
        return None
    return guarantor if guarantor.practice_id == patient.practice_id else None


def related_charts(*, patient: PatientChart, person: PatientChart | None = None
                   ) -> list[PatientChart]:
    """Charts related to ``patient`` through the guarantor: the guarantor's own chart and the
    other charts the same guarantor answers for (siblings; the patient's dependents when the
    patient is the guarantor). Same practice only; never the patient, nor ``person`` — the
    individual getting access, who does not need proxy access to their own chart."""
    guarantor_id = patient.guarantor_id or patient.pk
    charts = PatientChart.objects.filter(
        Q(pk=guarantor_id) | Q(guarantor_id=guarantor_id) | Q(guarantor_id=patient.pk),
        practice_id=patient.practice_id,
    ).exclude(pk=patient.pk)
    if person is not None:
        charts = charts.exclude(pk=person.pk)
    return list(charts.order_by("last_name", "first_name", "pk"))


def another_patient_search(*, patient: PatientChart, query: str,
                           charts: QuerySet[PatientChart]) -> list[PatientChart]:
    """Charts of the patient's practice matching every word of ``query`` by name, or by record
    number. ``charts`` is what the staff member may see; the result never leaves it."""
    query = query.replace("\x00", "").strip()  # PostgreSQL refuses NUL in a query: no 500
    words = query.split()[:5]
    if len(query) < 2:
        return []
    found = charts.filter(practice_id=patient.practice_id).exclude(pk=patient.pk)
    by_name = Q()
    for word in words:
        by_name &= (Q(first_name__icontains=word) | Q(last_name__icontains=word)
                    | Q(preferred_name__icontains=word))
    found = found.filter(by_name | Q(record_number__iexact=query))
    return list(found.order_by("last_name", "first_name", "pk")[:SEARCH_RESULTS_SHOWN])


# Checks ----------------------------------------------------------------------------------------


def _check_person(patient: PatientChart, person: AccessPerson, delivery: Delivery) -> None:
    name = person.full_name or _("the person")
    if person.individual == Individual.PATIENT:
        if person.chart != patient or person.relationship != Relationship.SELF:
            raise ValidationError(_("The patient can only be given access to their own "
                                    "record."))
        if patient_has_own_account(patient=patient):
            raise ValidationError(PATIENT_HAS_ACCOUNT.format(name=patient.full_name))
    elif person.relationship not in dict(PROXY_RELATIONSHIPS):
        raise ValidationError(_("Choose the relationship of %(name)s to the patient.")
                              % {"name": name})
    if person.individual == Individual.GUARANTOR and person.chart != guarantor_offered(
            patient=patient):
        raise ValidationError(_("The guarantor on the chart has changed. Please start again."))
    if person.individual == Individual.ANOTHER_PATIENT and (
            person.chart is None or person.chart.practice_id != patient.practice_id
            or person.chart.pk == patient.pk):
        raise ValidationError(_("Choose another patient of this practice."))
    if person.individual == Individual.OTHER and not (person.first_name and person.last_name):
        raise ValidationError(_("Enter the first and last name of the Other person."))
    if delivery == Delivery.EMAIL and not person.email:
        raise ValidationError(_("Enter an email address for %(name)s, or choose Print.")
                              % {"name": name})
    allowed = {c.pk for c in related_charts(patient=patient, person=person.chart)}
    for grant in person.grants:
        if grant.chart.pk not in allowed:
            raise ValidationError(_("%(name)s's chart is not related to the patient's.")
                                  % {"name": grant.chart.full_name})
        if grant.relationship not in dict(PROXY_RELATIONSHIPS):
            raise ValidationError(_("Choose how %(name)s is related to %(other)s.")
                                  % {"name": name, "other": grant.chart.full_name})


def _check_no_collisions(people: Sequence[AccessPerson]) -> None:
    # A new invitation ends the open ones of the same person (that is how a resend replaces the
    # old one, E10), so two people the service takes for one would cancel each other's
    # invitation. Say so rather than hand out a dead one.
    seen: dict[tuple[str, str, str], AccessPerson] = {}
    for person in people:
        key = same_invitee(relationship=person.relationship, email=person.email,
                           first_name=person.first_name, last_name=person.last_name)
        if key is None:
            continue
        if key in seen:
            raise ValidationError(
                _("%(first)s and %(second)s have the same name and email address, so the second "
                  "invitation would cancel the first. Give them different email addresses.")
                % {"first": seen[key].full_name, "second": person.full_name}
            )
        seen[key] = person


def portal_access_check(*, patient: PatientChart, people: Sequence[AccessPerson],
                        delivery: Delivery | str) -> None:
    """Raise ValidationError, in words staff can act on, unless ``people`` may be invited."""
    if not people:
        raise ValidationError(_("Choose at least one individual to give access to."))
    individuals = [p.individual for p in people]
    if len(set(individuals)) != len(individuals):
        raise ValidationError(_("Each individual can be chosen only once."))
    charts = [p.chart.pk for p in people if p.chart is not None]
    if len(set(charts)) != len(charts):
        raise ValidationError(_("The same person is chosen twice."))
    for person in people:
        _check_person(patient, person, Delivery(delivery))
    _check_no_collisions(people)


# Writes ----------------------------------------------------------------------------------------


@transaction.atomic
def portal_access_enable(
    *,
    patient: PatientChart,
    people: Sequence[AccessPerson],
    delivery: Delivery | str,
    created_by: User | None,
    request: HttpRequest | None = None,
) -> list[IssuedInvitation]:
    """Issue one invitation per person, in the order given, with its proxy grants.

    Email sends a one-click link (and a text when a mobile number is known) through the outbox,
    delivered after commit; Print returns temporary credentials for the caller to print. All or
    nothing: a ValidationError leaves the database untouched.
    """
    delivery = Delivery(delivery)
    portal_access_check(patient=patient, people=people, delivery=delivery)
    kind = InvitationKind.LINK if delivery == Delivery.EMAIL else InvitationKind.TEMPORARY_PASSWORD
    issued_all = []
    for person in people:
        try:
            issued = invitation_issue_and_send(
                patient=patient, kind=kind, created_by=created_by, request=request,
                relationship=person.relationship, email=person.email,
                mobile_phone=person.mobile_phone, first_name=person.first_name,
                last_name=person.last_name,
                grants=[(grant.chart, grant.relationship) for grant in person.grants],
            )
        except InvitationRefused as refused:
            raise ValidationError(str(refused)) from refused
        issued_all.append(issued)
    return issued_all
