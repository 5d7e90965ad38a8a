"""Records that belong to one patient, and the one way a patient page lists them (DESIGN
invariant 1).

The queryset of every patient-owned model derives from ``PatientOwnedQuerySet``; patient pages
reach those records only through ``for_patient(patient, access)`` (accounts.access calls it, and
refuses a queryset without it). The kernel knows nothing of portal accesses beyond the questions
of ``PatientAccess``; the answers — the proxy rules — are accounts.proxy_rules'.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Protocol, Self, TypeVar

from django.db import models

if TYPE_CHECKING:
    from portal.models.charts import PatientChart

M = TypeVar("M", bound=models.Model)


class PatientAccess(Protocol):
    """What ``for_patient`` asks of the access a page acts through: a PortalAccess."""

    patient_id: int

    def in_force(self) -> bool:
        """Current, and not ended by the patient's age (a guardian's ends at 18)."""
        ...

    def opens(self, area: str | None) -> bool:
        """Whether it opens the portal area ``area`` (an accounts.models.Right value), with the
        adolescent-confidentiality narrowing for guardians; None: no particular area."""
        ...


class PatientOwnedQuerySet(models.QuerySet[M]):
    # The portal area (an accounts.models.Right value) these records belong to: an access that
    # does not open it sees none of them. None: every access to the patient may see them.
    area: ClassVar[str | None] = None

    def for_patient(self, patient: PatientChart, access: PatientAccess) -> Self:
        """The records of ``patient`` that ``access`` may see: none when the access is to
        someone else, no longer in force, or does not open the records' area."""
        records = self.filter(patient=patient)
        if access.patient_id != patient.pk or not access.in_force() or not access.opens(self.area):
            return records.none()
        return records.seen_through(patient=patient, access=access)

    def seen_through(self, *, patient: PatientChart, access: PatientAccess) -> Self:
        """A model's own narrowing for the access, after the checks every model shares.

        This is the place for *sensitive items*: the clinical records (results, notes,
        problems, medications marked sensitive) will leave them out here for an access that
        may not see them, asking the access through a rule of accounts.proxy_rules as
        ``opens`` does — never by testing the relationship in the model."""
        return self
