"""Enable Portal Access, the staff wizard on the patient page (SPEC E9, T4): Step 1 (who, and
Email or Print), Step 2 (relationships and proxy access to related charts), Proceed."""

from __future__ import annotations

import dataclasses
import datetime
import re

import pytest
from django.core.exceptions import ValidationError

from accounts.models import PortalAccess, Relationship
from enrollment.models import Invitation, InvitationGrant, InvitationKind
from enrollment.portal_access import (
    AccessPerson,
    Individual,
    ProxyGrant,
    portal_access_enable,
    related_charts,
)
from portal.models import AuditAction, AuditEvent, OutboxMessage
from tests import factories
from tests.enrollment.conftest import GOOD_DETAILS, latest_code, sign_up_path_from_outbox
from tests.pages import assert_not_found, assert_page, assert_redirect, assert_refused

pytestmark = pytest.mark.django_db

CAMILLE_IDENTITY = {"zip_code": "02139", "date_of_birth": "03/04/2015"}


@pytest.fixture
def family(practice, other_practice):
    """The seed's example: Camille, a child whose guarantor is her mother Amelie, and her
    brother Leo; an unrelated patient; and a chart at another practice naming Amelie."""
    amelie = factories.make_chart(practice, "Amelie", "North", notification_email=
                                  "amelie@example.com", mobile_phone="+16175550122")
    camille = factories.make_chart(practice, "Camille", "North", guarantor=amelie,
                                   date_of_birth=datetime.date(2015, 3, 4))
    leo = factories.make_chart(practice, "Leo", "North", guarantor=amelie,
                               date_of_birth=datetime.date(2017, 8, 9))
    anthony = factories.make_chart(practice, "Anthony", "Patient",
                                   notification_email="anthony@example.com")
    elsewhere = factories.make_chart(other_practice, "Olive", "North", guarantor=amelie)
    return {"amelie": amelie, "camille": camille, "leo": leo, "anthony": anthony,
            "elsewhere": elsewhere}


def url(chart, step=""):
    return f"/staff/portal/patientchart/{chart.pk}/enable-portal-access/{step}"


def step1(client, chart, **fields):
    return client.post(url(chart), fields)


def step2(client, chart, **fields):
    return client.post(url(chart, "relationships/"), fields)


STEP_1_PAGE = "staffadmin/enable_portal_access/individuals.html"
STEP_2_PAGE = "staffadmin/enable_portal_access/relationships.html"
PRINT_PAGE = "staffadmin/enable_portal_access/print.html"
STEP_VIEWS = {"": "admin:portal_patientchart_enable_portal_access",
              "relationships/": "admin:portal_patientchart_enable_portal_access_relationships"}


def printed_credentials(response):
    body = response.content.decode()
    return list(zip(re.findall(r"<dt>Temporary username</dt><dd>([^<]+)</dd>", body),
                    re.findall(r"<dt>Temporary password</dt><dd>([^<]+)</dd>", body),
                    strict=True))


def enroll(client, *, sign_up_path=None, credentials=None, identity=CAMILLE_IDENTITY):
    """Walk the invitee through /enroll/ as the other enrollment tests do."""
    client.logout()
    if sign_up_path:
        assert client.get(sign_up_path).url == "/enroll/identify/"
        # A guardian or representative (the only invitee by link here) is first asked whether
        # they already have an account.
        assert client.post("/enroll/identify/", identity).url == "/enroll/welcome/"
        assert_page(client.get("/enroll/welcome/"), "enrollment/welcome.html")
    else:
        username, password = credentials
        response = client.post("/account/login/", {"login": username, "password": password})
        assert response.url == "/enroll/security-details/"
    assert client.post("/enroll/security-details/", GOOD_DETAILS).url == "/enroll/verify/"
    assert client.post("/enroll/verify/", {"code": latest_code("alice@example.com")}).url == "/"


def accesses_of_new_user():
    return {(a.patient.first_name, a.relationship)
            for a in PortalAccess.objects.filter(user__username="Alice.Archer")}


# The way in -----------------------------------------------------------------------------------

def test_it_is_the_first_tool_on_the_chart(client, staff, new_patient):
    client.force_login(staff)
    page = client.get(f"/staff/portal/patientchart/{new_patient.pk}/change/").content.decode()
    tools = page[page.index('class="chart-actions"'):]  # the chart's grouped actions
    first_tool = tools[tools.index("<li>"):tools.index("</li>")]
    assert f'href="{url(new_patient)}">Enable Portal Access</a>' in first_tool


# Patient by email ------------------------------------------------------------------------------

def test_it_emails_the_patient_and_texts_the_mobile_on_the_chart(client, staff, new_patient):
    client.force_login(staff)
    page = client.get(url(new_patient)).content.decode()
    for words in ("Step 1: Identify the individual(s) getting access", "<legend>Patient</legend>",
                  "<legend>Another Patient</legend>", "<legend>Other</legend>", "Email", "Print"):
        assert words in page
    assert 'value="nora@example.com"' in page  # prefilled from the chart
    response = step1(client, new_patient, patient="on", patient_email="nora@example.com",
                     delivery="email")
    assert response.url == url(new_patient, "relationships/")
    page = client.get(response.url).content.decode()
    assert "Step 2: Identify the Relationship to the Patient" in page
    assert "Patient: Nora North" in page
    response = step2(client, new_patient)
    assert response.url == f"/staff/portal/patientchart/{new_patient.pk}/change/"
    page = client.get(response.url).content.decode()
    assert "Portal access invitation sent to Nora North (nora@example.com)" in page
    sent = OutboxMessage.objects.filter(template="invitation")
    assert sorted(sent.values_list("channel", "recipient")) == [
        ("email", "nora@example.com"), ("sms", "+16175550111")]
    invitation = Invitation.objects.get()
    assert (invitation.kind, invitation.relationship) == (InvitationKind.LINK, Relationship.SELF)
    # The wizard is done: proceeding again sends nothing more.
    assert step2(client, new_patient).url == url(new_patient)
    assert Invitation.objects.count() == 1


# Guarantor -------------------------------------------------------------------------------------

def test_it_offers_the_guarantor_only_when_different(client, staff, practice, family):
    client.force_login(staff)
    page = client.get(url(family["camille"])).content.decode()
    assert 'name="guarantor"' in page and "Give access to Amelie North" in page
    assert 'value="amelie@example.com"' in page
    own = factories.make_chart(practice, "Gus", "Self")
    own.guarantor = own
    own.save()
    for chart in (family["amelie"], own):  # no guarantor, or the patient is their own
        step_1 = assert_page(client.get(url(chart)), STEP_1_PAGE, 'name="patient"')
        assert 'name="guarantor"' not in step_1
    response = step1(client, family["amelie"], guarantor="on", delivery="print")
    assert b"Choose at least one individual" in response.content


def test_a_guarantor_invited_by_email_gets_the_ticked_sibling_too(client, staff, family):
    camille, amelie, leo = family["camille"], family["amelie"], family["leo"]
    client.force_login(staff)
    step1(client, camille, guarantor="on", guarantor_email="amelie@example.com",
          delivery="email")
    page = assert_page(client.get(url(camille, "relationships/")), STEP_2_PAGE)
    assert f'name="guarantor-grant-{leo.pk}"' in page  # her other child is offered
    assert f'name="guarantor-grant-{amelie.pk}"' not in page  # not her own chart
    assert str(family["elsewhere"].pk) not in re.findall(r'grant-(\d+)"', page)
    response = step2(client, camille, **{"guarantor-relationship": "guardian",
                                         f"guarantor-grant-{leo.pk}": "on"})
    assert_redirect(response, f"/staff/portal/patientchart/{camille.pk}/change/")
    invitation = Invitation.objects.get()
    assert (invitation.first_name, invitation.email) == ("Amelie", "amelie@example.com")
    assert invitation.relationship == Relationship.GUARDIAN
    assert list(InvitationGrant.objects.values_list("patient", "relationship")) == [
        (leo.pk, "guardian")]
    assert OutboxMessage.objects.filter(template="invitation", recipient="+16175550122").exists()

    enroll(client, sign_up_path=sign_up_path_from_outbox("amelie@example.com"))
    assert accesses_of_new_user() == {("Camille", "guardian"), ("Leo", "guardian")}


def test_the_patient_says_how_they_relate_to_a_related_chart(client, staff, family):
    camille, leo = family["camille"], family["leo"]
    client.force_login(staff)
    step1(client, camille, patient="on", delivery="print")
    response = step2(client, camille, **{f"patient-grant-{leo.pk}": "on"})
    assert b"Choose how Camille North is related to Leo North." in response.content
    assert not Invitation.objects.exists()
    response = step2(client, camille, **{f"patient-grant-{leo.pk}": "on",
                                         f"patient-grant-{leo.pk}-as": "representative"})
    assert_page(response, PRINT_PAGE, "Instructions for <strong>Camille North</strong>")
    grant = InvitationGrant.objects.get()
    assert (grant.patient, grant.relationship) == (leo, "representative")
    assert grant.invitation.relationship == Relationship.SELF


# Another Patient -------------------------------------------------------------------------------

def test_the_another_patient_search_stays_in_the_practice(client, staff, family):
    camille = family["camille"]
    client.force_login(staff)
    page = client.get(url(camille), {"q": "north"}).content.decode()
    found = re.findall(r'name="another_patient_chart" value="(\d+)"', page)
    assert sorted(found) == sorted([str(family["amelie"].pk), str(family["leo"].pk)])
    page = client.get(url(camille), {"q": family["anthony"].record_number}).content.decode()
    assert re.findall(r'name="another_patient_chart" value="(\d+)"', page) == [
        str(family["anthony"].pk)]
    page = client.get(url(camille), {"q": "Olive"}).content.decode()
    assert "No other patient of this practice matches" in page
    assert_page(client.get(url(camille), {"q": "No\x00rth" * 50}), STEP_1_PAGE,
                "No other patient of this practice matches")
    # Posting another practice's chart anyway is refused, and nothing is kept.
    response = step1(client, camille, another_patient="on",
                     another_patient_chart=family["elsewhere"].pk, delivery="print")
    assert b"Search again and choose a patient of this practice." in response.content
    assert client.get(url(camille, "relationships/")).url == url(camille)


def test_another_patient_is_invited_at_the_email_on_their_chart(client, staff, family):
    camille, anthony = family["camille"], family["anthony"]
    client.force_login(staff)
    response = step1(client, camille, another_patient="on", delivery="email")
    assert b"Search for the other patient and choose them from the list." in response.content
    response = step1(client, camille, another_patient="on", another_patient_chart=anthony.pk,
                     delivery="email")
    assert_redirect(response, url(camille, "relationships/"))
    assert b"Another Patient: Anthony Patient" in client.get(response.url).content
    step2(client, camille, **{"another_patient-relationship": "guardian"})
    invitation = Invitation.objects.get()
    assert (invitation.patient, invitation.relationship) == (camille, Relationship.GUARDIAN)
    assert (invitation.first_name, invitation.email) == ("Anthony", "anthony@example.com")
    assert OutboxMessage.objects.get(template="invitation").recipient == "anthony@example.com"


# Other -----------------------------------------------------------------------------------------

def test_an_other_person_needs_a_name_and_gets_an_email(client, staff, family):
    camille = family["camille"]
    client.force_login(staff)
    response = step1(client, camille, other="on", other_email="jane@example.com",
                     delivery="email")
    assert b"Enter the first name of the Other person." in response.content
    assert b"Enter the last name of the Other person." in response.content
    step1(client, camille, other="on", other_first_name="Jane", other_last_name="Other",
          other_email="jane@example.com", delivery="email")
    response = step2(client, camille, **{"other-relationship": "care_manager"})
    assert b"Portal access invitation sent to Jane Other (jane@example.com)" in client.get(
        response.url).content
    invitation = Invitation.objects.get()
    assert (invitation.first_name, invitation.last_name) == ("Jane", "Other")
    assert invitation.relationship == Relationship.CARE_MANAGER
    sent = OutboxMessage.objects.filter(template="invitation")
    assert list(sent.values_list("channel", "recipient")) == [("email", "jane@example.com")]


# Print -----------------------------------------------------------------------------------------

def test_print_gives_everyone_their_own_temporary_credentials(client, staff, family):
    camille = family["camille"]
    client.force_login(staff)
    step1(client, camille, patient="on", guarantor="on", other="on", other_first_name="Jane",
          other_last_name="Other", delivery="print")
    response = step2(client, camille, **{"guarantor-relationship": "guardian",
                                         "other-relationship": "representative"})
    assert_page(response, PRINT_PAGE)
    credentials = printed_credentials(response)
    assert len(credentials) == 3 and len(set(credentials)) == 3
    page = response.content.decode()
    for name in ("Camille North", "Amelie North", "Jane Other"):
        assert f"Instructions for <strong>{name}</strong>" in page
    assert page.count("for access to the portal record of <strong>Camille North</strong>") == 2
    kinds = set(Invitation.objects.values_list("kind", flat=True))
    assert kinds == {InvitationKind.TEMPORARY_PASSWORD}
    assert not OutboxMessage.objects.exists()
    # The guarantor, who is not the patient, signs in with her own printed details.
    enroll(client, credentials=credentials[1])
    assert accesses_of_new_user() == {("Camille", "guardian")}


# Validation ------------------------------------------------------------------------------------

def test_someone_must_be_chosen(client, staff, new_patient):
    client.force_login(staff)
    response = step1(client, new_patient, delivery="email")
    assert b"Choose at least one individual to give access to" in response.content
    response = step1(client, new_patient, patient="on")
    assert b"Choose Email or Print." in response.content


def test_email_needs_an_address(client, staff, practice):
    chart = factories.make_chart(practice, "No", "Email")
    client.force_login(staff)
    response = step1(client, chart, patient="on", delivery="email")
    assert b"Enter an email address for No Email, or choose Print." in response.content
    assert 'id="id_patient_email_error"' in response.content.decode()  # next to the field
    assert client.get(url(chart, "relationships/")).url == url(chart)


def test_step_2_needs_each_relationship(client, staff, family):
    camille = family["camille"]
    client.force_login(staff)
    step1(client, camille, guarantor="on", delivery="print")
    response = step2(client, camille, **{"guarantor-relationship": "self"})
    assert b"Select a valid choice" in response.content
    response = step2(client, camille)
    assert b"Choose the relationship of Amelie North to the patient." in response.content
    assert not Invitation.objects.exists()


def test_two_people_who_would_cancel_each_other_are_stopped(client, staff, family):
    camille = family["camille"]
    client.force_login(staff)
    step1(client, camille, guarantor="on", other="on", other_first_name="amelie",
          other_last_name="North", other_email="AMELIE@example.com", delivery="email")
    response = step2(client, camille, **{"guarantor-relationship": "guardian",
                                         "other-relationship": "guardian"})
    assert b"the second invitation would cancel the first" in response.content
    assert not Invitation.objects.exists() and not OutboxMessage.objects.exists()


def test_step_1_is_checked_again_when_proceeding(client, staff, family):
    camille = family["camille"]
    client.force_login(staff)
    step1(client, camille, guarantor="on", delivery="print")
    camille.guarantor = None  # changed on the chart meanwhile
    camille.save()
    response = step2(client, camille, **{"guarantor-relationship": "guardian"})
    assert response.url == url(camille)
    assert b"Something has changed since step 1" in client.get(response.url).content
    assert not Invitation.objects.exists()


def test_the_service_refuses_what_the_wizard_would_not_allow(staff, family):
    camille, amelie = family["camille"], family["amelie"]
    guarantor = AccessPerson.from_chart(Individual.GUARANTOR, amelie)
    refused = [
        [guarantor],  # no relationship chosen
        [dataclasses.replace(guarantor, relationship=Relationship.SELF)],  # only the patient
        [AccessPerson(individual=Individual.OTHER, first_name="Jane", last_name="Other",
                      relationship=Relationship.GUARDIAN,
                      grants=(ProxyGrant(family["anthony"], Relationship.GUARDIAN),))],
        [AccessPerson(individual=Individual.OTHER, first_name="", last_name="",
                      relationship=Relationship.GUARDIAN)],
        [AccessPerson(individual=Individual.ANOTHER_PATIENT, first_name="Olive",
                      last_name="North", chart=family["elsewhere"],
                      relationship=Relationship.GUARDIAN)],
    ]
    for people in refused:
        with pytest.raises(ValidationError):
            portal_access_enable(patient=camille, people=people, delivery="print",
                                 created_by=staff)
    assert not Invitation.objects.exists()


def test_related_charts_are_the_guarantors_family_in_the_same_practice(family):
    camille, amelie, leo = family["camille"], family["amelie"], family["leo"]
    assert related_charts(patient=camille) == [amelie, leo]
    assert related_charts(patient=camille, person=amelie) == [leo]
    assert related_charts(patient=amelie) == [camille, leo]  # her dependents
    assert related_charts(patient=family["anthony"]) == []


# Access ----------------------------------------------------------------------------------------

STEPS = ["", "relationships/"]


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_other_practice_staff_get_404(client, other_staff, family, step, method):
    client.force_login(other_staff)
    response = getattr(client, method)(url(family["camille"], step),
                                       {"patient": "on", "delivery": "print"})
    assert_not_found(response, STEP_VIEWS[step])
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_staff_without_change_permission_get_403(client, practice, family, step, method):
    from accounts.models import StaffRole

    client.force_login(factories.make_staff("billing-clerk", practice, StaffRole.BILLING))
    response = getattr(client, method)(url(family["camille"], step),
                                       {"patient": "on", "delivery": "print"})
    assert_refused(response, 403, STEP_VIEWS[step])


def test_a_get_never_changes_anything(client, staff, family):
    camille = family["camille"]
    client.force_login(staff)
    step1(client, camille, patient="on", guarantor="on", delivery="email",
          guarantor_email="amelie@example.com", patient_email="camille@example.com")
    session = dict(client.session.items())
    # Only the audit trail grows: the search is a read of patient records (one event).
    changes = (Invitation.objects, InvitationGrant.objects, OutboxMessage.objects,
               AuditEvent.objects.exclude(action=AuditAction.STAFF_SEARCHED))
    counts = [objects.count() for objects in changes]
    for path, template in ((url(camille), STEP_1_PAGE), (f"{url(camille)}?q=North", STEP_1_PAGE),
                           (url(camille, "relationships/"), STEP_2_PAGE)):
        assert_page(client.get(path), template, "Camille North")
    # Going back to step 1 shows what was chosen.
    page = client.get(url(camille)).content.decode()
    assert re.search(r'<input type="checkbox" name="guarantor"[^>]* checked>', page)
    assert counts == [objects.count() for objects in changes]
    assert AuditEvent.objects.filter(action=AuditAction.STAFF_SEARCHED).count() == 1
    assert dict(client.session.items()) == session


def test_the_pages_have_no_inline_scripts_or_styles(client, staff, family):
    camille = family["camille"]
    client.force_login(staff)
    pages = [(client.get(url(camille), {"q": "North"}), STEP_1_PAGE)]
    step1(client, camille, patient="on", delivery="print")
    pages.append((client.get(url(camille, "relationships/")), STEP_2_PAGE))
    pages.append((step2(client, camille), PRINT_PAGE))
    for page, template in pages:
        body = assert_page(page, template, "Camille North")
        assert 'style="' not in body
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body)


def test_every_missing_email_is_shown_at_once(client, staff, family):
    client.force_login(staff)
    response = step1(client, family["camille"], patient="on", other="on", delivery="email")
    body = response.content.decode()
    assert "Enter an email address for Camille North, or choose Print." in body
    assert "Enter an email address for this person, or choose Print." in body
    assert "Enter the first name of the Other person." in body
