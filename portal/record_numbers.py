"""The practice's rule for new medical record numbers: its prefix and the next number, zero-padded
to six digits ("DFM-" and 417 make "DFM-000417").

Race-safe through the database: the practice's row is locked (SELECT ... FOR UPDATE) while the
next number is taken, and the lock is held until the caller's transaction ends, so the caller
must create the chart in that same transaction. Two staff members creating charts at once get
two numbers, one after the other. A number already on a chart (typed by hand, or imported) is
skipped; the unique constraint on (practice, record number) stays the last word.
"""

from __future__ import annotations

from django.db import transaction

from portal.models import PatientChart, Practice

DIGITS = 6


def record_number_format(*, prefix: str, number: int) -> str:
    return f"{prefix}{number:0{DIGITS}d}"


def _first_free(practice: Practice) -> int:
    """The practice's next number, or the first after it that no chart has."""
    number = practice.record_number_next
    while PatientChart.objects.filter(
        practice=practice,
        record_number=record_number_format(prefix=practice.record_number_prefix, number=number),
    ).exists():
        number += 1
    return number


def record_number_preview(*, practice: Practice) -> str:
    """The number the next chart would get, for a page to show (nothing is reserved)."""
    return record_number_format(prefix=practice.record_number_prefix,
                                number=_first_free(practice))


def record_number_take(*, practice: Practice) -> str:
    """The next free record number of ``practice``, taken: the practice's counter moves past it.
    Call it inside the transaction that creates the chart (see the module docstring)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("take a record number inside the transaction that creates the chart")
    locked = Practice.objects.select_for_update().get(pk=practice.pk)
    number = _first_free(locked)
    locked.record_number_next = number + 1
    locked.save(update_fields=["record_number_next"])
    practice.record_number_next = locked.record_number_next
    return record_number_format(prefix=locked.record_number_prefix, number=number)
