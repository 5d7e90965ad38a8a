"""for_patient(patient, access): each patient-owned model lists one patient's records, as the
access acting for them may see them (DESIGN invariant 1; the rules of accounts.proxy_rules)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.apps import apps
from django.utils import timezone

from accounts.models import PortalAccess, Relationship
from enrollment.models import Invitation
from enrollment.representatives import representative_invite
from portal.audit import audit_record
from portal.models import AuditAction, AuditEvent, PatientChart
from tests import factories

pytestmark = pytest.mark.django_db

# Models with a chart that no patient page shows: what they hold reaches the patient through a
# patient-owned model (an invitation's extra charts, the request an access came from).
NOT_SHOWN_ON_PATIENT_PAGES = {"enrollment.invitationgrant", "enrollment.enrollmentrequest"}


def test_every_model_with_a_patient_has_for_patient():
    """A new model that belongs to a patient joins the door by deriving its queryset from
    portal.models.patient_owned.PatientOwnedQuerySet, or is named above with the reason."""
    missing = [
        model._meta.label_lower for model in apps.get_models()
        if any(f.name == "patient" and f.related_model is PatientChart
               for f in model._meta.get_fields())
        and not hasattr(model._default_manager, "for_patient")
        and model._meta.label_lower not in NOT_SHOWN_ON_PATIENT_PAGES
    ]
    assert missing == []


@pytest.fixture
def alices_records(alice, bob):
    invitation = representative_invite(
        patient=alice.chart, relationship=Relationship.CARE_MANAGER, first_name="Carl",
        last_name="Case", email="carl@example.com", rights=["billing"], ends_at=None,
        invited_by=alice.user)
    audit_record(action=AuditAction.CHART_VIEWED, actor=alice.user, patient=alice.chart)
    events = set(AuditEvent.objects.all())  # the invitation's, and the view: all alice's
    return {PortalAccess: {alice.access, bob.access}, Invitation: {invitation}, AuditEvent: events}


MODELS = [PortalAccess, Invitation, AuditEvent]


@pytest.mark.parametrize("model", MODELS)
def test_it_lists_the_patients_own_records(model, alice, charlie, alices_records):
    audit_record(action=AuditAction.CHART_VIEWED, actor=charlie.user, patient=charlie.chart)
    factories.grant(factories.make_user("dee-dunn"), charlie.chart, Relationship.CARE_MANAGER)
    assert set(model.objects.for_patient(alice.chart, alice.access)) == alices_records[model]


@pytest.mark.parametrize("model", MODELS)
def test_an_access_to_another_patient_sees_nothing(model, alice, charlie, alices_records):
    assert not model.objects.for_patient(alice.chart, charlie.access).exists()


@pytest.mark.parametrize("model", MODELS)
def test_an_access_no_longer_in_force_sees_nothing(model, alice, bob, alices_records):
    assert model.objects.for_patient(alice.chart, bob.access).exists()
    bob.access.revoked_at = timezone.now()
    assert not model.objects.for_patient(alice.chart, bob.access).exists()


@pytest.fixture
def teen(practice):
    """A 15-year-old with her own login, and her guardian."""
    today = practice.today()
    chart = factories.make_chart(practice, "Tia", "Young",
                                 date_of_birth=today.replace(year=today.year - 15))
    own = factories.grant(factories.make_user("tia-young"), chart)
    guardian = factories.grant(factories.make_user("gina-young"), chart, Relationship.GUARDIAN)
    audit_record(action=AuditAction.CHART_VIEWED, actor=own.user, patient=chart)
    return own, guardian


def test_a_guardian_of_an_adolescent_sees_no_activity_when_the_record_is_confidential(
        practice, teen):
    own, guardian = teen
    practice.adolescent_confidentiality = True
    practice.adolescent_guardian_areas = ["appointments", "billing"]
    practice.save()
    assert not AuditEvent.objects.for_patient(own.patient, guardian).exists()
    assert AuditEvent.objects.for_patient(own.patient, own).exists()  # she sees her own
    # Her accesses are no record area: the guardian still sees them (and his own).
    assert set(PortalAccess.objects.for_patient(own.patient, guardian)) == {own, guardian}


def test_a_guardian_of_an_adolescent_sees_the_activity_when_the_practice_allows(practice, teen):
    own, guardian = teen
    practice.adolescent_confidentiality = False
    practice.save()
    assert AuditEvent.objects.for_patient(own.patient, guardian).exists()


def test_a_representative_without_the_health_record_sees_no_activity(alice, bob,
                                                                     alices_records):
    bob.access.right_health_record = False
    assert not AuditEvent.objects.for_patient(alice.chart, bob.access).exists()
    assert Invitation.objects.for_patient(alice.chart, bob.access).exists()


def test_former_guardians_are_gone_from_an_adults_accesses_before_the_sweep(practice):
    """On the 18th birthday (in the practice's time zone) the guardian's access is over for the
    door; the chart's accesses say the same, though the age-out sweep has not revoked it yet."""
    born = datetime.date(2008, 5, 10)
    chart = factories.make_chart(practice, "Ada", "Young", date_of_birth=born)
    own = factories.grant(factories.make_user("ada-young"), chart)
    guardian = factories.grant(factories.make_user("gus-young"), chart, Relationship.GUARDIAN)
    representative = factories.grant(factories.make_user("rae-young"), chart,
                                     Relationship.TRUSTED_REPRESENTATIVE)
    eve = datetime.datetime(2026, 5, 9, 23, 30, tzinfo=practice.tzinfo)
    with time_machine.travel(eve, tick=False):
        assert set(PortalAccess.objects.for_patient(chart, own)) == {own, guardian,
                                                                     representative}
    with time_machine.travel(eve + datetime.timedelta(hours=1), tick=False):
        assert set(PortalAccess.objects.for_patient(chart, own)) == {own, representative}
        assert not PortalAccess.objects.for_patient(chart, guardian).exists()
