"""After "Create a new account" ends as a request the practice must approve (issue 10, item 8):
no dead end. The page says what happens next and gives the practice's phone number; signed in
while the request waits, the person reaches Account Settings and can sign out."""

from __future__ import annotations

import pytest

from enrollment.models import EnrollmentRequest
from enrollment.selectors import enrollment_request_pending
from tests.enrollment.conftest import GOOD_DETAILS, latest_code
from tests.pages import assert_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def practice_with_phone(practice):
    practice.phone = "+16175550100"
    practice.save(update_fields=["phone"])
    return practice


def _info(practice, **changes):
    return {"practice": practice.pk, "first_name": "Nobody", "last_name": "Known",
            "date_of_birth": "06/15/1985", "zip_code": "02139", "email": "nobody@example.com",
            "mobile_phone": "", **changes}


@pytest.fixture
def pending_account(client, practice_with_phone):
    """A new account whose details matched no chart: signed in, its request pending."""
    client.post("/enroll/new-account/", _info(practice_with_phone))
    client.post("/enroll/security-details/", {**GOOD_DETAILS, "email": "nobody@example.com"})
    response = client.post("/enroll/verify/", {"code": latest_code("nobody@example.com")})
    assert response.url == "/enroll/request/sent/"
    return client


def _assert_no_dead_end(body: str) -> None:
    assert "What happens next" in body
    assert "Harbor Family Practice checks your details against its records." in body
    assert "When they link your account to your record, we send you an email." in body
    assert ('Questions? Call Harbor Family Practice at <a href="tel:+16175550100">'
            "(617) 555-0100</a>.") in body
    assert 'href="/account/settings/">Account Settings</a>' in body
    assert 'action="/account/logout/"' in body


def test_the_page_after_the_request_is_no_dead_end(pending_account):
    body = assert_page(pending_account.get("/enroll/request/sent/"),
                       "enrollment/request_sent.html", "pending approval")
    _assert_no_dead_end(body)


def test_signing_in_while_pending_shows_the_same_help(pending_account):
    body = assert_page(pending_account.get("/"), "portal/no_record.html",
                       "Your request is waiting for approval")
    _assert_no_dead_end(body)


def test_account_settings_open_while_the_request_waits(pending_account):
    assert_page(pending_account.get("/account/settings/"), "accounts/settings/index.html")


def test_signing_out_while_pending_works(pending_account):
    response = pending_account.post("/account/logout/")
    assert response.status_code == 302
    assert pending_account.get("/").url.startswith("/account/login/")


def test_a_request_without_an_account_says_what_happens_and_whom_to_call(client,
                                                                        practice_with_phone):
    client.post("/enroll/request/", _info(practice_with_phone))
    body = assert_page(client.get("/enroll/request/sent/"), "enrollment/request_sent.html",
                       "Harbor Family Practice checks your details against its records.",
                       "you receive an email with a link to finish creating your account",
                       'href="tel:+16175550100"')
    assert "Account Settings" not in body


def test_the_page_without_a_request_still_says_to_contact_the_practice(client):
    body = assert_page(client.get("/enroll/request/sent/"), "enrollment/request_sent.html")
    assert "Questions? Contact your practice." in body


def test_an_account_whose_access_ended_reaches_its_settings_too(client, charlie):
    charlie.access.delete()
    client.force_login(charlie.user)
    body = assert_page(client.get("/"), "portal/no_record.html",
                       "No patient record is linked to this account")
    assert 'href="/account/settings/">Account Settings</a>' in body


def test_the_pending_request_is_the_newest_undecided_one(pending_account, practice):
    request_obj = EnrollmentRequest.objects.get()
    assert enrollment_request_pending(user=request_obj.user) == request_obj
    request_obj.status = "rejected"
    request_obj.save(update_fields=["status"])
    assert enrollment_request_pending(user=request_obj.user) is None
