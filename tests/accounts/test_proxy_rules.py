"""Age-out (SPEC P7) and adolescent confidentiality, enforced by the door at request time."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import Client

from accounts.models import Relationship
from tests import factories
from tests.pages import assert_not_found, assert_page

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.accounts.door_urls")]

UTC = datetime.UTC


def serves(response, area: str, chart) -> None:
    """The door's test page for ``area``, opened on ``chart``."""
    assert response.status_code == 200
    assert response.content.decode() == f"{area} of {chart.pk}"


@pytest.fixture
def teen(practice):
    """Born 10 March 2008: 18 on 10 March 2026 (the practice is in New York)."""
    return factories.make_chart(practice, "Tess", "Teen", date_of_birth=datetime.date(2008, 3, 10))


@pytest.fixture
def parent(teen):
    user = factories.make_user("tess-parent")
    factories.grant(user, teen, Relationship.GUARDIAN)
    return user


def test_a_guardian_keeps_access_until_the_18th_birthday_in_the_practices_time_zone(
    client, parent, teen
):
    # 03:30 UTC on the birthday is still 9 March, 23:30, in New York (daylight time, UTC-4).
    with time_machine.travel(datetime.datetime(2026, 3, 10, 3, 30, tzinfo=UTC)):
        client.force_login(parent)
        serves(client.get("/test/appointments/"), "appointments", teen)
    # 04:00 UTC is midnight in New York: the patient is 18.
    with time_machine.travel(datetime.datetime(2026, 3, 10, 4, 0, tzinfo=UTC)):
        later = Client()  # a new sign-in: the first session has been idle for half an hour
        later.force_login(parent)
        assert_not_found(later.get("/test/appointments/"))


def test_the_patients_own_and_a_representatives_access_do_not_age_out(client, teen):
    own = factories.make_user("tess-herself")
    factories.grant(own, teen)
    helper = factories.make_user("tess-helper")
    factories.grant(helper, teen, Relationship.TRUSTED_REPRESENTATIVE)
    with time_machine.travel(datetime.datetime(2026, 6, 1, 12, tzinfo=UTC)):
        for user in (own, helper):
            client.force_login(user)
            serves(client.get("/test/messages/"), "messages", teen)


def test_an_aged_out_guardian_falls_back_to_their_own_record(client, teen, practice):
    user = factories.make_user("parent-with-chart")
    own_chart = factories.make_chart(practice, "Pam", "Parent")
    factories.grant(user, own_chart)
    factories.grant(user, teen, Relationship.GUARDIAN)
    with time_machine.travel(datetime.datetime(2026, 6, 1, 12, tzinfo=UTC)):
        client.force_login(user)
        serves(client.get("/test/appointments/"), "appointments", own_chart)
        switch = assert_page(client.get("/account/switch/"), "accounts/switch_patient.html",
                             "Pam Parent")
        assert "Tess" not in switch


@pytest.fixture
def fourteen(practice):
    return factories.make_chart(practice, "Finn", "Fourteen",
                                date_of_birth=datetime.date(2012, 1, 15))


def test_with_confidentiality_a_guardian_of_an_adolescent_sees_only_the_allowed_areas(
    client, fourteen, practice
):
    practice.adolescent_confidentiality = True
    practice.save()
    guardian = factories.make_user("finn-parent")
    factories.grant(guardian, fourteen, Relationship.GUARDIAN)
    client.force_login(guardian)
    with time_machine.travel(datetime.datetime(2026, 6, 1, 12, tzinfo=UTC)):
        serves(client.get("/test/appointments/"), "appointments", fourteen)
        assert_page(client.get("/test/messages/"), "portal/no_right.html",
                    "Messages is not available", status=403)
        practice.adolescent_guardian_areas = ["appointments", "billing", "messages"]
        practice.save()
        serves(client.get("/test/messages/"), "messages", fourteen)  # the very next request


def test_without_confidentiality_the_guardian_keeps_every_right(client, fourteen):
    guardian = factories.make_user("finn-parent")
    factories.grant(guardian, fourteen, Relationship.GUARDIAN)
    client.force_login(guardian)
    with time_machine.travel(datetime.datetime(2026, 6, 1, 12, tzinfo=UTC)):
        serves(client.get("/test/messages/"), "messages", fourteen)


def test_confidentiality_leaves_the_adolescents_own_access_alone(client, fourteen, practice):
    practice.adolescent_confidentiality = True
    practice.save()
    own = factories.make_user("finn-himself")
    factories.grant(own, fourteen)
    client.force_login(own)
    with time_machine.travel(datetime.datetime(2026, 6, 1, 12, tzinfo=UTC)):
        serves(client.get("/test/messages/"), "messages", fourteen)


def test_confidentiality_does_not_touch_guardians_of_younger_children(client, practice):
    practice.adolescent_confidentiality = True
    practice.save()
    child = factories.make_chart(practice, "Cara", "Child",
                                 date_of_birth=datetime.date(2016, 5, 5))
    guardian = factories.make_user("cara-parent")
    factories.grant(guardian, child, Relationship.GUARDIAN)
    client.force_login(guardian)
    with time_machine.travel(datetime.datetime(2026, 6, 1, 12, tzinfo=UTC)):
        serves(client.get("/test/messages/"), "messages", child)


def test_two_spouses_can_be_each_others_representatives(client, practice):
    """SPEC P6."""
    ann_chart = factories.make_chart(practice, "Ann", "Spouse")
    ben_chart = factories.make_chart(practice, "Ben", "Spouse")
    ann, ben = factories.make_user("ann-spouse"), factories.make_user("ben-spouse")
    factories.grant(ann, ann_chart)
    factories.grant(ben, ben_chart)
    ann_for_ben = factories.grant(ann, ben_chart, Relationship.TRUSTED_REPRESENTATIVE)
    ben_for_ann = factories.grant(ben, ann_chart, Relationship.TRUSTED_REPRESENTATIVE)
    for user, access, chart in ((ann, ann_for_ben, ben_chart), (ben, ben_for_ann, ann_chart)):
        client.force_login(user)
        client.post("/account/switch/", {"access": access.code})
        assert client.get("/test/messages/").content.decode() == f"messages of {chart.pk}"


def test_several_guardians_each_with_their_own_login(practice):
    """SPEC P2: divorced parents, for example."""
    child = factories.make_chart(practice, "Kit", "Kid", date_of_birth=datetime.date(2016, 1, 1))
    for name in ("mum-login", "dad-login"):
        parent = factories.make_user(name)
        factories.grant(parent, child, Relationship.GUARDIAN)
        browser = Client()
        browser.force_login(parent)
        assert browser.get("/test/messages/").content.decode() == f"messages of {child.pk}"
