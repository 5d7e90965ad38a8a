"""What a proxy's access opens, by the patient's age (SPEC P7 and adolescent confidentiality).

The one door (accounts/access.py) asks these on every request, and so does every patient-owned
queryset's ``for_patient`` (through PortalAccess.in_force and .opens), so an 18th birthday or a
change of practice setting applies to the very next page, without waiting for any periodic job.
Sensitive items will get their rule here too, with the clinical records.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from accounts.models import PortalAccess, Relationship, Right

if TYPE_CHECKING:
    from portal.models import PatientChart

ADULT_AGE = 18
ADOLESCENT_FROM = 12


def _age_today(access: PortalAccess) -> tuple[int, datetime.date]:
    today = access.patient.practice.today()  # the practice's time zone decides the birthday
    return access.patient.age_on(today), today


def is_adult(patient: PatientChart) -> bool:
    """18 or older today, in the practice's time zone: guardians no longer act for them."""
    return patient.age_on(patient.practice.today()) >= ADULT_AGE


def access_in_force(access: PortalAccess) -> bool:
    """A guardian's access to a minor ends on the patient's 18th birthday."""
    if access.relationship != Relationship.GUARDIAN:
        return True
    age, _ = _age_today(access)
    return age < ADULT_AGE


def adolescent_kept_confidential(access: PortalAccess) -> bool:
    """A guardian's access to a patient aged 12 to 17 whose practice keeps adolescents'
    records confidential."""
    if access.relationship != Relationship.GUARDIAN:
        return False
    if not access.patient.practice.adolescent_confidentiality:
        return False
    age, _ = _age_today(access)
    return ADOLESCENT_FROM <= age < ADULT_AGE


def effective_rights(access: PortalAccess) -> set[Right]:
    """The access's own rights, narrowed for guardians of adolescents when the practice keeps
    adolescents' records confidential."""
    rights = set(access.rights)
    if adolescent_kept_confidential(access):
        allowed = {Right(a) for a in access.patient.practice.adolescent_guardian_areas
                   if a in Right.values}
        rights &= allowed
    return rights


def shows_own_contact_details(access: PortalAccess) -> bool:
    """Whether the patient's own mobile number and email address may be shown through
    ``access``: like the rest of the demographics, only with the health-record right, and never
    to the guardian of an adolescent whose practice keeps them confidential — they are how the
    practice reaches the teenager alone."""
    return access.opens(Right.HEALTH_RECORD) and not adolescent_kept_confidential(access)


def is_own_adult_record(access: PortalAccess) -> bool:
    """The patient themself, once an adult: who chooses their own representatives."""
    if access.relationship != Relationship.SELF:
        return False
    age, _ = _age_today(access)
    return age >= ADULT_AGE
