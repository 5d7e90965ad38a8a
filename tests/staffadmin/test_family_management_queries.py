"""Family Management (SPEC P8) costs the same number of queries whatever the number of people
linked to the chart (CONVENTIONS: list pages keep a constant query count)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Relationship
from enrollment.representatives import representative_invite
from tests import factories
from tests.pages import assert_page

pytestmark = pytest.mark.django_db


def family_url(chart) -> str:
    return reverse("admin:portal_patientchart_family", args=[chart.pk])


def link_people(practice, alice, numbers: range) -> None:
    """For each n: a representative, a pending invitation, a dependent and a guaranteed chart."""
    for n in numbers:
        helper = factories.make_user(f"helper-{n:02d}", first_name="Helper", last_name=f"H{n:02d}")
        factories.grant(helper, alice.chart, Relationship.TRUSTED_REPRESENTATIVE)
        representative_invite(patient=alice.chart, relationship=Relationship.CARE_MANAGER,
                              first_name="Invitee", last_name=f"I{n:02d}",
                              email=f"invitee-{n}@example.com", rights=["billing"], ends_at=None,
                              invited_by=alice.user)
        factories.grant(alice.user, factories.make_chart(
            practice, "Dependent", f"D{n:02d}", date_of_birth=datetime.date(2014, 5, 1 + n)),
            Relationship.GUARDIAN)
        factories.make_chart(practice, "Billed", f"B{n:02d}", guarantor=alice.chart,
                             date_of_birth=datetime.date(2016, 2, 1 + n))


def queries_of(client, url: str) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return len(queries), response


def shows_everyone(response, upto: int) -> None:
    names = [f"{kind}{upto - 1:02d}" for kind in ("helper-", "Invitee I", "Dependent D",
                                                  "Billed B")]
    assert_page(response, "staffadmin/family_management/index.html",
                "<h1>Family Management</h1>", "<h2>Alice Archer</h2>", *names)


def test_the_page_costs_the_same_for_2_and_8_people_of_each_kind(
        client, staff, practice, alice, django_assert_max_num_queries):
    link_people(practice, alice, range(2))
    client.force_login(staff)
    client.get(family_url(alice.chart))  # the first page after signing in starts the idle clock
    few, response = queries_of(client, family_url(alice.chart))
    shows_everyone(response, 2)
    link_people(practice, alice, range(2, 8))
    many, response = queries_of(client, family_url(alice.chart))
    shows_everyone(response, 8)
    assert many == few, (few, many)
    with django_assert_max_num_queries(16):  # one of them writes the audit event
        response = client.get(family_url(alice.chart))
    shows_everyone(response, 8)
