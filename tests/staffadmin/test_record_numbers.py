"""The practice's rule for new record numbers (portal/record_numbers.py): its prefix and the next
number, numbers in use skipped, and two charts created at once never given the same number.
(Kernel code, tested here beside the console page that uses it: tests/portal is another area's.)"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction

from portal.models import PatientChart
from portal.record_numbers import record_number_preview, record_number_take
from tests import factories


@pytest.mark.django_db
def test_it_is_the_prefix_and_the_next_number_and_moves_on(practice):
    practice.record_number_prefix = "HFP-"
    practice.record_number_next = 41
    practice.save()
    with transaction.atomic():
        first = record_number_take(practice=practice)
    with transaction.atomic():
        second = record_number_take(practice=practice)
    assert (first, second) == ("HFP-000041", "HFP-000042")
    practice.refresh_from_db()
    assert practice.record_number_next == 43


@pytest.mark.django_db
def test_a_practice_without_a_rule_starts_at_one(practice):
    assert record_number_preview(practice=practice) == "000001"
    with transaction.atomic():
        assert record_number_take(practice=practice) == "000001"


@pytest.mark.django_db
def test_numbers_already_on_a_chart_are_skipped(practice):
    practice.record_number_prefix = "HFP-"
    practice.save()
    factories.make_chart(practice, "Ann", "One", record_number="HFP-000001")
    factories.make_chart(practice, "Ben", "Two", record_number="HFP-000002")
    assert record_number_preview(practice=practice) == "HFP-000003"
    with transaction.atomic():
        assert record_number_take(practice=practice) == "HFP-000003"


@pytest.mark.django_db
def test_the_preview_takes_nothing(practice):
    record_number_preview(practice=practice)
    record_number_preview(practice=practice)
    practice.refresh_from_db()
    assert practice.record_number_next == 1


@pytest.mark.django_db
def test_each_practice_counts_on_its_own(practice, other_practice):
    with transaction.atomic():
        assert record_number_take(practice=practice) == "000001"
        assert record_number_take(practice=other_practice) == "000001"


@pytest.mark.django_db(transaction=True)  # no test-wide transaction around it
def test_it_must_run_in_the_transaction_that_creates_the_chart(practice):
    # Outside one, the lock would end before the chart exists: another could take the number.
    with pytest.raises(RuntimeError):
        record_number_take(practice=practice)


@pytest.mark.django_db(transaction=True)
def test_two_charts_created_at_once_get_two_numbers(practice):
    """Two staff members at once: the second waits for the first's transaction (the practice's
    row is locked), then sees its chart and takes the next number."""
    numbers: list[str] = []
    errors: list[BaseException] = []
    started = threading.Barrier(2)

    def create(first: str) -> None:
        try:
            started.wait()
            with transaction.atomic():
                number = record_number_take(practice=practice)
                time.sleep(0.3)  # the chart is written a moment later, still in the transaction
                PatientChart.objects.create(practice=practice, record_number=number,
                                            first_name=first, last_name="Race",
                                            date_of_birth="1990-01-01", zip_code="02139")
            numbers.append(number)
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(name,)) for name in ("Ann", "Ben")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert sorted(numbers) == ["000001", "000002"]
    assert PatientChart.objects.filter(practice=practice).count() == 2
