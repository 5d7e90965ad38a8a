"""Approve and Reject on the enrollment requests queue (SPEC E3, T5): bad input gets a message
next to the field, on the request's page, and changes nothing."""

from __future__ import annotations

import pytest

from enrollment.models import EnrollmentRequest, EnrollmentRequestStatus, Invitation
from portal.models import OutboxMessage
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(practice):
    return EnrollmentRequest.objects.create(
        practice=practice, first_name="Nora", last_name="North", date_of_birth="1985-06-15",
        zip_code="02139", email="nora@example.com")


def _url(request_obj, action: str) -> str:
    return f"/staff/enrollment/enrollmentrequest/{request_obj.pk}/{action}/"


@pytest.mark.parametrize("value", ["abc", "", "\x00", str(10**30), "1.5"])
def test_it_says_which_chart_to_choose_when_the_chart_is_malformed(client, staff, pending,
                                                                    value):
    client.force_login(staff)
    response = client.post(_url(pending, "approve"), {"patient": value})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Approve with an existing chart" in body  # the request's own page
    assert 'id="id_patient_error"' in body  # at the top of "Approve with an existing chart"
    assert any(words in body for words in (
        "Choose one of this practice&#x27;s charts.", "Choose the chart to match this request to.",
        "Null characters are not allowed."))
    pending.refresh_from_db()
    assert pending.status == EnrollmentRequestStatus.PENDING
    assert not Invitation.objects.exists() and not OutboxMessage.objects.exists()


def test_it_does_not_decide_a_request_twice(client, staff, pending, practice):
    new_patient = factories.make_chart(practice, "Nora", "North")
    client.force_login(staff)
    client.post(_url(pending, "reject"), {"reason": "We could not find you."})
    response = client.post(_url(pending, "approve"), {"patient": new_patient.pk})
    assert b"This request has already been decided." in client.get(response.url).content
    pending.refresh_from_db()
    assert pending.status == EnrollmentRequestStatus.REJECTED


def test_a_reason_that_is_refused_is_kept_with_its_message(client, staff, pending):
    client.force_login(staff)
    reason = "Please call us. " * 40  # longer than 500 characters
    response = client.post(_url(pending, "reject"), {"reason": reason})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ensure this value has at most 500 characters" in body
    assert reason.strip() in body  # what the staff member typed is still there
    pending.refresh_from_db()
    assert pending.status == EnrollmentRequestStatus.PENDING
    assert not OutboxMessage.objects.exists()


def test_a_reason_with_a_nul_character_is_a_form_error(client, staff, pending):
    client.force_login(staff)
    response = client.post(_url(pending, "reject"), {"reason": "No\x00body"})
    assert response.status_code == 200
    assert b"Null characters are not allowed." in response.content
