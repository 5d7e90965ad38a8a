from __future__ import annotations

import datetime

import pytest

from accounts.models import Relationship
from portal.models import AuditAction, AuditEvent
from tests import factories
from tests.pages import assert_not_found, assert_page, assert_redirect

pytestmark = pytest.mark.django_db


@pytest.fixture
def guardian(practice):
    parent_chart = factories.make_chart(practice, "Paula", "Parker")
    kid1 = factories.make_chart(practice, "Kim", "Parker", date_of_birth=datetime.date(2015, 4, 1))
    kid2 = factories.make_chart(practice, "Kai", "Parker", date_of_birth=datetime.date(2018, 9, 9))
    user = factories.make_user("paula-parker")
    factories.grant(user, parent_chart)
    a1 = factories.grant(user, kid1, Relationship.GUARDIAN)
    a2 = factories.grant(user, kid2, Relationship.GUARDIAN)
    return user, a1, a2


def test_it_lists_every_patient_the_user_may_act_for_own_first(client, guardian, charlie):
    user, _, _ = guardian
    client.force_login(user)
    response = client.get("/account/switch/")
    body = assert_page(response, "accounts/switch_patient.html", "<h1>Switch patient</h1>")
    assert body.index("Paula Parker") < body.index("Kai Parker")
    assert "Kim Parker" in body
    assert "Charlie" not in body


def test_it_switches_and_the_banner_follows(client, guardian):
    user, a1, _ = guardian
    client.force_login(user)
    assert b"your own record" in client.get("/").content
    response = client.post("/account/switch/", {"access": a1.code})
    assert_redirect(response, "/")
    page = client.get("/").content.decode()
    assert "You are viewing the record of <strong>Kim Parker</strong> as their guardian" in page


def test_switching_is_audited(client, guardian):
    user, a1, _ = guardian
    client.force_login(user)
    client.post("/account/switch/", {"access": a1.code})
    event = AuditEvent.objects.get(action=AuditAction.PATIENT_SWITCHED)
    assert (event.actor, event.patient) == (user, a1.patient)


def test_it_refuses_an_access_of_another_user(client, guardian, alice):
    user, _, _ = guardian
    client.force_login(user)
    assert_not_found(client.post("/account/switch/", {"access": alice.access.code}),
                     "switch_patient")
    assert_not_found(client.post("/account/switch/", {"access": "nonsense"}), "switch_patient")
    # Still on Paula's own record, and Alice's is not offered.
    assert_page(client.get("/"), "portal/home.html", "Welcome, Paula")
    assert "Archer" not in client.get("/account/switch/").content.decode()


def test_the_page_posts_codes_and_an_integer_id_is_a_404(client, guardian):
    user, a1, _ = guardian
    client.force_login(user)
    body = client.get("/account/switch/").content.decode()
    assert f'name="access" value="{a1.code}"' in body
    assert f'value="{a1.pk}"' not in body
    assert_not_found(client.post("/account/switch/", {"access": a1.pk}), "switch_patient")
    assert_not_found(client.post("/account/switch/", {"access": f"{a1.code}x"}),
                     "switch_patient")


def test_a_user_with_one_patient_sees_no_switch_link(client, alice):
    client.force_login(alice.user)
    home = assert_page(client.get("/"), "portal/home.html", "Welcome, Alice")
    assert "Switch patient" not in home


def test_a_user_with_no_patient_gets_404(client, practice):
    client.force_login(factories.make_user("lonely-user"))
    assert_not_found(client.get("/account/switch/"), "switch_patient")


def test_it_requires_sign_in(client):
    response = client.get("/account/switch/")
    assert_redirect(response, "/account/login/?next=/account/switch/")
