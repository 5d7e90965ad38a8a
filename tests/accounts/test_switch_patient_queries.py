"""Switch patient (SPEC P3) costs the same number of queries whatever the number of patients a
person may act for (CONVENTIONS: list pages keep a constant query count)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Relationship
from tests import factories
from tests.pages import assert_page, assert_redirect

pytestmark = pytest.mark.django_db


def switch_url() -> str:
    return reverse("switch_patient")


@pytest.fixture
def parent(practice):
    user = factories.make_user("paula-parker")
    factories.grant(user, factories.make_chart(practice, "Paula", "Parker"))
    return user


def add_children(practice, parent, numbers: range) -> list:
    return [factories.grant(parent, factories.make_chart(
        practice, f"Kid{n:02d}", "Parker", date_of_birth=datetime.date(2015, 1, 1 + n)),
        Relationship.GUARDIAN) for n in numbers]


def queries_of(client, method: str, *args) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(*args)
    return len(queries), response


def test_the_list_costs_the_same_for_2_and_8_children(client, practice, parent,
                                                        django_assert_max_num_queries):
    add_children(practice, parent, range(2))
    client.force_login(parent)
    client.get(switch_url())  # the first page after signing in also starts the idle clock
    few, response = queries_of(client, "get", switch_url())
    assert_page(response, "accounts/switch_patient.html", "Kid01 Parker")
    add_children(practice, parent, range(2, 8))
    many, response = queries_of(client, "get", switch_url())
    assert_page(response, "accounts/switch_patient.html", "Kid01 Parker", "Kid07 Parker")
    assert many == few
    # session, user, accesses (with patient and practice)
    with django_assert_max_num_queries(3):
        response = client.get(switch_url())
    assert_page(response, "accounts/switch_patient.html", "Open Kid07 Parker\u2019s record")


def test_switching_costs_the_same_for_2_and_8_children(client, practice, parent):
    first = add_children(practice, parent, range(2))
    client.force_login(parent)
    client.get(switch_url())
    few, response = queries_of(client, "post", switch_url(), {"access": first[1].code})
    assert_redirect(response, reverse("home"))
    last = add_children(practice, parent, range(2, 8))[-1]
    many, response = queries_of(client, "post", switch_url(), {"access": last.code})
    assert_redirect(response, reverse("home"))
    assert many == few
    assert "Kid07 Parker" in client.get(reverse("home")).content.decode()
