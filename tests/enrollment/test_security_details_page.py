"""Create Security Details as a person meets it (issue 10, item 2): what the practice knows is
filled in, what is needed says so, what was typed is kept, one summary at the top, "Continue"."""

from __future__ import annotations

import re

import pytest

from accounts.models import Relationship
from enrollment.models import InvitationKind
from enrollment.services import invitation_issue_and_send
from tests import factories
from tests.enrollment.conftest import GOOD_DETAILS, sign_up_path_from_outbox
from tests.pages import assert_page, assert_redirect

pytestmark = pytest.mark.django_db

PAGE = "/enroll/security-details/"
TEMPLATE = "enrollment/security_details.html"
IDENTITY = {"zip_code": "02139", "date_of_birth": "06/15/1985"}


@pytest.fixture
def at_security_details(client, emailed_invitation):
    client.get(sign_up_path_from_outbox("nora@example.com"))
    assert_redirect(client.post("/enroll/identify/", IDENTITY), PAGE)
    return client


def _input(body: str, name: str) -> str:
    """The <input> (or the radio buttons) of field ``name``."""
    return " ".join(re.findall(rf'<input[^>]*name="{name}"[^>]*>', body))


def _label(body: str, field_id: str) -> str:
    return re.search(rf'<label for="{field_id}">(.*?)</label>', body, re.S).group(1)


def _optional_mark_shown(body: str, field_id: str) -> bool:
    label = _label(body, field_id)
    return "(optional)" in label and " hidden" not in label


# Filled in ------------------------------------------------------------------------------------

def test_it_fills_in_the_email_and_mobile_the_invitation_went_to(at_security_details):
    body = assert_page(at_security_details.get(PAGE), TEMPLATE)
    assert 'value="nora@example.com"' in _input(body, "email")
    assert 'value="(617) 555-0111"' in _input(body, "mobile_phone")
    # The code goes to the address the link came to, unless the person chooses otherwise.
    assert re.search(r'value="email"[^>]*checked', _input(body, "code_channel"))
    assert not _optional_mark_shown(body, "id_email")
    assert _optional_mark_shown(body, "id_mobile_phone")


def test_a_printed_token_fills_in_the_charts_own_contacts(client, new_patient):
    issued = invitation_issue_and_send(patient=new_patient, kind=InvitationKind.TOKEN,
                                       created_by=None)
    client.post("/enroll/token/", {"token": issued.secret, **IDENTITY})
    body = assert_page(client.get(PAGE), TEMPLATE)
    assert 'value="nora@example.com"' in _input(body, "email")


def test_a_text_only_invitation_proposes_a_code_by_text(client, practice):
    chart = factories.make_chart(practice, "Tess", "Text", mobile_phone="+16175550122")
    issued = invitation_issue_and_send(patient=chart, kind=InvitationKind.TOKEN, created_by=None)
    client.post("/enroll/token/", {"token": issued.secret, **IDENTITY})
    body = assert_page(client.get(PAGE), TEMPLATE)
    assert re.search(r'value="sms"[^>]*checked', _input(body, "code_channel"))
    assert 'value=""' in _input(body, "email") or "value=" not in _input(body, "email")
    assert _optional_mark_shown(body, "id_email")
    assert not _optional_mark_shown(body, "id_mobile_phone")


def test_a_representative_never_sees_the_patients_contacts(client, new_patient, staff):
    issued = invitation_issue_and_send(
        patient=new_patient, kind=InvitationKind.TOKEN, created_by=staff,
        relationship=Relationship.TRUSTED_REPRESENTATIVE, first_name="Rita", last_name="Rep",
        email="rita@example.com")
    client.post("/enroll/token/", {"token": issued.secret, **IDENTITY})
    body = assert_page(client.get(PAGE), TEMPLATE)
    assert 'value="rita@example.com"' in _input(body, "email")
    assert "nora@example.com" not in body and "555-0111" not in body


def test_coming_back_shows_the_username_and_email_typed_the_first_time(at_security_details):
    at_security_details.post(PAGE, {**GOOD_DETAILS, "email": "nora.n@example.com"})
    body = assert_page(at_security_details.get(PAGE), TEMPLATE)
    assert 'value="Alice.Archer"' in _input(body, "username")
    assert 'value="nora.n@example.com"' in _input(body, "email")


# Needed when it is needed ---------------------------------------------------------------------

def test_the_email_is_needed_for_a_code_by_email_and_the_page_says_so(at_security_details):
    response = at_security_details.post(PAGE, {**GOOD_DETAILS, "email": "",
                                               "code_channel": "email"})
    body = assert_page(response, TEMPLATE)
    error = re.search(r'id="id_email_error_1">(.*?)</p>', body, re.S).group(1)
    assert "Enter an email address to get your code by email." in error
    assert not _optional_mark_shown(body, "id_email")
    assert 'aria-invalid="true"' in _input(body, "email")


def test_the_email_is_optional_for_a_code_by_text(at_security_details):
    response = at_security_details.post(PAGE, {**GOOD_DETAILS, "email": "",
                                               "code_channel": "sms", "answer2": ""})
    body = assert_page(response, TEMPLATE)
    assert _optional_mark_shown(body, "id_email")
    assert not _optional_mark_shown(body, "id_mobile_phone")
    assert "id_email_error_1" not in body


def test_the_mobile_number_is_needed_for_a_code_by_text(at_security_details):
    response = at_security_details.post(PAGE, {**GOOD_DETAILS, "mobile_phone": "",
                                               "code_channel": "sms"})
    body = assert_page(response, TEMPLATE)
    assert "Enter a mobile number to get your code by text." in re.search(
        r'id="id_mobile_phone_error_1">(.*?)</p>', body, re.S).group(1)


# Kept, summarised, labelled -------------------------------------------------------------------

def test_everything_typed_is_kept_after_an_error_the_passwords_too(at_security_details):
    response = at_security_details.post(PAGE, {**GOOD_DETAILS, "question2": "first_pet"})
    body = assert_page(response, TEMPLATE, "Choose two different questions.")
    assert 'value="Alice.Archer"' in _input(body, "username")
    assert 'value="Blue-Harbor-42"' in _input(body, "password1")
    assert 'value="Blue-Harbor-42"' in _input(body, "password2")
    assert 'value="alice@example.com"' in _input(body, "email")
    assert 'value="Lincoln Elementary"' in _input(body, "answer2")
    assert re.search(r'<option value="first_school"[^>]*selected', body) is None  # changed
    assert re.search(r'<option value="first_pet" selected', body)


def test_a_page_with_passwords_in_it_is_never_stored(at_security_details):
    response = at_security_details.post(PAGE, {**GOOD_DETAILS, "answer1": ""})
    assert "no-store" in response["Cache-Control"]
    assert "no-store" in at_security_details.get(PAGE)["Cache-Control"]


def test_an_empty_submit_gives_one_summary_and_a_clear_message_per_field(at_security_details):
    response = at_security_details.post(PAGE, {})
    body = assert_page(response, TEMPLATE)
    assert body.count('class="error-summary"') == 1
    assert "This field is required." not in body
    summary = body.split('class="error-summary"', 1)[1].split("</ul>", 1)[0]
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    assert links == [
        ("id_username", "Choose a username."),
        ("id_password1", "Enter a password."),
        ("id_password2", "Type the password again."),
        ("id_code_channel_0", "Choose where to send your verification code."),
        ("id_question1", "Choose security question 1."),
        ("id_answer1", "Answer security question 1."),
        ("id_question2", "Choose security question 2."),
        ("id_answer2", "Answer security question 2."),
    ]
    # Each message is beside its field too, and every link leads to an element of the page.
    for field_id, message in links:
        assert f'id="{field_id}"' in body
        assert body.count(message) == 2, message
    assert '<div role="alert">' in summary  # read out at once


def test_the_summary_is_focused_when_the_page_loads(at_security_details):
    body = at_security_details.post(PAGE, {}).content.decode()
    assert re.search(r'class="error-summary" tabindex="-1"[^>]*data-error-summary', body)
    assert '<script src="/static/js/error-summary.js" defer></script>' in body


def test_no_summary_before_anything_is_sent(at_security_details):
    assert 'class="error-summary"' not in at_security_details.get(PAGE).content.decode()


def test_the_button_says_what_happens_next(at_security_details):
    body = at_security_details.get(PAGE).content.decode()
    assert '<button type="submit" class="button">Continue</button>' in body
    assert ">Verify</button>" not in body


def test_the_fields_are_grouped(at_security_details):
    body = at_security_details.get(PAGE).content.decode()
    legends = re.findall(r"<legend[^>]*>([^<]+)</legend>", body)
    assert legends == ["Username and password", "Contact details",
                       "Send my verification code by", "Security questions"]


# The other enrollment forms share the summary ---------------------------------------------------

@pytest.mark.parametrize(("path", "template"), [
    ("/enroll/new-account/", "enrollment/new_account.html"),
    ("/enroll/request/", "enrollment/request_access.html"),
    ("/enroll/token/", "enrollment/token.html"),
])
def test_every_enrollment_form_has_the_summary(client, practice, path, template):
    body = assert_page(client.post(path, {}), template)
    assert body.count('class="error-summary"') == 1
    assert "There is a problem" in body
    assert 'href="#id_date_of_birth">Enter the date of birth.</a>' in body
    assert "This field is required." not in body


def test_a_message_that_belongs_to_no_field_is_in_the_summary(client, practice):
    response = client.post("/enroll/new-account/", {
        "practice": practice.pk, "first_name": "Nora", "last_name": "North",
        "date_of_birth": "06/15/1985", "zip_code": "02139"})
    summary = assert_page(response, "enrollment/new_account.html").split(
        'class="error-summary"', 1)[1].split("</ul>", 1)[0]
    assert "<li>Give an email address or a mobile number, so that we can reach you.</li>" in (
        summary)
