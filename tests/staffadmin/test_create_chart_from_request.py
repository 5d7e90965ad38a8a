"""Create a chart from an enrollment request (issue 10, item 3): staff approve a request for
someone with no chart without retyping it; the chart gets the next record number by the
practice's rule, and the request is approved with it as "Approve with this chart" does."""

from __future__ import annotations

import datetime

import pytest

from accounts.models import PortalAccess, Relationship
from enrollment.models import EnrollmentRequest, EnrollmentRequestStatus, Invitation
from portal.models import AuditAction, AuditEvent, OutboxMessage, PatientChart, PortalStatus
from tests import factories
from tests.pages import assert_not_found, assert_page, assert_refused

pytestmark = pytest.mark.django_db

BORN = datetime.date(1984, 5, 6)


@pytest.fixture
def rosa(practice):
    practice.record_number_prefix = "HFP-"
    practice.record_number_next = 417
    practice.save()
    return EnrollmentRequest.objects.create(
        practice=practice, first_name="Rosa", last_name="Delgado", date_of_birth=BORN,
        zip_code="02139", email="rosa@example.com", mobile_phone="+16175550123")


def page_url(request_obj) -> str:
    return f"/staff/enrollment/enrollmentrequest/{request_obj.pk}/change/"


def create_url(request_obj) -> str:
    return f"/staff/enrollment/enrollmentrequest/{request_obj.pk}/create-chart/"


def as_typed(request_obj, **changes) -> dict[str, str]:
    """What the form posts back when staff accept what the person typed."""
    data = {"chart-first_name": request_obj.first_name, "chart-middle_name": "",
            "chart-last_name": request_obj.last_name,
            "chart-date_of_birth": request_obj.date_of_birth.strftime("%m/%d/%Y"),
            "chart-sex": "U", "chart-zip_code": request_obj.zip_code,
            "chart-notification_email": request_obj.email,
            "chart-mobile_phone": "(617) 555-0123"}
    data.update({f"chart-{name}": value for name, value in changes.items()})
    return data


def test_the_form_is_filled_in_from_the_request_with_the_next_record_number(client, staff,
                                                                           rosa):
    client.force_login(staff)
    body = assert_page(client.get(page_url(rosa)), "staffadmin/enrollment_request.html",
                       "Create a chart from this request", "HFP-000417")
    assert 'name="chart-first_name" value="Rosa"' in body
    assert 'name="chart-last_name" value="Delgado"' in body
    assert 'value="05/06/1984"' in body
    assert 'value="rosa@example.com"' in body


def test_it_creates_the_chart_and_approves_the_request_with_it(client, staff, rosa,
                                                              practice):
    client.force_login(staff)
    response = client.post(create_url(rosa), as_typed(rosa), follow=True)
    assert response.redirect_chain == [("/staff/enrollment/enrollmentrequest/", 302)]
    chart = PatientChart.objects.get(last_name="Delgado")
    assert (chart.practice, chart.record_number, chart.first_name, chart.date_of_birth,
            chart.zip_code, chart.notification_email, chart.mobile_phone.as_e164) == (
        practice, "HFP-000417", "Rosa", BORN, "02139", "rosa@example.com", "+16175550123")
    assert_page(response, "admin/change_list.html", "Chart Rosa Delgado (HFP-000417) created")
    rosa.refresh_from_db()
    assert (rosa.status, rosa.patient, rosa.decided_by) == (
        EnrollmentRequestStatus.APPROVED, chart, staff)
    # As "Approve with this chart": an invitation to enroll, by email (and text).
    invitation = Invitation.objects.get(patient=chart)
    assert invitation.email == "rosa@example.com"
    assert OutboxMessage.objects.filter(recipient="rosa@example.com",
                                        template="enrollment-approved").exists()
    chart.refresh_from_db()
    assert chart.portal_status == PortalStatus.INVITED
    created = AuditEvent.objects.get(action=AuditAction.CHART_CREATED_FROM_REQUEST)
    assert (created.actor, created.patient, created.object_id) == (staff, chart, str(rosa.pk))
    assert AuditEvent.objects.filter(action=AuditAction.ENROLLMENT_REQUEST_APPROVED,
                                     patient=chart, actor=staff).exists()
    practice.refresh_from_db()
    assert practice.record_number_next == 418


def test_a_requester_with_an_account_is_linked_to_the_new_chart(client, staff, rosa):
    account = factories.make_user("rosa-d", email="rosa@example.com")
    rosa.user = account
    rosa.save()
    client.force_login(staff)
    client.post(create_url(rosa), as_typed(rosa))
    chart = PatientChart.objects.get(last_name="Delgado")
    assert PortalAccess.objects.filter(user=account, patient=chart,
                                       relationship=Relationship.SELF).exists()
    assert OutboxMessage.objects.filter(template="enrollment-approved-account").exists()


def test_staff_can_correct_a_typo_before_creating(client, staff, rosa):
    client.force_login(staff)
    client.post(create_url(rosa), as_typed(rosa, first_name="Rosalinda", sex="F"))
    chart = PatientChart.objects.get(last_name="Delgado")
    assert (chart.first_name, chart.sex) == ("Rosalinda", "F")


def test_a_person_who_already_has_a_chart_is_sent_to_approve_with_it(client, staff, rosa,
                                                                      practice):
    existing = factories.make_chart(practice, "ROSA", "delgado", date_of_birth=BORN,
                                    record_number="OLD-1")
    client.force_login(staff)
    response = client.post(create_url(rosa), as_typed(rosa))
    assert_page(response, "staffadmin/enrollment_request.html",
                "already has a chart (record number OLD-1)")
    assert list(PatientChart.objects.filter(practice=practice)) == [existing]
    rosa.refresh_from_db()
    assert rosa.status == EnrollmentRequestStatus.PENDING


@pytest.mark.parametrize(("field", "value", "message"), [
    ("date_of_birth", "13/45/1984", "Enter a valid date."),
    ("zip_code", "ABCDE", "Enter a 5-digit ZIP code"),
    ("first_name", "", "This field is required."),
    ("mobile_phone", "12", "Enter a valid phone number"),
])
def test_bad_details_get_a_message_and_keep_what_was_typed(client, staff, rosa, field, value,
                                                           message):
    client.force_login(staff)
    response = client.post(create_url(rosa), as_typed(rosa, **{field: value}))
    body = assert_page(response, "staffadmin/enrollment_request.html", message)
    assert 'value="Delgado"' in body
    assert not PatientChart.objects.exists()
    rosa.refresh_from_db()
    assert rosa.status == EnrollmentRequestStatus.PENDING


def test_a_refused_approval_leaves_no_chart_and_no_number_taken(client, staff, rosa, practice):
    """No email and no mobile: the invitation has nowhere to go, so nothing is kept."""
    rosa.email, rosa.mobile_phone = "", ""
    rosa.save()
    client.force_login(staff)
    response = client.post(create_url(rosa), as_typed(rosa, notification_email="",
                                                      mobile_phone=""))
    assert_page(response, "staffadmin/enrollment_request.html",
                "Add a notification email or a mobile number")
    assert not PatientChart.objects.exists()
    practice.refresh_from_db()
    assert practice.record_number_next == 417
    assert not AuditEvent.objects.filter(
        action=AuditAction.CHART_CREATED_FROM_REQUEST).exists()


def test_a_request_decided_meanwhile_is_not_decided_again(client, staff, rosa):
    rosa.status = EnrollmentRequestStatus.REJECTED
    rosa.save()
    client.force_login(staff)
    response = client.post(create_url(rosa), as_typed(rosa))
    assert response.status_code == 302
    assert b"This request has already been decided." in client.get(response.url).content
    assert not PatientChart.objects.exists()


def test_a_decided_request_offers_no_decision(client, staff, rosa):
    rosa.status = EnrollmentRequestStatus.REJECTED
    rosa.rejection_reason = "We could not find you."
    rosa.save()
    client.force_login(staff)
    body = assert_page(client.get(page_url(rosa)), "staffadmin/enrollment_request.html",
                       "We could not find you.")
    assert "Create a chart from this request" not in body
    assert "Approve with this chart" not in body


def test_it_is_post_only(client, staff, rosa):
    client.force_login(staff)
    assert_refused(client.get(create_url(rosa)), 405,
                   "admin:enrollment_enrollmentrequest_create_chart")


def test_another_practices_staff_get_404_and_nothing_is_created(client, other_staff, rosa):
    client.force_login(other_staff)
    assert_not_found(client.post(create_url(rosa), as_typed(rosa)),
                     "admin:enrollment_enrollmentrequest_create_chart")
    assert not PatientChart.objects.exists()


def test_staff_whose_role_may_not_add_charts_cannot_create_one(client, practice, rosa,
                                                               monkeypatch):
    """Every role that decides requests today may add charts; the page still asks."""
    from accounts import roles

    front_desk = roles.ROLE_PERMISSIONS["front_desk"]
    monkeypatch.setitem(roles.ROLE_PERMISSIONS, "front_desk",
                        front_desk - {"portal.add_patientchart"})
    desk = factories.make_staff("desk-no-charts", practice)
    client.force_login(desk)
    body = assert_page(client.get(page_url(rosa)), "staffadmin/enrollment_request.html")
    assert "Create a chart from this request" not in body
    assert_refused(client.post(create_url(rosa), as_typed(rosa)), 403,
                   "admin:enrollment_enrollmentrequest_create_chart")
    assert not PatientChart.objects.exists()


def test_the_decisions_are_sections_of_the_page_not_a_side_column(client, staff, rosa):
    """The panel used to sit in the admin's narrow side column (one letter per line at 375 px):
    each decision is now its own section in the page's main column."""
    client.force_login(staff)
    body = client.get(page_url(rosa)).content.decode()
    main = body.split('<div id="content-main" class="enrollment-request">')[1]
    for heading in ("What the person sent", "Approve with an existing chart",
                    "Create a chart from this request", "Reject"):
        assert heading in main
    assert 'id="content-related"' not in body
