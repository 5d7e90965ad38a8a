from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from enrollment.expiry import abandoned_accounts_retire, invitations_expire
from enrollment.models import Invitation
from portal.models import AuditAction, AuditEvent, PortalStatus
from tests.enrollment.conftest import GOOD_DETAILS, sign_up_path_from_outbox

pytestmark = pytest.mark.django_db


def test_the_sweep_marks_lapsed_invitations_and_frees_their_usernames(client,
                                                                      emailed_invitation,
                                                                      new_patient):
    client.get(sign_up_path_from_outbox("nora@example.com"))
    client.post("/enroll/identify/", {"zip_code": "02139", "date_of_birth": "06/15/1985"})
    client.post("/enroll/security-details/", GOOD_DETAILS)
    assert User.objects.filter(username="Alice.Archer", is_active=False).exists()
    later = timezone.now() + datetime.timedelta(days=6)
    assert invitations_expire(now=later) == 1
    assert invitations_expire(now=later) == 0  # idempotent
    invitation = Invitation.objects.get()
    assert invitation.expired_at == later
    assert not User.objects.filter(username="Alice.Archer").exists()
    new_patient.refresh_from_db()
    assert new_patient.portal_status == PortalStatus.NOT_ENROLLED
    assert AuditEvent.objects.filter(action=AuditAction.INVITATION_EXPIRED).count() == 1


def test_open_invitations_are_left_alone(emailed_invitation):
    assert invitations_expire() == 0
    assert Invitation.objects.get().expired_at is None


def test_abandoned_new_accounts_are_retired_after_a_day(client, practice):
    client.post("/enroll/new-account/", {
        "practice": practice.pk, "first_name": "Ann", "last_name": "Abandon",
        "date_of_birth": "01/01/1990", "zip_code": "02139", "email": "ann@example.com"})
    client.post("/enroll/security-details/", {**GOOD_DETAILS, "email": "ann@example.com"})
    assert abandoned_accounts_retire() == 0
    assert abandoned_accounts_retire(now=timezone.now() + datetime.timedelta(days=2)) >= 1
    assert not User.objects.filter(username="Alice.Archer").exists()


def test_active_accounts_are_never_retired(alice):
    abandoned_accounts_retire(now=timezone.now() + datetime.timedelta(days=400))
    assert User.objects.filter(pk=alice.user.pk).exists()


def test_the_operator_command(emailed_invitation):
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    out = StringIO()
    call_command("expire_tokens", stdout=out)
    assert "1 invitation(s) marked expired" in out.getvalue()


def test_beat_runs_the_sweep(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "enrollment.tasks.expire_invitations" in tasks
