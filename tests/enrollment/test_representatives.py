"""The patient's Representatives page (SPEC P1, P4): only alice herself, an adult, may use it."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from accounts.models import PortalAccess, Relationship
from enrollment.models import Invitation
from enrollment.representatives import representative_invite
from portal.models import AuditAction, AuditEvent, OutboxMessage
from tests import factories
from tests.conftest import Person
from tests.pages import assert_not_found, assert_page, assert_redirect, assert_refused
from tests.signin import signed_in_recently

# Each message beside a field starts with a word for screen readers (as GOV.UK does).
ERROR = '<span class="visually-hidden">Error:</span> '

pytestmark = pytest.mark.django_db

PAGE = "/account/representatives/"
INVITE = "/account/representatives/invite/"


# One helper per kind of address, from the object's own fields.
def rights_url(access) -> str:
    return reverse("representative_edit_rights", args=[access.code])


def revoke_url(access) -> str:
    return reverse("representative_revoke", args=[access.code])


def cancel_url(invitation) -> str:
    return reverse("representative_invitation_cancel", args=[invitation.code])


def representatives_page(response, *texts: str) -> str:
    return assert_page(response, "enrollment/representatives/index.html", *texts)


def _in_days(person, days: int) -> str:
    return (person.chart.practice.today() + datetime.timedelta(days=days)).isoformat()


def _invite_form(**overrides) -> dict:
    data = {"first_name": "Dana", "last_name": "Diaz", "email": "dana@example.com",
            "relationship": Relationship.TRUSTED_REPRESENTATIVE,
            "rights": ["appointments", "messages"], "ends_on": ""}
    data.update(overrides)
    return data


@pytest.fixture
def invitation(alice):
    return representative_invite(
        patient=alice.chart, relationship=Relationship.CARE_MANAGER, first_name="Carl",
        last_name="Case", email="carl@example.com", rights=["billing"], ends_at=None,
        invited_by=alice.user)


def _acting_for_alice(client, bob):
    client.force_login(bob.user)
    client.post("/account/switch/", {"access": bob.access.code})
    return client


def _object_urls(bob, invitation) -> list[tuple[str, str, str]]:
    return [
        ("get", rights_url(bob.access), "representative_edit_rights"),
        ("post", rights_url(bob.access), "representative_edit_rights"),
        ("post", revoke_url(bob.access), "representative_revoke"),
        ("post", cancel_url(invitation), "representative_invitation_cancel"),
    ]


def test_it_lists_representatives_and_pending_invitations(client, alice, bob, invitation):
    PortalAccess.objects.filter(pk=bob.access.pk).update(
        right_billing=False, ends_at=datetime.datetime(2099, 3, 1, 12, tzinfo=datetime.UTC))
    client.force_login(alice.user)
    body = representatives_page(client.get(PAGE))
    assert "bob-baker" in body and "Trusted representative" in body
    assert "Health record, Messages, Appointments, Medication renewals." in body
    assert "Ends on 03/01/2099" in body  # one date format: MM/DD/YYYY
    assert "Carl Case" in body and "Care manager" in body


def test_the_nav_shows_representatives_on_an_adults_own_record_only(client, alice, bob):
    client.force_login(alice.user)
    assert_page(client.get("/"), "portal/home.html", 'href="/account/representatives/"')
    _acting_for_alice(client, bob)
    home = assert_page(client.get("/"), "portal/home.html", "as their trusted representative")
    assert 'href="/account/representatives/"' not in home


def test_it_invites_a_trusted_representative(client, alice):
    signed_in_recently(client, alice.user)
    ends_on = _in_days(alice, 30)
    response = client.post(INVITE, _invite_form(ends_on=ends_on))
    assert_redirect(response, PAGE)
    invitation = Invitation.objects.get(patient=alice.chart, email="dana@example.com")
    assert invitation.relationship == Relationship.TRUSTED_REPRESENTATIVE
    assert invitation.rights == ["appointments", "messages"]
    local = invitation.access_ends_at.astimezone(alice.chart.practice.tzinfo)
    assert (local.date().isoformat(), local.hour) == (ends_on, 0)
    assert invitation.created_by == alice.user and invitation.is_usable
    email = OutboxMessage.objects.get(recipient="dana@example.com", template="invitation")
    assert "trusted representative" in email.body_text and "Sign Up" in email.body_text
    # Who invites whom, by first name and last initial, and nothing more about the patient.
    assert "Alice A." in email.body_text
    for detail in ("Archer", alice.chart.record_number, "1985", "02139"):
        assert detail not in email.subject + email.body_text + email.body_html
    event = AuditEvent.objects.get(action=AuditAction.REPRESENTATIVE_INVITED)
    assert (event.actor, event.patient, event.extra["rights"]) == (
        alice.user, alice.chart, ["appointments", "messages"])


def test_it_refuses_an_end_date_in_the_past_next_to_the_field(client, alice):
    signed_in_recently(client, alice.user)
    response = client.post(INVITE, _invite_form(ends_on=_in_days(alice, -1)))
    body = assert_page(response, "enrollment/representatives/invite.html")
    assert f'id="id_ends_on_error_1">{ERROR}The end date must be in the future.' in body
    assert 'aria-describedby="id_ends_on_help id_ends_on_error_1"' in body
    assert not Invitation.objects.filter(email="dana@example.com").exists()


def test_it_needs_at_least_one_right(client, alice):
    signed_in_recently(client, alice.user)
    response = client.post(INVITE, _invite_form(rights=[]))
    assert_page(response, "enrollment/representatives/invite.html",
                f'id="id_rights_error_1">{ERROR}Choose at least one area.')
    assert not OutboxMessage.objects.filter(recipient="dana@example.com").exists()


def test_a_patient_cannot_invite_a_guardian(client, alice):
    signed_in_recently(client, alice.user)
    response = client.post(INVITE, _invite_form(relationship=Relationship.GUARDIAN))
    assert_page(response, "enrollment/representatives/invite.html", "Select a valid choice")
    assert not Invitation.objects.filter(email="dana@example.com").exists()


def test_it_cancels_a_pending_invitation(client, alice, invitation):
    signed_in_recently(client, alice.user)
    url = cancel_url(invitation)
    assert_refused(client.get(url), 405, "representative_invitation_cancel")
    assert_redirect(client.post(url), PAGE)
    invitation.refresh_from_db()
    assert invitation.state == "revoked"
    event = AuditEvent.objects.get(action=AuditAction.INVITATION_CANCELLED)
    assert (event.actor, event.patient, event.object_id) == (
        alice.user, alice.chart, str(invitation.pk))
    assert url not in representatives_page(client.get(PAGE))


@pytest.mark.urls("tests.accounts.door_urls")
def test_edited_rights_apply_to_bobs_next_request(client, alice, bob):
    bob_client = _acting_for_alice(type(client)(), bob)
    assert bob_client.get("/test/messages/").content.decode() == f"messages of {alice.chart.pk}"
    signed_in_recently(client, alice.user)
    url = rights_url(bob.access)
    assert_page(client.get(url), "enrollment/representatives/edit_rights.html",
                'value="messages"')
    ends_on = _in_days(alice, 10)
    response = client.post(url, {"rights": ["appointments"], "ends_on": ends_on})
    assert_redirect(response, PAGE)
    assert_page(bob_client.get("/test/messages/"), "portal/no_right.html",
                "Messages is not available", status=403)
    appointments = bob_client.get("/test/appointments/").content.decode()
    assert appointments == f"appointments of {alice.chart.pk}"
    bob.access.refresh_from_db()
    assert bob.access.ends_at.astimezone(alice.chart.practice.tzinfo).date().isoformat() == ends_on
    event = AuditEvent.objects.get(action=AuditAction.ACCESS_RIGHTS_CHANGED)
    assert (event.actor, event.subject_user, event.patient) == (alice.user, bob.user, alice.chart)
    assert "user" not in event.extra
    assert event.extra["after"]["rights"] == ["appointments"]


def test_editing_refuses_an_end_date_in_the_past(client, alice, bob):
    signed_in_recently(client, alice.user)
    response = client.post(rights_url(bob.access),
                           {"rights": ["messages"], "ends_on": _in_days(alice, 0)})
    assert_page(response, "enrollment/representatives/edit_rights.html",
                "The end date must be in the future.")
    bob.access.refresh_from_db()
    assert bob.access.right_billing and bob.access.ends_at is None


@pytest.mark.urls("tests.accounts.door_urls")
def test_revoking_ends_bobs_access_at_once(client, alice, bob):
    bob_client = _acting_for_alice(type(client)(), bob)
    assert bob_client.get(f"/test/access/{bob.access.pk}/").content.decode() == (
        f"access {bob.access.pk} of {alice.chart.pk}")
    signed_in_recently(client, alice.user)
    url = revoke_url(bob.access)
    assert_refused(client.get(url), 405, "representative_revoke")
    assert_redirect(client.post(url), PAGE)
    assert_not_found(bob_client.get(f"/test/access/{bob.access.pk}/"))
    bob.access.refresh_from_db()
    assert bob.access.revoked_at is not None and bob.access.revoked_by == alice.user
    event = AuditEvent.objects.get(action=AuditAction.ACCESS_REVOKED)
    assert (event.actor, event.subject_user, event.patient, event.object_id) == (
        alice.user, bob.user, alice.chart, str(bob.access.pk))
    assert url not in representatives_page(client.get(PAGE))


def test_charlie_gets_404_on_alices_objects(client, alice, bob, charlie, invitation):
    signed_in_recently(client, charlie.user)
    for method, url, view in _object_urls(bob, invitation):
        assert_not_found(getattr(client, method)(url, {"rights": ["messages"]}), view)
    body = representatives_page(client.get(PAGE), "Nobody has access to your record but you.")
    assert "bob-baker" not in body and "Carl Case" not in body  # his own, empty page
    bob.access.refresh_from_db()
    invitation.refresh_from_db()
    assert bob.access.is_current() and bob.access.right_billing and invitation.is_usable
    assert alice.access.is_current()


def test_the_page_addresses_objects_by_code_and_an_integer_id_is_a_404(client, alice, bob,
                                                                     invitation):
    client.force_login(alice.user)
    body = client.get("/account/representatives/").content.decode()
    assert f"/account/representatives/{bob.access.code}/rights/" in body
    assert f"/account/representatives/{bob.access.code}/revoke/" in body
    assert f"/account/representatives/invitations/{invitation.code}/cancel/" in body
    for method, url, _view in _object_urls(bob, invitation):
        # No route takes an integer: the address resolves to nothing at all.
        by_id = url.replace(str(bob.access.code), str(bob.access.pk)).replace(
            str(invitation.code), str(invitation.pk))
        assert getattr(client, method)(by_id, {"rights": ["messages"]}).status_code == 404, by_id
    bob.access.refresh_from_db()
    invitation.refresh_from_db()
    assert bob.access.is_current() and bob.access.right_billing and invitation.is_usable


def test_another_patients_codes_are_a_404_for_alice(client, alice, charlie):
    charlies_representative = factories.grant(factories.make_user("dee-dunn"), charlie.chart,
                                              Relationship.TRUSTED_REPRESENTATIVE)
    charlies_invitation = representative_invite(
        patient=charlie.chart, relationship=Relationship.CARE_MANAGER, first_name="Cy",
        last_name="Cole", email="cy@example.com", rights=["billing"], ends_at=None,
        invited_by=charlie.user)
    signed_in_recently(client, alice.user)
    for method, url, view in _object_urls(
            Person(charlie.user, charlie.chart, charlies_representative), charlies_invitation):
        assert_not_found(getattr(client, method)(url, {"rights": ["messages"]}), view)
    charlies_representative.refresh_from_db()
    charlies_invitation.refresh_from_db()
    assert charlies_representative.is_current() and charlies_invitation.is_usable


@pytest.mark.parametrize("url", ["/account/representatives/", "/account/representatives/invite/"])
def test_someone_without_a_record_gets_404_on_every_url(client, url):
    client.force_login(factories.make_user("nobody-here"))
    assert_not_found(client.get(url))
    assert_not_found(client.post(url, _invite_form()))


def test_a_proxy_gets_404_on_alices_representatives_page(client, alice, bob, invitation):
    _acting_for_alice(client, bob)
    assert_not_found(client.get(PAGE), "representatives")
    assert_not_found(client.post(INVITE, _invite_form()), "representative_invite")
    for method, url, view in _object_urls(bob, invitation):
        assert_not_found(getattr(client, method)(url, {"rights": ["messages"]}), view)
    assert not Invitation.objects.filter(email="dana@example.com").exists()


def test_a_minors_own_access_cannot_use_it(client, practice):
    today = practice.today()
    teen = factories.make_chart(practice, "Tess", "Young",
                                date_of_birth=today.replace(year=today.year - 16))
    user = factories.make_user("tess-young")
    factories.grant(user, teen)
    client.force_login(user)
    assert_not_found(client.get(PAGE), "representatives")
    assert_not_found(client.post(INVITE, _invite_form()), "representative_invite")
    home = assert_page(client.get("/"), "portal/home.html", "Welcome, Tess")
    assert 'href="/account/representatives/"' not in home


def test_the_invitees_access_gets_the_chosen_rights_and_end_date(client, alice, charlie):
    from enrollment.services import invitation_accept_existing

    signed_in_recently(client, alice.user)
    assert_redirect(client.post(INVITE, _invite_form(email="charlie@example.com",
                                                     ends_on=_in_days(alice, 60))), PAGE)
    invitation = Invitation.objects.get(email="charlie@example.com")
    access = invitation_accept_existing(invitation=invitation, user=charlie.user)
    assert (access.patient, access.relationship) == (alice.chart,
                                                     Relationship.TRUSTED_REPRESENTATIVE)
    assert [r.value for r in access.rights] == ["messages", "appointments"]
    assert access.ends_at == invitation.access_ends_at


def test_invitations_from_one_patient_are_limited(client, alice, settings):
    from enrollment.models import Invitation

    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS,
                                    "representative_invite": "2/h/user"}
    signed_in_recently(client, alice.user)
    for n in range(3):
        response = client.post(INVITE, {
            "first_name": "Rae", "last_name": ["Reed", "Ross", "Rowe"][n],
            "email": f"rae{n}@example.com",
            "relationship": "representative", "rights": ["appointments"]})
    assert_page(response, "enrollment/representatives/invite.html",
                "several invitations in a short time")
    assert Invitation.objects.count() == 2


def test_the_lists_come_through_for_patient(client, alice, bob, invitation, monkeypatch):
    from portal.models.patient_owned import PatientOwnedQuerySet

    calls = []
    original = PatientOwnedQuerySet.for_patient

    def spy(queryset, patient, access):
        calls.append((queryset.model, patient, access))
        return original(queryset, patient, access)

    monkeypatch.setattr(PatientOwnedQuerySet, "for_patient", spy)
    client.force_login(alice.user)
    assert client.get("/account/representatives/").status_code == 200
    assert {(model, patient.pk, access.pk) for model, patient, access in calls} == {
        (PortalAccess, alice.chart.pk, alice.access.pk), (Invitation, alice.chart.pk,
                                                          alice.access.pk)}


def test_a_new_adult_cannot_reach_a_former_guardians_access(client, practice):
    """On the 18th birthday the guardian's access is over, before the sweep revokes it: it is
    neither listed nor changeable from the patient's page."""
    today = practice.today()
    chart = factories.make_chart(practice, "Ada", "Young",
                                 date_of_birth=today.replace(year=today.year - 18))
    own = factories.grant(factories.make_user("ada-young"), chart)
    guardian = factories.grant(factories.make_user("gus-young"), chart, Relationship.GUARDIAN)
    signed_in_recently(client, own.user)
    assert b"gus-young" not in client.get("/account/representatives/").content
    assert client.get(f"/account/representatives/{guardian.code}/rights/").status_code == 404
    assert client.post(f"/account/representatives/{guardian.code}/revoke/").status_code == 404
    guardian.refresh_from_db()
    assert guardian.revoked_at is None  # the sweep's to tidy, with its notice


@pytest.mark.parametrize("how_many", [1, 20])
def test_the_page_costs_a_fixed_number_of_queries(client, alice, how_many,
                                                  django_assert_max_num_queries):
    for n in range(how_many):
        helper = factories.make_user(f"helper-{n}", first_name="Helen", last_name=f"Helper{n}")
        factories.grant(helper, alice.chart, Relationship.TRUSTED_REPRESENTATIVE)
        representative_invite(
            patient=alice.chart, relationship=Relationship.CARE_MANAGER, first_name="Carl",
            last_name=f"Case{n}", email=f"carl{n}@example.com", rights=["billing"],
            ends_at=None, invited_by=alice.user)
    client.force_login(alice.user)
    client.get("/account/representatives/")  # warm the session
    with django_assert_max_num_queries(5):
        response = client.get("/account/representatives/")
    assert response.status_code == 200
    body = response.content.decode()
    assert f"Helen Helper{how_many - 1}" in body and f"Carl Case{how_many - 1}" in body


# What the patient types goes into an email the practice sends to any address -----------------

NAME_RULE = ("Use letters, spaces, apostrophes, hyphens and periods only, up to 50 "
             "characters.")


@pytest.mark.parametrize("field", ["first_name", "last_name"])
@pytest.mark.parametrize("typed", [
    "Claim your refund at https://evil.example", "Dana <b>Diaz</b>", "Dana\nDiaz",
    "Dana 2", "Win $500!", "D" * 51, "-",
])
def test_a_representatives_name_is_letters_only_with_the_rule_next_to_the_field(
        client, alice, field, typed):
    signed_in_recently(client, alice.user)
    response = client.post(INVITE, _invite_form(**{field: typed}))
    assert_page(response, "enrollment/representatives/invite.html",
                f'id="id_{field}_error_1">{ERROR}{NAME_RULE}')
    assert not Invitation.objects.exists() and not OutboxMessage.objects.exists()


@pytest.mark.parametrize("typed", ["Visit evil.example", "Dana.Diaz"])
def test_a_name_cannot_hold_a_web_address(client, alice, typed):
    signed_in_recently(client, alice.user)
    response = client.post(INVITE, _invite_form(last_name=typed))
    assert_page(response, "enrollment/representatives/invite.html",
                f'id="id_last_name_error_1">{ERROR}Put a space after a period, as in '
                '“J. R. Smith”.')
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize(("first", "last"), [
    ("José", "Núñez"), ("Anne-Marie", "O'Connor"), ("Zoë", "St. John"), ("Mary Ann", "O\u2019Neil"),
    ("Jose\u0301", "D" * 50), ("J. R.", "Smith Jr."),
])
def test_real_names_are_accepted(client, alice, first, last):
    signed_in_recently(client, alice.user)
    assert_redirect(client.post(INVITE, _invite_form(first_name=first, last_name=last)), PAGE)
    assert Invitation.objects.get(email="dana@example.com").last_name == last
