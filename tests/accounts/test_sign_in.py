from __future__ import annotations

import pytest

from portal.models import AuditAction, AuditEvent
from tests.factories import PASSWORD
from tests.pages import assert_page, assert_redirect

pytestmark = pytest.mark.django_db


from tests.signin import sign_in  # noqa: E402


def test_the_sign_in_page_has_labelled_fields(client):
    body = client.get("/account/login/").content.decode()
    assert '<label for="id_login">Username' in body
    assert '<label for="id_password">Password' in body


@pytest.mark.parametrize("typed", ["alice-archer", "ALICE-ARCHER", "Alice-Archer"])
def test_it_signs_in_with_the_username_in_any_case(client, alice, typed):
    response = sign_in(client, typed, code_to="alice@example.com")
    assert_redirect(response, "/")
    assert_page(client.get("/"), "portal/home.html", "Welcome, Alice")


def test_a_wrong_password_gets_a_message_and_no_session(client, alice):
    response = sign_in(client, "alice-archer", "Wrong-Password-1!")
    assert_page(response, "account/login.html",
                "The username or password is not correct.")
    assert "_auth_user_id" not in client.session


def test_unknown_and_known_usernames_get_the_same_answer(client, alice):
    known = sign_in(client, "alice-archer", "Wrong-Password-1!")
    unknown = sign_in(client, "nobody-here", "Wrong-Password-1!")
    for response in (known, unknown):
        assert_page(response, "account/login.html", "is not correct")
    strip = lambda r: r.content.decode().split('name="csrfmiddlewaretoken"')[0]  # noqa: E731
    assert strip(known) == strip(unknown)


def test_sign_in_and_failures_are_audited(client, alice):
    sign_in(client, "alice-archer", "Wrong-Password-1!", REMOTE_ADDR="203.0.113.9")
    sign_in(client, "alice-archer", REMOTE_ADDR="203.0.113.9", code_to="alice@example.com")
    failed = AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert failed.actor == alice.user
    assert failed.ip_address == "203.0.113.9"
    assert failed.extra == {}  # what was typed is never stored
    assert AuditEvent.objects.filter(action=AuditAction.SIGNED_IN, actor=alice.user).exists()


def test_sign_out_is_a_post_and_is_audited(client, alice):
    client.force_login(alice.user)
    response = client.post("/account/logout/")
    assert_redirect(response, "/account/login/")
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=AuditAction.SIGNED_OUT, actor=alice.user).exists()


def test_a_new_session_id_at_sign_in(client, alice):
    client.get("/account/login/")
    client.session.save()
    before = client.cookies["portal_session"].value if "portal_session" in client.cookies else None
    assert_redirect(sign_in(client, "alice-archer", code_to="alice@example.com"), "/")
    assert client.cookies["portal_session"].value != before


def test_open_sign_up_is_closed(client):
    """Accounts come from enrollment only: allauth's sign-up page is not routed, and its
    adapter refuses sign-up should it ever be."""
    from accounts.adapters import PortalAccountAdapter

    assert client.get("/account/signup/").status_code == 404
    assert PortalAccountAdapter().is_open_for_signup(None) is False


def test_staff_land_on_the_staff_console(client, staff):
    response = sign_in(client, "staff-harbor", code_to="staff-harbor@practice.example")
    assert_redirect(response, "/")
    assert_redirect(client.get("/"), "/staff/")
    assert_page(client.get("/staff/"), "admin/index.html", "Staff console")


def test_a_user_without_a_record_sees_a_calm_page(client, practice):
    from tests import factories

    user = factories.make_user("no-record-user")
    factories.add_code_method(user, "nobody@example.com")
    sign_in(client, "no-record-user", code_to="nobody@example.com")
    response = client.get("/")
    assert_page(response, "portal/no_record.html", "No patient record is linked to this account")


def test_the_admins_own_login_page_sends_people_to_the_portal_sign_in(client):
    response = client.get("/staff/login/?next=/staff/portal/patientchart/")
    assert response.status_code == 302
    assert response["Location"] == (
        "/account/login/?next=%2Fstaff%2Fportal%2Fpatientchart%2F"
    )


def test_the_admin_login_form_cannot_be_posted_to(client, staff):
    response = client.post("/staff/login/", {"username": "staff-harbor", "password": PASSWORD})
    assert_redirect(response, "/account/login/?next=%2Fstaff%2F")
    assert "_auth_user_id" not in client.session


def test_repeated_failures_on_an_account_are_throttled(client, alice):
    for _ in range(5):
        sign_in(client, "alice-archer", "Wrong-Password-1!")
    response = sign_in(client, "alice-archer")  # even the right password waits now
    assert "_auth_user_id" not in client.session
    assert_page(response, "account/login.html", "Too many failed login attempts")
