"""Proxy invitations (issue 10, item 5): the email says who invites whom and what will be asked,
and nothing else about the patient; the Welcome page gives "I'm new here" and "I already have an
account" equal weight; the patient is told when a representative accepts."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress

from accounts.models import PortalAccess, Relationship
from enrollment.models import Invitation, InvitationKind
from enrollment.services import invitation_issue_and_send, short_name
from portal.models import OutboxMessage
from tests import factories
from tests.enrollment.conftest import GOOD_DETAILS, latest_code
from tests.pages import assert_page, assert_redirect
from tests.signin import signed_in_recently

pytestmark = pytest.mark.django_db

IDENTITY = {"zip_code": "02139", "date_of_birth": "06/15/1985"}
DANA = {"first_name": "Dana", "last_name": "Diaz", "email": "dana@example.com",
        "relationship": Relationship.TRUSTED_REPRESENTATIVE,
        "rights": ["appointments", "messages"], "ends_on": ""}


@pytest.fixture
def named_alice(alice):
    """Alice's account with her name on it, and a verified email the portal writes to."""
    alice.user.first_name, alice.user.last_name = "Alice", "Archer"
    alice.user.save(update_fields=["first_name", "last_name"])
    EmailAddress.objects.create(user=alice.user, email="alice@example.com", verified=True,
                                primary=True)
    return alice


def _invited_by_alice(client, alice) -> OutboxMessage:
    signed_in_recently(client, alice.user)
    assert_redirect(client.post("/account/representatives/invite/", DANA),
                    "/account/representatives/")
    client.logout()
    return OutboxMessage.objects.get(recipient="dana@example.com", template="invitation")


def _sign_up(client, email: OutboxMessage) -> None:
    path = re.search(r"https?://[^/\s]+(/enroll/sign-up/\S+/)", email.body_text).group(1)
    client.get(path)
    assert_redirect(client.post("/enroll/identify/", IDENTITY), "/enroll/welcome/")


def _all_of(email: OutboxMessage) -> str:
    return email.subject + email.body_text + email.body_html


# The invitation email ---------------------------------------------------------------------------

def test_short_names_are_a_first_name_and_a_last_initial():
    assert short_name("Emily", "Carter") == "Emily C."
    assert short_name(" Emily ", " ") == "Emily"


def test_the_patients_invitation_says_who_invites_whom_and_what_will_be_asked(client,
                                                                              named_alice):
    email = _invited_by_alice(client, named_alice)
    assert email.subject == "Alice A. invites you to the Harbor Family Practice patient portal"
    assert ("Alice A. invites you to be their trusted representative on the Harbor Family "
            "Practice patient portal.") in email.body_text
    assert ("You will be asked for Alice A.\u2019s ZIP code and date of birth. Then you sign in "
            "with your own portal account, or create one.") in email.body_text
    assert "Hello Dana," in email.body_text and "Sign Up" in email.body_html


def test_the_invitation_tells_nothing_more_about_the_patient(client, named_alice):
    email = _invited_by_alice(client, named_alice)
    chart = named_alice.chart
    for detail in ("Archer", chart.record_number, "1985", "06/15", "02139", "alice@example.com"):
        assert detail not in _all_of(email), detail


def test_the_practices_invitation_names_the_practice_as_the_inviter(new_patient, staff):
    invitation_issue_and_send(
        patient=new_patient, kind=InvitationKind.LINK, created_by=staff,
        relationship=Relationship.GUARDIAN, first_name="Gina", last_name="North",
        email="gina@example.com")
    email = OutboxMessage.objects.get(recipient="gina@example.com", template="invitation")
    assert email.subject == "Your invitation to the Harbor Family Practice patient portal"
    assert ("Harbor Family Practice invites you to its patient portal as the guardian of "
            "Nora N., to help with their care.") in email.body_text
    assert "You will be asked for Nora N.\u2019s ZIP code and date of birth." in email.body_text
    assert "staff-harbor" not in _all_of(email)


def test_the_patients_own_invitation_asks_for_their_own_details(new_patient, staff):
    invitation_issue_and_send(patient=new_patient, kind=InvitationKind.LINK, created_by=staff,
                              email="nora@example.com")
    email = OutboxMessage.objects.get(recipient="nora@example.com", template="invitation")
    assert "Harbor Family Practice invites you to create your patient portal account." in (
        email.body_text)
    assert ("You will be asked for your ZIP code and date of birth, then to choose a username "
            "and password.") in email.body_text


def test_the_expiry_date_is_written_mm_dd_yyyy(new_patient, staff):
    issued = invitation_issue_and_send(patient=new_patient, kind=InvitationKind.LINK,
                                       created_by=staff, email="nora@example.com")
    email = OutboxMessage.objects.get(recipient="nora@example.com", template="invitation")
    local = issued.invitation.expires_at.astimezone(new_patient.practice.tzinfo)
    assert f"expires on {local:%m/%d/%Y}." in email.body_text


def test_the_invitation_goes_out_in_the_practices_language(new_patient, staff, settings):
    new_patient.practice.default_language = "es"
    new_patient.practice.save(update_fields=["default_language"])
    invitation_issue_and_send(
        patient=new_patient, kind=InvitationKind.LINK, created_by=staff,
        relationship=Relationship.GUARDIAN, first_name="Gina", last_name="North",
        email="gina@example.com", mobile_phone="+16175550199")
    email = OutboxMessage.objects.get(recipient="gina@example.com", template="invitation")
    text = OutboxMessage.objects.get(recipient="+16175550199", template="invitation")
    assert "Hola" in email.body_text and "Hello" not in email.body_text
    assert "Nora N." in email.body_text and "código postal" in email.body_text
    assert "Regístrese" in text.body_text


# The Welcome page -------------------------------------------------------------------------------

def test_welcome_gives_both_choices_equal_weight(client, named_alice):
    _sign_up(client, _invited_by_alice(client, named_alice))
    body = assert_page(client.get("/enroll/welcome/"), "enrollment/welcome.html",
                       "Harbor Family Practice invited you to be the trusted representative of "
                       "Alice A.")
    choices = re.findall(r'<li class="card welcome-choice">\s*<h2>([^<]+)</h2>.*?'
                         r'<a class="([^"]+)" href="([^"]+)">([^<]+)</a>', body, re.S)
    assert [(heading, label) for heading, _, _, label in choices] == [
        ("I\u2019m new here", "Create my account"), ("I already have an account", "Sign in")]
    assert choices[0][1] == choices[1][1] == "button welcome-button"  # the same weight
    assert [href for _, _, href, _ in choices] == ["/enroll/security-details/",
                                                   "/enroll/welcome/?account=existing"]
    assert "<form" not in body.split('class="welcome"', 1)[1]  # choose first, then type


def test_i_already_have_an_account_shows_the_sign_in_form(client, named_alice):
    _sign_up(client, _invited_by_alice(client, named_alice))
    body = assert_page(client.get("/enroll/welcome/?account=existing"),
                       "enrollment/welcome.html", "Sign in to accept the invitation",
                       'name="username"', 'name="password"', "Enter Portal")
    assert 'href="/enroll/welcome/"' in body  # and back to the choice
    response = client.post("/enroll/welcome/", {"username": "", "password": ""})
    assert_page(response, "enrollment/welcome.html", "Enter your username.",
                "Enter your password.", 'class="error-summary"', 'name="username"')


# The patient is told ----------------------------------------------------------------------------

def _notice(alice) -> OutboxMessage:
    return OutboxMessage.objects.get(recipient="alice@example.com",
                                     template="representative-accepted")


def test_the_patient_is_told_when_a_new_representative_finishes_enrolling(client, named_alice):
    _sign_up(client, _invited_by_alice(client, named_alice))
    client.get("/enroll/security-details/")
    response = client.post("/enroll/security-details/", {**GOOD_DETAILS,
                                                         "email": "dana@example.com"})
    assert_redirect(response, "/enroll/verify/")
    assert not OutboxMessage.objects.filter(template="representative-accepted").exists()
    assert client.post("/enroll/verify/", {"code": latest_code("dana@example.com")}).url == "/"
    notice = _notice(named_alice)
    assert notice.subject == "Dana D. can now use the patient portal on your behalf"
    assert ("Dana D. accepted the invitation to be your trusted representative at Harbor Family "
            "Practice.") in notice.body_text
    assert "http://127.0.0.1:8000/account/representatives/" in notice.body_text
    assert "Hello Alice," in notice.body_text


def test_the_patient_is_told_when_someone_accepts_with_their_own_account(client, named_alice,
                                                                         practice):
    dana = factories.make_user("dana-diaz", first_name="Dana", last_name="Diaz")
    _sign_up(client, _invited_by_alice(client, named_alice))
    client.post("/enroll/welcome/", {"username": "dana-diaz", "password": factories.PASSWORD})
    assert PortalAccess.objects.filter(user=dana, patient=named_alice.chart).exists()
    assert "Dana D. accepted the invitation" in _notice(named_alice).body_text


def test_the_notice_is_in_the_patients_language(client, named_alice):
    named_alice.user.language = "es"
    named_alice.user.save(update_fields=["language"])
    dana = factories.make_user("dana-diaz", first_name="Dana", last_name="Diaz")
    invitation = invitation_issue_and_send(
        patient=named_alice.chart, kind=InvitationKind.LINK, created_by=named_alice.user,
        relationship=Relationship.TRUSTED_REPRESENTATIVE, first_name="Dana", last_name="Diaz",
        email="dana@example.com").invitation
    from enrollment.services import invitation_accept_existing

    invitation_accept_existing(invitation=invitation, user=dana)
    notice = _notice(named_alice)
    assert "Hola" in notice.body_text and "Hello" not in notice.body_text
    assert "Dana D." in notice.body_text and "aceptó la invitación" in notice.body_text


def test_the_notice_tells_no_health_detail_and_goes_to_the_patient_only(client, named_alice,
                                                                        bob):
    dana = factories.make_user("dana-diaz", first_name="Dana", last_name="Diaz")
    EmailAddress.objects.create(user=bob.user, email="bob@example.com", verified=True)
    invitation = invitation_issue_and_send(
        patient=named_alice.chart, kind=InvitationKind.LINK, created_by=named_alice.user,
        relationship=Relationship.TRUSTED_REPRESENTATIVE, first_name="Dana", last_name="Diaz",
        email="dana@example.com").invitation
    from enrollment.services import invitation_accept_existing

    invitation_accept_existing(invitation=invitation, user=dana)
    notices = OutboxMessage.objects.filter(template="representative-accepted")
    assert [n.recipient for n in notices] == ["alice@example.com"]  # not Bob, another proxy
    for detail in (named_alice.chart.record_number, "1985", "02139", "Archer"):
        assert detail not in _all_of(notices[0])


def test_a_patients_own_enrollment_tells_nobody(client, new_patient, staff, emailed_invitation):
    from tests.enrollment.conftest import sign_up_path_from_outbox

    client.get(sign_up_path_from_outbox("nora@example.com"))
    client.post("/enroll/identify/", IDENTITY)
    client.post("/enroll/security-details/", GOOD_DETAILS)
    client.post("/enroll/verify/", {"code": latest_code("alice@example.com")})
    assert Invitation.objects.get(pk=emailed_invitation.invitation.pk).used_at is not None
    assert not OutboxMessage.objects.filter(template="representative-accepted").exists()
