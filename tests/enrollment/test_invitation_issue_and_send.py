"""One service issues and sends every invitation (enrollment.services.invitation_issue_and_send).

Six screens and sweeps used to compose it by hand, each a little differently. Each test here
pins one rule that used to hold on some paths only.
"""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
import time_machine
from django.utils import timezone

from accounts.models import Relationship
from enrollment.age_out import guardian_accesses_age_out
from enrollment.models import EnrollmentRequest, Invitation, InvitationKind
from enrollment.representatives import representative_invite
from portal.models import AuditAction, AuditEvent, OutboxMessage, PortalStatus
from tests import factories
from tests.signin import signed_in_recently

pytestmark = pytest.mark.django_db


def chart_action(chart, action: str) -> str:
    return f"/staff/portal/patientchart/{chart.pk}/{action}/"


def wizard(chart, step: str = "") -> str:
    return f"/staff/portal/patientchart/{chart.pk}/enable-portal-access/{step}"


# Whom an earlier invitation belonged to ------------------------------------------------------

def test_a_new_way_in_ends_every_open_one_of_the_same_patient(client, staff, new_patient):
    """Printed credentials, a token and a link are three ways into the same account: only the
    newest may work, whatever its kind (the chart says "Any earlier invitation no longer
    works")."""
    client.force_login(staff)
    client.post(chart_action(new_patient, "generate-password"))
    client.post(chart_action(new_patient, "issue-token"))
    client.post(chart_action(new_patient, "send-invitation"))
    states = dict(Invitation.objects.values_list("kind", "revoked_at"))
    assert states[InvitationKind.TEMPORARY_PASSWORD] is not None
    assert states[InvitationKind.TOKEN] is not None
    assert states[InvitationKind.LINK] is None


def test_inviting_the_same_representative_again_ends_the_first_link(alice):
    """A corrected relationship is the same person: the first link must stop working."""
    first = representative_invite(
        patient=alice.chart, relationship=Relationship.TRUSTED_REPRESENTATIVE,
        first_name="Dana", last_name="Diaz", email="dana@example.com", rights=["messages"],
        ends_at=None, invited_by=alice.user)
    representative_invite(
        patient=alice.chart, relationship=Relationship.CARE_MANAGER, first_name="Dana",
        last_name="Diaz", email="DANA@example.com", rights=["messages"], ends_at=None,
        invited_by=alice.user)
    first.refresh_from_db()
    assert first.state == "revoked"


def test_two_people_sharing_a_family_address_are_both_invited(client, staff, practice):
    """Two guardians may share one email address; each invitation names its own person, so
    neither cancels the other, and the wizard does not refuse them."""
    mother = factories.make_chart(practice, "Maya", "Moss", notification_email="moss@example.com")
    child = factories.make_chart(practice, "Kit", "Moss", guarantor=mother,
                                 date_of_birth=datetime.date(2016, 1, 2))
    client.force_login(staff)
    client.post(wizard(child), {"guarantor": "on", "other": "on", "other_first_name": "Milo",
                                "other_last_name": "Moss", "other_email": "moss@example.com",
                                "delivery": "email"})
    response = client.post(wizard(child, "relationships/"), {
        "guarantor-relationship": "guardian", "other-relationship": "guardian"})
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert sorted(i.first_name for i in Invitation.objects.all() if i.is_usable) == [
        "Maya", "Milo"]


# A patient who has an account ----------------------------------------------------------------

@pytest.mark.parametrize("action", ["send-invitation", "issue-token", "generate-password"])
def test_a_patient_with_an_account_is_not_invited_again(client, staff, alice, action):
    """A second account for the same chart helps nobody (the age-out sweep already knew):
    staff are told what to do instead."""
    alice.chart.notification_email = "alice@example.com"
    alice.chart.save()
    client.force_login(staff)
    response = client.post(chart_action(alice.chart, action), follow=True)
    assert b"already has a portal account" in response.content
    assert not Invitation.objects.exists()


def test_the_wizard_does_not_invite_a_patient_with_an_account(client, staff, alice):
    client.force_login(staff)
    response = client.post(wizard(alice.chart), {"patient": "on", "delivery": "print"})
    assert b"already has a portal account" in response.content
    assert not Invitation.objects.exists()


# Texting as well as emailing -----------------------------------------------------------------

def test_a_new_adult_with_only_a_mobile_number_is_invited_by_text(practice):
    teen = factories.make_chart(practice, "Tess", "Teen", date_of_birth=datetime.date(2008, 3, 10),
                                mobile_phone="+16175550199")
    factories.grant(factories.make_user("tess-parent"), teen, Relationship.GUARDIAN)
    with time_machine.travel(datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.UTC),
                             tick=False):
        assert guardian_accesses_age_out() == 1
    text = OutboxMessage.objects.get(template="invitation")
    assert (text.channel, text.recipient) == ("sms", "+16175550199")
    assert Invitation.objects.get().patient == teen


def test_an_approved_requester_with_a_mobile_abroad_gets_the_text(client, staff, new_patient):
    """Numbers are handed on in E.164: read back in the national format, a number from
    another country lost its country code."""
    request_obj = EnrollmentRequest.objects.create(
        practice=new_patient.practice, first_name="Nora", last_name="North",
        date_of_birth=new_patient.date_of_birth, zip_code="02139",
        mobile_phone="+447911123456")
    client.force_login(staff)
    client.post(f"/staff/enrollment/enrollmentrequest/{request_obj.pk}/approve/",
                {"patient": new_patient.pk})
    text = OutboxMessage.objects.get(template="invitation", channel="sms")
    assert text.recipient == "+447911123456"


# What the audit trail says -------------------------------------------------------------------

def test_the_issued_event_says_what_the_invitation_gives(alice):
    ends_at = timezone.now() + datetime.timedelta(days=30)
    representative_invite(
        patient=alice.chart, relationship=Relationship.CARE_MANAGER, first_name="Carl",
        last_name="Case", email="carl@example.com", rights=["billing", "messages"],
        ends_at=ends_at, invited_by=alice.user)
    event = AuditEvent.objects.get(action=AuditAction.INVITATION_ISSUED)
    assert event.extra["relationship"] == Relationship.CARE_MANAGER
    assert event.extra["rights"] == ["billing", "messages"]
    assert event.extra["ends_at"] == ends_at.isoformat()


def test_the_issued_event_names_the_related_charts_it_opens(client, staff, practice):
    mother = factories.make_chart(practice, "Maya", "Moss", notification_email="moss@example.com")
    child = factories.make_chart(practice, "Kit", "Moss", guarantor=mother)
    sibling = factories.make_chart(practice, "Kai", "Moss", guarantor=mother)
    client.force_login(staff)
    client.post(wizard(child), {"guarantor": "on", "delivery": "email"})
    client.post(wizard(child, "relationships/"), {
        "guarantor-relationship": "guardian", f"guarantor-grant-{sibling.pk}": "on"})
    event = AuditEvent.objects.get(action=AuditAction.INVITATION_ISSUED)
    assert event.extra["grants"] == [{"patient": sibling.pk, "relationship": "guardian"}]


# All or nothing ------------------------------------------------------------------------------

def _send_invitation(client, staff, new_patient, **_):
    client.force_login(staff)
    client.post(chart_action(new_patient, "send-invitation"))


def _self_registration(client, staff, **_):
    client.force_login(staff)
    client.post("/staff/portal/patientchart/self-registration/", {
        "first_name": "Sam", "last_name": "Newman", "email": "sam@example.com",
        "mobile_phone": ""})


def _representative(client, alice, **_):
    signed_in_recently(client, alice.user)
    client.post("/account/representatives/invite/", {
        "first_name": "Dana", "last_name": "Diaz", "email": "dana@example.com",
        "relationship": Relationship.TRUSTED_REPRESENTATIVE, "rights": ["messages"],
        "ends_on": ""})


def _approval(client, staff, new_patient, **_):
    request_obj = EnrollmentRequest.objects.create(
        practice=new_patient.practice, first_name="Nora", last_name="North",
        date_of_birth=new_patient.date_of_birth, zip_code="02139", email="nora@example.com")
    client.force_login(staff)
    client.post(f"/staff/enrollment/enrollmentrequest/{request_obj.pk}/approve/",
                {"patient": new_patient.pk})


def _wizard(client, staff, new_patient, **_):
    client.force_login(staff)
    client.post(wizard(new_patient), {"patient": "on", "delivery": "email"})
    client.post(wizard(new_patient, "relationships/"))


def _age_out(practice, **_):
    teen = factories.make_chart(practice, "Tess", "Teen", date_of_birth=datetime.date(2008, 3, 10),
                                notification_email="tess@example.com")
    factories.grant(factories.make_user("tess-parent"), teen, Relationship.GUARDIAN)
    with time_machine.travel(datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.UTC),
                             tick=False):
        guardian_accesses_age_out()


@pytest.mark.parametrize("path", [_send_invitation, _self_registration, _representative,
                                  _approval, _wizard, _age_out])
def test_a_failure_while_sending_leaves_no_invitation(client, staff, alice, new_patient,
                                                      practice, path):
    """Issuing and sending are one transaction: an invitation nobody received must not be
    left open (nor audited as issued, nor the chart marked invited)."""
    with mock.patch("enrollment.services.outbox_email", side_effect=RuntimeError("down")), \
            pytest.raises(RuntimeError):
        path(client=client, staff=staff, alice=alice, new_patient=new_patient,
             practice=practice)
    assert not Invitation.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.INVITATION_ISSUED).exists()
    new_patient.refresh_from_db()
    assert new_patient.portal_status == PortalStatus.NOT_ENROLLED


def test_a_request_is_not_matched_to_a_chart_that_has_an_account(client, staff, alice):
    request_obj = EnrollmentRequest.objects.create(
        practice=alice.chart.practice, first_name="Alice", last_name="Archer",
        date_of_birth=alice.chart.date_of_birth, zip_code="02139", email="al@example.com")
    client.force_login(staff)
    response = client.post(f"/staff/enrollment/enrollmentrequest/{request_obj.pk}/approve/",
                           {"patient": alice.chart.pk})
    assert b"already has a portal account" in response.content
    request_obj.refresh_from_db()
    assert request_obj.status == "pending"
    assert not Invitation.objects.exists()
