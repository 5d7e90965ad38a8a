"""SPEC E11: accounts unused for the practice's inactivity period are unenrolled (daily task and
``manage.py unenroll_inactive``); sign-in then says the account is inactive; staff unenroll by
hand and re-activate from the chart (T4)."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from accounts.models import PortalAccess, Relationship, StaffRole
from accounts.tasks import unenroll_inactive_accounts
from accounts.unenrollment import accounts_due_for_unenrollment, inactive_accounts_unenroll
from portal.models import AuditAction, AuditEvent, OutboxMessage, PortalStatus
from tests import factories
from tests.pages import assert_not_found, assert_page, assert_redirect, assert_refused
from tests.signin import sign_in

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def enrolled(alice):
    """Alice, enrolled, with a verified address, last signed in (a little after) now."""
    alice.chart.portal_status = PortalStatus.ENROLLED
    alice.chart.save()
    EmailAddress.objects.create(user=alice.user, email="alice@example.com", verified=True,
                                primary=True)
    alice.user.last_login = timezone.now()
    alice.user.save()
    return alice


def days_later(days: float):
    return time_machine.travel(timezone.now() + datetime.timedelta(days=days), tick=False)


def unenrolled_notices():
    return OutboxMessage.objects.filter(template="account-unenrolled")


def refresh(*objects):
    for obj in objects:
        obj.refresh_from_db()


# The sweep -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("days", "unenrolled"), [(729, False), (731, True)])
def test_it_unenrolls_after_the_practices_period(enrolled, practice, days, unenrolled):
    assert practice.inactivity_unenroll_days == 730
    with days_later(days):
        assert inactive_accounts_unenroll() == int(unenrolled)
    refresh(enrolled.user, enrolled.chart)
    assert enrolled.user.is_active is not unenrolled
    expected = PortalStatus.UNENROLLED if unenrolled else PortalStatus.ENROLLED
    assert enrolled.chart.portal_status == expected


def test_it_follows_a_shorter_practice_setting(enrolled, practice):
    practice.inactivity_unenroll_days = 90
    practice.save()
    with days_later(89):
        assert inactive_accounts_unenroll() == 0
    with days_later(91):
        assert inactive_accounts_unenroll() == 1


def test_never_signed_in_counts_from_when_the_account_was_made(enrolled):
    enrolled.user.last_login = None
    enrolled.user.date_joined = timezone.now() - 700 * DAY
    enrolled.user.save()
    with days_later(29):
        assert inactive_accounts_unenroll() == 0
    with days_later(31):
        assert inactive_accounts_unenroll() == 1


def test_a_practice_that_never_unenrolls_is_left_alone(enrolled, practice):
    practice.inactivity_unenroll_days = None
    practice.save()
    with days_later(5000):
        assert inactive_accounts_unenroll() == 0
    refresh(enrolled.user)
    assert enrolled.user.is_active


def test_every_practice_the_account_reaches_must_agree(enrolled, practice, other_practice):
    practice.inactivity_unenroll_days = 30
    practice.save()
    other_practice.inactivity_unenroll_days = 60
    other_practice.save()
    elsewhere = factories.make_chart(other_practice, "Alice", "Archer")
    factories.grant(enrolled.user, elsewhere)
    with days_later(45):
        assert inactive_accounts_unenroll() == 0
    with days_later(61):
        assert inactive_accounts_unenroll() == 1
    refresh(enrolled.chart, elsewhere)
    assert enrolled.chart.portal_status == elsewhere.portal_status == PortalStatus.UNENROLLED


def test_one_practice_that_never_unenrolls_keeps_the_account(enrolled, other_practice):
    other_practice.inactivity_unenroll_days = None
    other_practice.save()
    factories.grant(enrolled.user, factories.make_chart(other_practice, "Alice", "Archer"))
    with days_later(5000):
        assert inactive_accounts_unenroll() == 0


@pytest.mark.parametrize("kind", ["staff", "superuser"])
def test_staff_and_superusers_are_never_unenrolled(practice, kind):
    if kind == "staff":
        user = factories.make_staff("staff-who-is-a-patient", practice)
    else:
        user = factories.make_user("operator", is_staff=True, is_superuser=True)
    factories.grant(user, factories.make_chart(practice, "Stan", "Staff"))
    user.last_login = timezone.now()
    user.save()
    with days_later(5000):
        assert accounts_due_for_unenrollment() == []
        assert inactive_accounts_unenroll() == 0
    refresh(user)
    assert user.is_active


def test_an_account_reaching_no_chart_is_left_alone(practice):
    user = factories.make_user("no-chart-yet")
    with days_later(5000):
        assert inactive_accounts_unenroll() == 0
    refresh(user)
    assert user.is_active


def test_a_proxy_is_unenrolled_but_the_patients_chart_keeps_its_status(enrolled, practice):
    guardian = factories.make_user("guardian-only")
    factories.grant(guardian, enrolled.chart, Relationship.GUARDIAN)
    guardian.last_login = timezone.now() - 800 * DAY
    guardian.save()
    assert inactive_accounts_unenroll() == 1
    refresh(guardian, enrolled.chart, enrolled.user)
    assert not guardian.is_active
    assert enrolled.user.is_active
    assert enrolled.chart.portal_status == PortalStatus.ENROLLED
    event = AuditEvent.objects.get(action=AuditAction.ACCOUNT_UNENROLLED)
    assert event.patient == enrolled.chart
    assert event.subject_user == guardian
    assert event.extra == {"reason": "inactivity", "relationship": "guardian"}


def test_what_unenrolling_does(enrolled):
    device = Client()
    device.force_login(enrolled.user)
    with days_later(731):
        inactive_accounts_unenroll()
    refresh(enrolled.user, enrolled.chart)
    assert not enrolled.user.is_active
    assert enrolled.chart.portal_status == PortalStatus.UNENROLLED
    # The accesses are kept, rights and all, for re-activation.
    assert PortalAccess.objects.current().filter(user=enrolled.user).count() == 1
    # Its sessions are over.
    assert_redirect(device.get("/"), "/account/login/")
    event = AuditEvent.objects.get(action=AuditAction.ACCOUNT_UNENROLLED)
    assert event.actor is None
    assert event.patient == enrolled.chart
    assert event.extra["reason"] == "inactivity"


def test_the_notice_goes_to_the_verified_address_without_health_details(enrolled, practice):
    practice.phone = "+16175550100"
    practice.save()
    with days_later(731):
        inactive_accounts_unenroll()
    notice = unenrolled_notices().get()
    assert notice.recipient == "alice@example.com"
    assert notice.subject == "Your patient portal account was unenrolled"
    for body in (notice.body_text, notice.body_html):
        assert "alice-archer" in body
        assert "after a long time without use" in body
        assert "contact your practice" in body
        assert "Harbor Family Practice" in body
        assert "(617) 555-0100" in body
        for detail in (enrolled.chart.record_number, "1985", "06/15", "02139", "Archer"):
            assert detail not in body


def test_no_notice_without_a_verified_address(enrolled):
    EmailAddress.objects.filter(user=enrolled.user).update(verified=False)
    with days_later(731):
        assert inactive_accounts_unenroll() == 1
    assert not unenrolled_notices().exists()


def test_an_unenrolled_account_is_not_unenrolled_again(enrolled):
    with days_later(731):
        assert inactive_accounts_unenroll() == 1
        assert inactive_accounts_unenroll() == 0
    assert unenrolled_notices().count() == 1


def test_the_daily_task_and_the_command(enrolled, charlie):
    charlie.user.last_login = timezone.now()
    charlie.user.save()
    assert settings.CELERY_BEAT_SCHEDULE["unenroll-inactive-accounts"]["task"] == (
        "accounts.tasks.unenroll_inactive_accounts"
    )
    with days_later(731):
        out = io.StringIO()
        call_command("unenroll_inactive", "--dry-run", stdout=out)
        assert out.getvalue().strip() == "2 account(s) would be unenrolled."
        refresh(enrolled.user)
        assert enrolled.user.is_active
        assert unenroll_inactive_accounts.delay().get() == 2
        out = io.StringIO()
        call_command("unenroll_inactive", stdout=out)
        assert out.getvalue().strip() == "0 account(s) unenrolled."


# Signing in to an inactive account --------------------------------------------------------------

def unenroll(person):
    with days_later(731):
        inactive_accounts_unenroll()


def test_the_right_password_shows_the_account_is_inactive(client, enrolled):
    unenroll(enrolled)
    response = sign_in(client, "alice-archer")
    assert response.status_code == 302
    assert response["Location"] == "/account/inactive/"
    page = client.get(response["Location"]).content.decode()
    assert "Your account is inactive" in page
    assert "contact your practice" in page
    assert 'class="site-header"' in page  # our base.html
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_gets_the_ordinary_failure(client, enrolled):
    unenroll(enrolled)
    response = sign_in(client, "alice-archer", "Wrong-Password-1!")
    body = assert_page(response, "account/login.html",
                       "The username or password is not correct.")
    assert "inactive" not in body.lower()
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED).exists()


def test_an_inactive_account_is_told_before_any_code_is_sent(client, enrolled):
    unenroll(enrolled)
    assert_redirect(sign_in(client, "alice-archer"), "/account/inactive/")
    assert not OutboxMessage.objects.filter(template="verification-code").exists()


# Staff: unenroll by hand and re-activate ----------------------------------------------------

def chart_url(chart, action=""):
    return f"/staff/portal/patientchart/{chart.pk}/{action}"


def action_view(action: str) -> str:
    return f"admin:portal_patientchart_{action.strip('/')}"


def back_on_the_chart(response, chart, *texts: str) -> str:
    assert response.redirect_chain == [(chart_url(chart, "change/"), 302)]
    return assert_page(response, "admin/change_form.html", *texts)


def test_staff_unenroll_by_hand_with_the_same_notice(client, staff, enrolled):
    client.force_login(staff)
    page = client.get(chart_url(enrolled.chart, "change/")).content.decode()
    assert "Unenroll from portal" in page and "Re-activate portal account" not in page
    response = client.post(chart_url(enrolled.chart, "unenroll/"), follow=True)
    back_on_the_chart(response, enrolled.chart, "“alice-archer” unenrolled",
                      "A notice was sent to its verified email address.")
    refresh(enrolled.user, enrolled.chart)
    assert not enrolled.user.is_active
    assert enrolled.chart.portal_status == PortalStatus.UNENROLLED
    event = AuditEvent.objects.get(action=AuditAction.ACCOUNT_UNENROLLED)
    assert (event.actor, event.subject_user) == (staff, enrolled.user)
    assert event.extra["reason"] == "staff"
    notice = unenrolled_notices().get()
    assert "Your practice unenrolled your patient portal account" in notice.body_text
    assert enrolled.chart.record_number not in notice.body_text
    assert "Re-activate portal account" in response.content.decode()


def test_staff_reactivate_and_the_patient_signs_in_again(client, staff, enrolled):
    unenroll(enrolled)
    client.force_login(staff)
    page = client.get(chart_url(enrolled.chart, "change/")).content.decode()
    assert "Re-activate portal account" in page and "Unenroll from portal" not in page
    response = client.post(chart_url(enrolled.chart, "reactivate/"), follow=True)
    back_on_the_chart(response, enrolled.chart, "“alice-archer” re-activated")
    refresh(enrolled.user, enrolled.chart)
    assert enrolled.user.is_active
    assert enrolled.chart.portal_status == PortalStatus.ENROLLED
    event = AuditEvent.objects.get(action=AuditAction.ACCOUNT_REACTIVATED)
    assert (event.actor, event.subject_user) == (staff, enrolled.user)
    assert event.patient == enrolled.chart
    assert "user" not in event.extra
    patient = Client()
    response = sign_in(patient, "alice-archer", code_to="alice@example.com")
    assert_redirect(response, "/")
    assert_page(patient.get("/"), "portal/home.html", "Welcome, Alice")


def test_re_activation_gives_a_fresh_inactivity_period(client, staff, enrolled):
    unenroll(enrolled)
    with days_later(732):
        client.force_login(staff)
        assert_redirect(client.post(chart_url(enrolled.chart, "reactivate/")),
                        chart_url(enrolled.chart, "change/"))
        refresh(enrolled.user)
        assert enrolled.user.is_active
        # The last sign-in is still two years ago, but the account just got a fresh start,
        # which the account itself keeps (not the audit trail).
        assert enrolled.user.reactivated_at == timezone.now()
        assert inactive_accounts_unenroll() == 0
    with days_later(732 + 731):
        assert inactive_accounts_unenroll() == 1


@pytest.mark.parametrize("action", ["unenroll/", "reactivate/"])
def test_the_actions_are_post_only(client, staff, enrolled, action):
    client.force_login(staff)
    assert_refused(client.get(chart_url(enrolled.chart, action)), 405, action_view(action))


@pytest.mark.parametrize("action", ["unenroll/", "reactivate/"])
def test_other_practice_staff_get_404(client, other_staff, enrolled, action):
    client.force_login(other_staff)
    assert_not_found(client.post(chart_url(enrolled.chart, action)), action_view(action))
    refresh(enrolled.user)
    assert enrolled.user.is_active
    assert not AuditEvent.objects.filter(action__startswith="accounts.").exists()


@pytest.mark.parametrize("action", ["unenroll/", "reactivate/"])
def test_staff_without_the_change_permission_get_403(client, practice, enrolled, action):
    billing = factories.make_staff("staff-billing", practice, StaffRole.BILLING)
    client.force_login(billing)
    assert_refused(client.post(chart_url(enrolled.chart, action)), 403, action_view(action))
    refresh(enrolled.user)
    assert enrolled.user.is_active


def test_patients_cannot_reach_the_actions(client, charlie, enrolled):
    client.force_login(charlie.user)
    response = client.post(chart_url(enrolled.chart, "unenroll/"))
    assert_redirect(response, f"/staff/login/?next={chart_url(enrolled.chart, 'unenroll/')}")
    refresh(enrolled.user)
    assert enrolled.user.is_active


def test_an_account_used_with_another_practice_is_not_unenrolled_from_here(
    client, staff, enrolled, other_practice
):
    factories.grant(enrolled.user, factories.make_chart(other_practice, "Alice", "Archer"))
    client.force_login(staff)
    response = client.post(chart_url(enrolled.chart, "unenroll/"), follow=True)
    back_on_the_chart(response, enrolled.chart, "also used with another practice")
    refresh(enrolled.user)
    assert enrolled.user.is_active
    assert not unenrolled_notices().exists()


def test_a_staff_members_own_account_is_not_unenrolled_by_hand(client, staff, practice):
    own = factories.make_chart(practice, "Stan", "Staff", portal_status=PortalStatus.ENROLLED)
    factories.grant(staff, own)
    other_admin = factories.make_staff("staff-admin", practice, StaffRole.PRACTICE_ADMIN)
    client.force_login(other_admin)
    response = client.post(chart_url(own, "unenroll/"), follow=True)
    back_on_the_chart(response, own, "staff accounts are not unenrolled")
    refresh(staff)
    assert staff.is_active


def test_a_chart_without_an_account_has_nothing_to_unenroll(client, staff, practice):
    chart = factories.make_chart(practice, "Nora", "Noaccount",
                                 portal_status=PortalStatus.ENROLLED)
    client.force_login(staff)
    response = client.post(chart_url(chart, "unenroll/"), follow=True)
    back_on_the_chart(response, chart, "nothing to unenroll")
