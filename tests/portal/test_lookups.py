"""Lookups the kernel registers (portal/models/lookups.py)."""

from __future__ import annotations

import pytest

from portal.models import PatientChart

pytestmark = pytest.mark.django_db


def test_a_number_no_integer_column_holds_matches_nothing_in_a_list(alice):
    # SQLite's driver failed on it ("Python int too large to convert to SQLite INTEGER"): any
    # form of several choices (the console's groups and permissions) reached it with a 500.
    charts = PatientChart.objects.filter(pk__in=[10**30, -(10**30), alice.chart.pk])
    assert list(charts) == [alice.chart]
    assert not PatientChart.objects.filter(pk__in=[10**30]).exists()
    assert PatientChart.objects.exclude(pk__in=[10**30]).count() == 1
