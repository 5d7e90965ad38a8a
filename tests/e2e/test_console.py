"""The staff console in a real browser (issue 10, items 3, 4 and 12): every page a practice
administrator can reach, and every operator's page a superuser can reach, passes axe-core (no
serious or critical violation) at 375 px and at 1280 px under the strict CSP; the chart's action
groups and the enrollment request's decisions are laid out without overlap at both widths; and
the idle time-out warning works in the console as on the portal's pages."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Relationship, StaffRole
from enrollment.models import EnrollmentRequest, EnrollmentRequestStatus
from portal.audit import audit_record
from portal.models import AuditAction, AuditEvent, OutboxMessage, PatientChart, PortalStatus
from tests import factories
from tests.e2e.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = ["phone_page", "page"]  # 375 px and 1280 px (tests/e2e/conftest.py)


def signed_in(page, user):
    """The browser signed in as ``user`` (the sign-in pages have browser tests of their own)."""
    client = Client()
    client.force_login(user)
    cookie = django_settings.SESSION_COOKIE_NAME
    page.context.add_cookies([{"name": cookie, "value": client.cookies[cookie].value,
                               "url": page.base_url}])
    return page


def visit(page, path: str) -> None:
    response = page.page.goto(page.base_url + path)
    assert response is not None and response.status == 200, (path, response)
    assert page.url.endswith(path), (path, page.url)  # not sent elsewhere (sign-in)
    assert_accessible(page)


def practice_world(practice):
    """One practice with something on every page."""
    admin = factories.make_staff("admin-harbor", practice, role=StaffRole.PRACTICE_ADMIN)
    factories.make_staff("desk-harbor", practice)
    alice = factories.make_chart(practice, "Alice", "Archer", notification_email="a@ex.org",
                                 portal_status=PortalStatus.ENROLLED)
    factories.grant(factories.make_user("alice-archer", first_name="Alice", last_name="Archer"),
                    alice)
    bob = factories.make_user("bob-baker", first_name="Bob", last_name="Baker")
    rep = factories.grant(bob, alice, Relationship.TRUSTED_REPRESENTATIVE)
    teen_born = practice.today() - datetime.timedelta(days=18 * 365 - 5)  # 18 in about 9 days
    teen = factories.make_chart(practice, "Theo", "Archer", guarantor=alice,
                                date_of_birth=teen_born)
    factories.grant(bob, teen, Relationship.GUARDIAN)
    nora = factories.make_chart(practice, "Nora", "North", notification_email="n@ex.org")
    pending = EnrollmentRequest.objects.create(
        practice=practice, first_name="Rosa", last_name="Archer",
        date_of_birth=datetime.date(1984, 5, 6), zip_code="02139", email="rosa@ex.org")
    decided = EnrollmentRequest.objects.create(
        practice=practice, first_name="Ray", last_name="Quinn",
        date_of_birth=datetime.date(1990, 1, 1), zip_code="02139", email="ray@ex.org",
        status=EnrollmentRequestStatus.REJECTED, rejection_reason="We could not find you.")
    provider = practice.providers.create(first_name="Maya", last_name="Patel", credentials="MD")
    event = audit_record(action=AuditAction.CHART_VIEWED, actor=bob, patient=alice)
    return {"admin": admin, "alice": alice, "teen": teen, "nora": nora, "rep": rep,
            "pending": pending, "decided": decided, "provider": provider, "event": event}


def practice_admin_pages(w) -> list[str]:
    alice, practice = w["alice"], w["alice"].practice
    membership = w["admin"].staff_memberships.get()
    chart = f"/staff/portal/patientchart/{alice.pk}/"
    return [
        "/staff/", "/staff/portal/", "/staff/accounts/", "/staff/enrollment/",
        "/staff/portal/patientchart/", "/staff/portal/patientchart/?q=Archer",
        "/staff/portal/patientchart/add/", f"{chart}change/", f"{chart}history/",
        f"{chart}family/", f"{chart}family/{w['rep'].code}/rights/",
        f"{chart}enable-portal-access/", f"{chart}enable-portal-access/?q=North",
        f"{chart}unenroll/confirm/",
        f"/staff/portal/patientchart/{w['teen'].pk}/family/",
        "/staff/portal/patientchart/age-out-report/",
        "/staff/portal/patientchart/self-registration/",
        "/staff/accounts/portalaccess/", f"/staff/accounts/portalaccess/{w['rep'].pk}/change/",
        "/staff/accounts/staffmembership/", "/staff/accounts/staffmembership/add/",
        f"/staff/accounts/staffmembership/{membership.pk}/change/",
        "/staff/portal/practice/", f"/staff/portal/practice/{practice.pk}/change/",
        "/staff/portal/provider/", "/staff/portal/provider/add/",
        f"/staff/portal/provider/{w['provider'].pk}/change/",
        "/staff/portal/auditevent/", f"/staff/portal/auditevent/{w['event'].pk}/change/",
        "/staff/enrollment/enrollmentrequest/", "/staff/enrollment/enrollmentrequest/?status=all",
        f"/staff/enrollment/enrollmentrequest/{w['pending'].pk}/change/",
        f"/staff/enrollment/enrollmentrequest/{w['decided'].pk}/change/",
        "/staff/password_change/",
    ]


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_a_practice_administrator_reaches_passes_axe(request, width, practice):
    page = request.getfixturevalue(width)
    w = practice_world(practice)
    signed_in(page, w["admin"])
    for path in practice_admin_pages(w):
        visit(page, path)

    # The pages that only a button leads to: each shows a secret once.
    nora = f"/staff/portal/patientchart/{w['nora'].pk}/change/"
    for button, shows in (("Issue enrollment token", "Give this token to the patient"),
                          ("Generate Password", "Temporary password")):
        page.goto(nora)
        page.get_by_role("button", name=button).click()
        page.get_by_text(shows).first.wait_for()
        assert_accessible(page)
    page.goto(f"/staff/portal/patientchart/{w['alice'].pk}/change/")
    page.get_by_role("button", name="Issue password reset token").click()
    page.get_by_text("whose portal username is").wait_for()
    assert_accessible(page)

    # Enable Portal Access, both steps and the printed instructions.
    page.goto(f"/staff/portal/patientchart/{w['teen'].pk}/enable-portal-access/")
    page.get_by_role("group", name="Other", exact=True).get_by_role("checkbox").check()
    page.get_by_label("First name").fill("Olive")
    page.get_by_label("Last name").fill("Other")
    page.get_by_role("radio", name="Print").check()
    page.get_by_role("button", name="Proceed").click()
    page.get_by_text("Step 2: Identify the Relationship to the Patient").wait_for()
    assert_accessible(page)
    page.get_by_label("Relationship to Theo Archer").select_option("guardian")
    page.get_by_role("button", name="Proceed").click()
    page.get_by_role("button", name="Print Instructions").wait_for()
    assert_accessible(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_every_operators_page_passes_axe(request, width, practice, settings):
    page = request.getfixturevalue(width)
    w = practice_world(practice)
    root = factories.make_user("root-admin", is_staff=True, is_superuser=True)
    device = TOTPDevice.objects.create(user=w["rep"].user, name="Phone", confirmed=True)
    email = w["rep"].user.emailaddress_set.create(email="bob@ex.org", verified=True)
    message = OutboxMessage.objects.create(channel="email", recipient="bob@ex.org",
                                           template="test", subject="Test", body_text="b")
    user = w["rep"].user
    signed_in(page, root)
    for path in ["/staff/", "/staff/accounts/user/", f"/staff/accounts/user/{user.pk}/change/",
                 "/staff/accounts/user/add/", f"/staff/accounts/user/{user.pk}/password/",
                 "/staff/portal/outboxmessage/",
                 f"/staff/portal/outboxmessage/{message.pk}/change/",
                 "/staff/account/emailaddress/", f"/staff/account/emailaddress/{email.pk}/change/",
                 "/staff/otp_totp/totpdevice/", f"/staff/otp_totp/totpdevice/{device.pk}/change/",
                 "/staff/otp_totp/totpdevice/add/", "/staff/portal/practice/add/",
                 f"/staff/portal/patientchart/{w['alice'].pk}/change/"]:
        visit(page, path)
    # The set-up code's page, which the console shows only when an operator turns the secrets
    # on (OTP_ADMIN_HIDE_SENSITIVE_DATA off): its QR image is named.
    settings.OTP_ADMIN_HIDE_SENSITIVE_DATA = False
    visit(page, f"/staff/otp_totp/totpdevice/{device.pk}/config/")
    assert page.get_by_role("img", name="QR code to add this account to an authenticator app"
                            ).is_visible()


def boxes(page, selector: str) -> list[dict]:
    return [page.locator(selector).nth(i).bounding_box()
            for i in range(page.locator(selector).count())]


def overlap(a: dict, b: dict) -> bool:
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


@pytest.mark.parametrize("width", WIDTHS)
def test_the_chart_actions_sit_under_the_name_without_overlapping(request, width, practice):
    page = request.getfixturevalue(width)
    w = practice_world(practice)
    signed_in(page, w["admin"])
    page.goto(f"/staff/portal/patientchart/{w['alice'].pk}/change/")
    name = page.locator("#content > h2").first.bounding_box()
    buttons = boxes(page, ".chart-actions .action-button")
    assert len(buttons) == 7  # 5 to give portal access, 1 of sign-in help, 1 risky
    for box in buttons:
        assert box["y"] >= name["y"] + name["height"], "an action over the patient's name"
        assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]
    for i, a in enumerate(buttons):
        for b in buttons[i + 1:]:
            assert not overlap(a, b)
    risky = page.locator(".action-button-risky")
    color = risky.evaluate("el => getComputedStyle(el).backgroundColor")
    history = page.get_by_role("link", name="Change history of this chart")
    assert color != history.evaluate("el => getComputedStyle(el).backgroundColor")


@pytest.mark.parametrize("width", WIDTHS)
def test_an_enrollment_request_is_decided_on_a_page_laid_out_for_the_width(request, width,
                                                                         practice):
    page = request.getfixturevalue(width)
    w = practice_world(practice)
    signed_in(page, w["admin"])
    page.goto(f"/staff/enrollment/enrollmentrequest/{w['pending'].pk}/change/")
    viewport = page.viewport_size["width"]
    for heading in ("Approve with an existing chart", "Create a chart from this request",
                    "Reject"):
        section = page.get_by_role("region", name=heading)
        box = section.bounding_box()
        # Not a clipped strip at the side: the section takes the main column's width.
        assert box["width"] >= min(viewport - 40, 600), (heading, box)
        assert box["x"] + box["width"] <= viewport
    line = page.get_by_role("heading", name="Create a chart from this request").bounding_box()
    assert line["height"] < 60  # a heading on one or two lines, not one letter per line

    page.get_by_role("button", name="Create chart and approve").click()
    page.get_by_text("created and the request approved with it").wait_for()
    assert_accessible(page)
    chart = PatientChart.objects.get(first_name="Rosa")
    assert chart.record_number == "000001"
    assert AuditEvent.objects.filter(action=AuditAction.CHART_CREATED_FROM_REQUEST,
                                     patient=chart).exists()


def test_the_console_warns_before_the_idle_time_out(page, practice):
    practice.session_timeout_minutes = 5
    practice.save()
    w = practice_world(practice)
    signed_in(page, w["admin"])
    page.clock.install()
    page.goto(f"/staff/portal/patientchart/{w['alice'].pk}/change/")
    assert page.locator("body").get_attribute("data-session-timeout") == "300"
    warning = page.get_by_role("alertdialog", name="Are you still there?")
    page.clock.fast_forward("03:01")
    warning.wait_for()
    assert page.evaluate("document.getElementById('container').inert") is True
    assert_accessible(page)
    with page.expect_response(lambda r: r.url.endswith("/account/sessions/keepalive/")) as ping:
        page.get_by_role("button", name="Stay signed in").click()
    assert ping.value.status == 204
    warning.wait_for(state="hidden")
    page.clock.fast_forward("03:01")
    warning.wait_for()
    warning.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/account/login/")
