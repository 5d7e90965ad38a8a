"""Who acts for a patient, and for whom a patient acts (SPEC P1, P4, P8): what the patient's
Representatives page and the staff console's Family Management list."""

from __future__ import annotations

from django.db import models

from accounts.models import PortalAccess, PortalAccessQuerySet, Relationship
from accounts.proxy_rules import access_in_force, is_own_adult_record
from portal.models import PatientChart


def may_manage_representatives(*, access: PortalAccess) -> bool:
    """Only the patient themself, once an adult, chooses their own representatives."""
    return is_own_adult_record(access)


def proxy_accesses(*, accesses: PortalAccessQuerySet) -> PortalAccessQuerySet:
    """The live accesses of someone other than the patient among ``accesses`` — one patient's:
    through the door on a patient page (accounts.access.patient_objects), the chart's in the
    staff console. The place to look those objects up."""
    return (accesses.current().exclude(relationship=Relationship.SELF)
            .select_related("user", "patient__practice"))


def representatives_of(*, accesses: PortalAccessQuerySet) -> list[PortalAccess]:
    """Guardians and representatives among ``accesses`` whose access is in force now, oldest
    first."""
    return [a for a in proxy_accesses(accesses=accesses).order_by("created_at", "pk")
            if access_in_force(a)]


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
