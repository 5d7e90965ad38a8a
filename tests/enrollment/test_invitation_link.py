"""SPEC E4: the "Sign Up" link → ZIP + date of birth → Create Security Details → code → home."""

from __future__ import annotations

import pytest
from django.core import mail

from accounts.models import PortalAccess, Relationship, SecurityAnswer, User
from accounts.security_questions import answer_matches
from enrollment.models import Invitation
from portal.models import AuditAction, AuditEvent, OutboxMessage, PortalStatus
from tests import sms
from tests.enrollment.conftest import GOOD_DETAILS, latest_code, sign_up_path_from_outbox
from tests.pages import assert_page

pytestmark = pytest.mark.django_db

IDENTITY = {"zip_code": "02139", "date_of_birth": "06/15/1985"}


def walk_to_security_details(client, path):
    assert client.get(path).url == "/enroll/identify/"
    response = client.post("/enroll/identify/", IDENTITY)
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert response.url == "/enroll/security-details/"


def test_the_invitation_goes_by_email_and_text_without_health_details(emailed_invitation):
    email = mail.outbox[0]
    assert email.to == ["nora@example.com"]
    assert "Sign Up" in email.alternatives[0][0]
    assert "/enroll/sign-up/" in email.body
    assert sms.sent[0]["to"] == "+16175550111"
    assert "/enroll/sign-up/" in sms.sent[0]["body"]
    for text in (email.body, email.alternatives[0][0], sms.sent[0]["body"]):
        assert "06/15/1985" not in text and "1985" not in text and "North" not in text


def test_the_whole_path_activates_the_account_and_opens_home(client, emailed_invitation,
                                                              new_patient):
    walk_to_security_details(client, sign_up_path_from_outbox("nora@example.com"))
    response = client.post("/enroll/security-details/", GOOD_DETAILS)
    assert response.url == "/enroll/verify/"
    user = User.objects.get(username="Alice.Archer")
    assert not user.is_active  # nothing works before the code is verified
    response = client.post("/enroll/verify/", {"code": latest_code("alice@example.com")})
    assert response.url == "/"
    assert_page(client.get("/"), "portal/home.html", "Welcome, Nora")
    user.refresh_from_db()
    assert user.is_active and user.check_password("Blue-Harbor-42")
    access = PortalAccess.objects.get(user=user)
    assert (access.patient, access.relationship) == (new_patient, Relationship.SELF)
    new_patient.refresh_from_db()
    assert new_patient.portal_status == PortalStatus.ENROLLED
    assert user.emailaddress_set.get().verified
    answers = {a.question: a.answer_hash for a in SecurityAnswer.objects.filter(user=user)}
    assert answer_matches("  BISCUIT ", answers["first_pet"])
    assert "Biscuit" not in answers["first_pet"]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {AuditAction.INVITATION_ISSUED, AuditAction.INVITATION_SENT,
            AuditAction.IDENTITY_PASSED, AuditAction.SECURITY_DETAILS_SET,
            AuditAction.CODE_SENT, AuditAction.ACCOUNT_ACTIVATED,
            AuditAction.ACCESS_GRANTED} <= actions
    granted = AuditEvent.objects.get(action=AuditAction.ACCESS_GRANTED)
    assert (granted.subject_user, granted.patient) == (user, new_patient)
    assert "user" not in granted.extra


def test_the_link_works_only_once(client, emailed_invitation):
    path = sign_up_path_from_outbox("nora@example.com")
    walk_to_security_details(client, path)
    client.post("/enroll/security-details/", GOOD_DETAILS)
    client.post("/enroll/verify/", {"code": latest_code("alice@example.com")})
    client.logout()
    response = client.get(path)
    assert_page(response, "enrollment/unavailable.html", "This link or token can")


def test_expired_revoked_and_unknown_links_get_the_same_calm_page(client, emailed_invitation,
                                                                  staff, new_patient):
    from django.utils import timezone

    path = sign_up_path_from_outbox("nora@example.com")
    bodies = [client.get("/enroll/sign-up/not-a-real-key/").content]
    Invitation.objects.update(expires_at=timezone.now())
    bodies.append(client.get(path).content)
    Invitation.objects.update(expires_at=timezone.now() + timezone.timedelta(days=1),
                              revoked_at=timezone.now())
    bodies.append(client.get(path).content)
    assert len(set(bodies)) == 1
    assert_page(client.get(path), "enrollment/unavailable.html",
                "Please contact your practice for a new one.")


def test_a_resent_invitation_revokes_the_old_link(client, emailed_invitation, staff,
                                                  new_patient):
    from enrollment.models import InvitationKind
    from enrollment.services import invitation_issue_and_send

    old_path = sign_up_path_from_outbox("nora@example.com")
    invitation_issue_and_send(
        patient=new_patient, kind=InvitationKind.LINK, created_by=staff,
        email="nora@example.com")
    assert b"This link or token can" in client.get(old_path).content


def test_wrong_identity_five_times_locks_the_invitation(client, emailed_invitation):
    client.get(sign_up_path_from_outbox("nora@example.com"))
    for attempt in range(1, 5):
        response = client.post("/enroll/identify/", {"zip_code": "02139",
                                                     "date_of_birth": "06/16/1985"})
        assert b"don&#x27;t match our records" in response.content, attempt
    response = client.post("/enroll/identify/", {"zip_code": "99999",
                                                 "date_of_birth": "06/15/1985"})
    assert_page(response, "enrollment/locked.html", "Please contact your practice")
    invitation = emailed_invitation.invitation
    invitation.refresh_from_db()
    assert invitation.locked_at is not None
    # Even the right answers no longer open it.
    client.get(sign_up_path_from_outbox("nora@example.com"))
    assert b"This link or token can" in client.post("/enroll/identify/", IDENTITY).content


def test_identity_checks_are_throttled_per_address(client, practice, staff, settings):
    from enrollment.models import InvitationKind
    from enrollment.services import invitation_issue_and_send
    from tests import factories

    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "enroll_identity": "3/h/ip"}
    for n in range(2):  # two invitations, so no single one locks
        chart = factories.make_chart(practice, "Pat", f"Person{n}")
        issued = invitation_issue_and_send(patient=chart, kind=InvitationKind.LINK,
                                           created_by=staff, email=f"p{n}@example.com")
        client.get(f"/enroll/sign-up/{issued.secret}/")
        for _ in range(2):
            response = client.post("/enroll/identify/", {"zip_code": "11111",
                                                         "date_of_birth": "01/01/1970"})
    assert b"Too many attempts from this device" in response.content


def test_bad_dates_and_zip_codes_get_messages_next_to_the_field(client, emailed_invitation):
    client.get(sign_up_path_from_outbox("nora@example.com"))
    response = client.post("/enroll/identify/", {"zip_code": "abc", "date_of_birth": "31/31/85"})
    assert_page(response, "enrollment/identify.html", "Enter a 5-digit ZIP code.",
                "Enter the date of birth as mm/dd/yyyy")


def test_steps_cannot_be_skipped(client, emailed_invitation):
    client.get(sign_up_path_from_outbox("nora@example.com"))
    for step in ("/enroll/security-details/", "/enroll/verify/"):
        assert_page(client.get(step), "enrollment/unavailable.html", "This link or token can")


def test_no_outbound_message_carries_the_code_to_anyone_else(client, emailed_invitation):
    walk_to_security_details(client, sign_up_path_from_outbox("nora@example.com"))
    client.post("/enroll/security-details/", GOOD_DETAILS)
    codes = OutboxMessage.objects.filter(template="verification-code")
    assert [m.recipient for m in codes] == ["alice@example.com"]


def test_an_invitation_can_carry_the_rights_and_end_date_of_the_access(client, new_patient,
                                                                      staff):
    import datetime

    from django.utils import timezone

    from enrollment.models import InvitationKind
    from enrollment.services import invitation_issue_and_send

    ends = timezone.now() + datetime.timedelta(days=90)
    issued = invitation_issue_and_send(
        patient=new_patient, kind=InvitationKind.LINK, created_by=staff,
        relationship=Relationship.TRUSTED_REPRESENTATIVE, first_name="Rita", last_name="Rep",
        email="rita@example.com", rights=["appointments", "billing"], access_ends_at=ends)
    assert client.get(f"/enroll/sign-up/{issued.secret}/").url == "/enroll/identify/"
    assert client.post("/enroll/identify/", IDENTITY).url == "/enroll/welcome/"
    assert "I\u2019m new here" in client.get("/enroll/welcome/").content.decode()
    client.post("/enroll/security-details/", {**GOOD_DETAILS, "email": "rita@example.com"})
    client.post("/enroll/verify/", {"code": latest_code("rita@example.com")})
    access = PortalAccess.objects.get(patient=new_patient, user__username="Alice.Archer")
    assert access.relationship == Relationship.TRUSTED_REPRESENTATIVE
    assert {r.value for r in access.rights} == {"appointments", "billing"}
    assert access.ends_at == ends


def test_an_invitee_with_an_account_signs_in_with_it_instead(client, new_patient, staff, bob):
    """SPEC P1 "Welcome": existing user → Enter Portal (then the sign-in code) → the patient's
    record, on the same login."""
    from enrollment.models import InvitationKind
    from enrollment.services import invitation_issue_and_send
    from tests import factories
    from tests.factories import PASSWORD
    from tests.signin import latest_code as sign_in_code

    factories.add_code_method(bob.user, "bob@example.com")
    issued = invitation_issue_and_send(
        patient=new_patient, kind=InvitationKind.LINK, created_by=staff,
        relationship=Relationship.TRUSTED_REPRESENTATIVE, first_name="Bob", last_name="Baker",
        email="bob@example.com")
    users_before = User.objects.count()
    client.get(f"/enroll/sign-up/{issued.secret}/")
    client.post("/enroll/identify/", IDENTITY)
    wrong = client.post("/enroll/welcome/", {"username": "bob-baker", "password": "nope"})
    assert b"The username or password is not right." in wrong.content
    response = client.post("/enroll/welcome/", {"username": "BOB-BAKER", "password": PASSWORD})
    assert response.url == "/account/login/verify-code/"
    client.get(response.url)
    done = client.post("/account/login/verify-code/", {"code": sign_in_code("bob@example.com")})
    assert done.url == "/"
    page = client.get("/").content.decode()
    assert ("You are viewing the record of <strong>Nora North</strong> as their trusted "
            "representative") in page
    assert User.objects.count() == users_before  # no second login
    issued.invitation.refresh_from_db()
    assert issued.invitation.used_at is not None and issued.invitation.user == bob.user
    assert_page(client.get(f"/enroll/sign-up/{issued.secret}/"), "enrollment/unavailable.html",
                "This link or token can")  # the calm page


def test_guessing_passwords_on_the_welcome_page_is_throttled(client, new_patient, staff, bob):
    from enrollment.models import InvitationKind
    from enrollment.services import invitation_issue_and_send
    from tests.factories import PASSWORD

    issued = invitation_issue_and_send(
        patient=new_patient, kind=InvitationKind.LINK, created_by=staff,
        relationship=Relationship.TRUSTED_REPRESENTATIVE, first_name="Bob", last_name="Baker",
        email="bob@example.com")
    client.get(f"/enroll/sign-up/{issued.secret}/")
    client.post("/enroll/identify/", IDENTITY)
    for _ in range(5):
        client.post("/enroll/welcome/", {"username": "bob-baker", "password": "wrong-guess"})
    response = client.post("/enroll/welcome/", {"username": "bob-baker", "password": PASSWORD})
    assert_page(response, "enrollment/welcome.html", "Too many failed login attempts")
    assert not PortalAccess.objects.filter(user=bob.user, patient=new_patient).exists()


# The Welcome page's sign-in is the sign-in page's: one limit per account -----------------------


@pytest.fixture
def at_welcome(client, new_patient, staff, bob, settings):
    from enrollment.models import InvitationKind
    from enrollment.services import invitation_issue_and_send

    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]
    issued = invitation_issue_and_send(
        patient=new_patient, kind=InvitationKind.LINK, created_by=staff,
        relationship=Relationship.TRUSTED_REPRESENTATIVE, first_name="Bob", last_name="Baker",
        email="bob@example.com")
    client.get(f"/enroll/sign-up/{issued.secret}/")
    assert client.post("/enroll/identify/", IDENTITY).url == "/enroll/welcome/"
    return client


def test_failed_sign_ins_elsewhere_lock_the_welcome_page(at_welcome, bob, new_patient):
    from django.test import Client

    from tests.factories import PASSWORD
    from tests.signin import sign_in

    for host in ("127.0.0.1:1", "LOCALHOST", "[::1]:2", "localhost:3", "127.0.0.1:4"):
        sign_in(Client(), "bob-baker", "Wrong-Password-1!", HTTP_HOST=host)
    response = at_welcome.post("/enroll/welcome/", {"username": "Bob-Baker",
                                                    "password": PASSWORD})
    assert_page(response, "enrollment/welcome.html", "Too many failed login attempts")
    assert not PortalAccess.objects.filter(user=bob.user, patient=new_patient).exists()


def test_failures_on_the_welcome_page_lock_the_sign_in_page(at_welcome, bob):
    from django.test import Client

    from tests import factories
    from tests.signin import sign_in

    for _ in range(5):
        at_welcome.post("/enroll/welcome/", {"username": "BOB-BAKER", "password": "nope"},
                        HTTP_HOST="127.0.0.1:9")
    factories.add_code_method(bob.user, "bob@example.com")
    response = sign_in(Client(), "bob-baker")
    assert_page(response, "account/login.html", "Too many failed login attempts")
