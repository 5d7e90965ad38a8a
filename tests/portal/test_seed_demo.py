from __future__ import annotations

import pytest
from django.core.management import call_command

from accounts.models import PortalAccess, Relationship, StaffMembership, User
from portal.management.commands.seed_demo import DEMO_PASSWORD
from portal.models import PatientChart, Practice, Provider
from tests.signin import sign_in

pytestmark = pytest.mark.django_db

SIGN_INS = ["demo-patient", "demo-other", "demo-guardian", "demo-staff", "demo-staff-2",
            "demo-admin"]


def counts():
    return [m.objects.count() for m in
            (Practice, PatientChart, User, PortalAccess, StaffMembership, Provider)]


def test_it_is_idempotent():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = counts()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts() == first
    assert first[0] == 2


def test_every_demo_sign_in_exists_with_the_published_password():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    for username in SIGN_INS:
        assert User.objects.get(username=username).check_password(DEMO_PASSWORD), username


def test_the_demo_people_have_what_the_readme_promises():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    guardian = User.objects.get(username="demo-guardian")
    relationships = sorted(guardian.portal_accesses.values_list("relationship", flat=True))
    assert relationships == [Relationship.GUARDIAN, Relationship.GUARDIAN, Relationship.SELF]
    for access in guardian.portal_accesses.filter(relationship=Relationship.GUARDIAN):
        assert access.patient.age < 18
    staff = User.objects.get(username="demo-staff").staff_memberships.get()
    staff_2 = User.objects.get(username="demo-staff-2").staff_memberships.get()
    assert staff.practice.name == "Demo Family Medicine"
    assert staff_2.practice != staff.practice
    assert User.objects.get(username="demo-admin").is_superuser
    assert Provider.objects.filter(practice=staff.practice).count() >= 2


@pytest.mark.parametrize(("username", "lands_on", "shows"), [
    ("demo-patient", "/", "Welcome, Emily"),
    ("demo-other", "/", "Welcome, Marcus"),
    ("demo-guardian", "/", "Welcome, Sarah"),
    ("demo-staff", "/staff/", "My Home"),
    ("demo-staff-2", "/staff/", "My Home"),
    ("demo-admin", "/staff/", "My Home"),
])
def test_every_demo_sign_in_reaches_its_home(client, username, lands_on, shows):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    user = User.objects.get(username=username)
    sign_in(client, username, DEMO_PASSWORD, code_to=user.email)
    response = client.get("/", follow=True)
    assert (response.redirect_chain[-1][0] if response.redirect_chain else "/") == lands_on
    assert shows in response.content.decode()
