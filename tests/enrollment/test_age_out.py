"""The age-out sweep (SPEC P7): tidying and notifying after the door has ended a guardian's
access on the patient's 18th birthday in the practice's time zone."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management import call_command

from accounts.models import PortalAccess, Relationship
from accounts.proxy_rules import access_in_force
from enrollment.age_out import adult_on, guardian_accesses_age_out
from enrollment.models import Invitation, InvitationKind
from enrollment.services import invitation_issue_and_send
from enrollment.tasks import age_out_guardian_accesses
from portal.models import AuditAction, AuditEvent, OutboxMessage
from tests import factories

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
# Tess is born 10 March 2008; the practice is in New York (UTC-4 in March).
EVE = datetime.datetime(2026, 3, 10, 3, 30, tzinfo=UTC)  # 9 March, 23:30 in New York
BIRTHDAY = datetime.datetime(2026, 3, 10, 4, 0, tzinfo=UTC)  # 10 March, 00:00 in New York


@pytest.fixture
def teen(practice):
    return factories.make_chart(practice, "Tess", "Teen", date_of_birth=datetime.date(2008, 3, 10),
                                notification_email="tess@example.com")


@pytest.fixture
def parent(teen):
    user = factories.make_user("tess-parent", first_name="Pat", email="pat@example.com")
    EmailAddress.objects.create(user=user, email="pat@example.com", verified=True, primary=True)
    factories.grant(user, teen, Relationship.GUARDIAN)
    return user


def guardian_access(user, chart):
    return PortalAccess.objects.get(user=user, patient=chart, relationship=Relationship.GUARDIAN)


def notices():
    return OutboxMessage.objects.filter(template="guardian-access-ended")


def test_it_leaves_the_access_alone_the_day_before_the_birthday(teen, parent):
    with time_machine.travel(EVE, tick=False):
        assert guardian_accesses_age_out() == 0
    assert guardian_access(parent, teen).revoked_at is None
    assert not notices().exists()
    assert not Invitation.objects.filter(patient=teen).exists()


def test_it_ends_the_access_on_the_birthday_in_the_practices_time_zone(teen, parent):
    with time_machine.travel(BIRTHDAY, tick=False):
        assert guardian_accesses_age_out() == 1
    access = guardian_access(parent, teen)
    assert access.revoked_at == BIRTHDAY
    assert access.revoked_by is None
    event = AuditEvent.objects.get(action=AuditAction.ACCESS_AGED_OUT)
    assert event.patient == teen
    assert event.actor is None
    assert event.object_id == str(access.pk)
    assert event.subject_user == parent  # the person who lost the access
    assert event.extra == {"relationship": "guardian", "notified": True, "invited": True}


def test_it_waits_for_midnight_where_the_practice_is(db):
    honolulu = factories.make_practice("Island Clinic", time_zone="Pacific/Honolulu")
    chart = factories.make_chart(honolulu, "Kai", "Keiki", date_of_birth=datetime.date(2008, 3, 10))
    user = factories.make_user("kai-parent")
    factories.grant(user, chart, Relationship.GUARDIAN)
    with time_machine.travel(BIRTHDAY, tick=False):  # 9 March, 18:00 in Honolulu
        assert guardian_accesses_age_out() == 0
    with time_machine.travel(datetime.datetime(2026, 3, 10, 10, 0, tzinfo=UTC), tick=False):
        assert guardian_accesses_age_out() == 1
    assert guardian_access(user, chart).revoked_at is not None


def test_a_second_run_does_nothing(teen, parent):
    with time_machine.travel(BIRTHDAY, tick=False):
        assert guardian_accesses_age_out() == 1
    counts = (OutboxMessage.objects.count(), AuditEvent.objects.count(),
              Invitation.objects.count())
    with time_machine.travel(BIRTHDAY + datetime.timedelta(days=1), tick=False):
        assert guardian_accesses_age_out() == 0
    assert (OutboxMessage.objects.count(), AuditEvent.objects.count(),
            Invitation.objects.count()) == counts
    assert guardian_access(parent, teen).revoked_at == BIRTHDAY


def test_the_notice_says_the_access_ended_without_health_details(teen, parent, practice):
    with time_machine.travel(BIRTHDAY, tick=False):
        guardian_accesses_age_out()
    notice = notices().get()
    assert notice.recipient == "pat@example.com"
    assert ("Your guardian access to a patient record at Harbor Family Practice ended because "
            "the patient turned 18.") in notice.body_text
    assert "ended because the patient turned 18" in notice.body_html
    for message in (notice.subject, notice.body_text, notice.body_html):
        for detail in ("Tess", "Teen", teen.record_number, "2008", "March 10"):
            assert detail not in message


def test_a_guardian_without_a_verified_address_gets_no_notice(teen):
    user = factories.make_user("quiet-parent", email="quiet@example.com")
    EmailAddress.objects.create(user=user, email="quiet@example.com", verified=False)
    factories.grant(user, teen, Relationship.GUARDIAN)
    with time_machine.travel(BIRTHDAY, tick=False):
        assert guardian_accesses_age_out() == 1
    assert guardian_access(user, teen).revoked_at is not None
    assert not notices().exists()
    assert AuditEvent.objects.get(action=AuditAction.ACCESS_AGED_OUT).extra["notified"] is False


def test_every_guardian_is_told_and_the_new_adult_is_invited_once(teen, parent):
    other = factories.make_user("tess-other-parent")
    EmailAddress.objects.create(user=other, email="other@example.com", verified=True)
    factories.grant(other, teen, Relationship.GUARDIAN)
    with time_machine.travel(BIRTHDAY, tick=False):
        assert guardian_accesses_age_out() == 2
    assert set(notices().values_list("recipient", flat=True)) == {
        "pat@example.com", "other@example.com"}
    invitation = Invitation.objects.get(patient=teen)
    assert invitation.kind == InvitationKind.LINK
    assert invitation.relationship == Relationship.SELF
    assert invitation.email == "tess@example.com"
    assert invitation.created_by is None
    assert OutboxMessage.objects.filter(template="invitation", recipient="tess@example.com").count(
    ) == 1


def test_other_relationships_and_younger_patients_are_untouched(teen, parent, practice):
    own = factories.make_user("tess-herself")
    factories.grant(own, teen)
    helper = factories.make_user("tess-helper")
    factories.grant(helper, teen, Relationship.TRUSTED_REPRESENTATIVE)
    younger = factories.make_chart(practice, "Yan", "Young",
                                   date_of_birth=datetime.date(2008, 3, 11))
    factories.grant(parent, younger, Relationship.GUARDIAN)
    with time_machine.travel(BIRTHDAY, tick=False):
        assert guardian_accesses_age_out() == 1
    assert PortalAccess.objects.filter(revoked_at__isnull=False).count() == 1
    assert guardian_access(parent, younger).revoked_at is None


def no_address(teen):
    teen.notification_email = ""
    teen.save()


def own_account(teen):
    factories.grant(factories.make_user("tess-herself"), teen)


def open_invitation(teen):
    with time_machine.travel(BIRTHDAY - datetime.timedelta(days=1), tick=False):
        invitation_issue_and_send(patient=teen, kind=InvitationKind.TOKEN, created_by=None)


@pytest.mark.parametrize("situation", [no_address, own_account, open_invitation])
def test_the_new_adult_is_not_invited_when_it_is_not_needed(teen, parent, situation):
    situation(teen)
    before = Invitation.objects.count()
    with time_machine.travel(BIRTHDAY, tick=False):
        assert guardian_accesses_age_out() == 1
    assert Invitation.objects.count() == before
    assert not OutboxMessage.objects.filter(template="invitation").exists()
    assert AuditEvent.objects.get(action=AuditAction.ACCESS_AGED_OUT).extra["invited"] is False


def test_a_lapsed_invitation_does_not_stop_a_new_one(teen, parent):
    with time_machine.travel(BIRTHDAY - datetime.timedelta(days=60), tick=False):
        invitation_issue_and_send(patient=teen, kind=InvitationKind.LINK, created_by=None,
                         email="tess@example.com")
    with time_machine.travel(BIRTHDAY, tick=False):
        guardian_accesses_age_out()
    assert Invitation.objects.filter(patient=teen).count() == 2


def test_the_door_already_closed_before_the_sweep(teen, parent):
    # The sweep only tidies: the request-time rule ended the access at midnight.
    guardian = guardian_access(parent, teen)
    with time_machine.travel(EVE, tick=False):
        assert access_in_force(guardian)
    with time_machine.travel(BIRTHDAY, tick=False):
        assert guardian.revoked_at is None
        assert not access_in_force(guardian)


def test_a_leap_day_baby_turns_18_on_the_first_of_march():
    assert adult_on(date_of_birth=datetime.date(2008, 2, 29)) == datetime.date(2026, 3, 1)
    assert adult_on(date_of_birth=datetime.date(2010, 2, 28)) == datetime.date(2028, 2, 28)


def test_the_daily_task_and_the_command(teen, parent, practice):
    assert settings.CELERY_BEAT_SCHEDULE["age-out-guardian-accesses"]["task"] == (
        "enrollment.tasks.age_out_guardian_accesses"
    )
    other = factories.make_chart(practice, "Olly", "Older", date_of_birth=datetime.date(2008, 1, 2))
    factories.grant(parent, other, Relationship.GUARDIAN)
    with time_machine.travel(BIRTHDAY, tick=False):
        assert age_out_guardian_accesses.delay().get() == 2
        out = io.StringIO()
        call_command("age_out", stdout=out)
        assert out.getvalue().strip() == "0 guardian access(es) ended."
