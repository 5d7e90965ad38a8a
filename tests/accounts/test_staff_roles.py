"""Staff permissions come from one table, ROLE_PERMISSIONS (accounts/roles.py), read for the
role of the staff member's active membership in the practice of the object at hand; with no
object, from any of their active memberships (SPEC T1)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission

from accounts.models import Relationship, StaffMembership, StaffRole, User
from accounts.roles import ROLE_PERMISSIONS
from accounts.staff import staff_membership_create, staff_membership_save, staff_practices
from portal.models import AuditAction, AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


def fresh(user: User) -> User:
    """The user as the next request loads them."""
    return User.objects.get(pk=user.pk)


@pytest.fixture
def split(practice, other_practice) -> User:
    """Billing at alice's practice, front desk at the other."""
    user = factories.make_staff("split-role", practice, role=StaffRole.BILLING)
    staff_membership_create(user=user, practice=other_practice, role=StaffRole.FRONT_DESK)
    return fresh(user)


def test_a_role_answers_for_its_own_practices_objects_only(split, alice, other_practice):
    olga = factories.make_chart(other_practice, "Olga", "Outside")
    olgas_access = factories.grant(factories.make_user("olga-outside"), olga)
    assert split.has_perm("portal.view_patientchart", alice.chart)
    assert not split.has_perm("portal.change_patientchart", alice.chart)
    assert not split.has_perm("accounts.view_portalaccess", alice.access)  # by its patient
    assert split.has_perm("portal.change_patientchart", olga)
    assert split.has_perm("accounts.change_portalaccess", olgas_access)
    assert split.has_perm("portal.change_practice", other_practice) is False  # not a role's


def test_with_no_object_any_active_membership_answers(split):
    # The console's module and list pages ask so; the rows are then those of the practices
    # where the role allows it (staff_practices).
    assert split.has_perm("portal.change_patientchart")
    assert split.has_module_perms("accounts")
    assert not split.has_perm("accounts.change_staffmembership")
    assert not split.has_module_perms("auth")


def test_staff_practices_can_be_asked_for_a_permission(split, practice, other_practice):
    assert set(staff_practices(split)) == {practice, other_practice}
    assert list(staff_practices(split, perms=["portal.change_patientchart"])) == [other_practice]
    assert set(staff_practices(split, perms=["portal.view_patientchart"])) == {
        practice, other_practice}


def test_a_demotion_counts_from_the_next_request(practice, alice):
    user = factories.make_staff("front-desk", practice, role=StaffRole.FRONT_DESK)
    assert fresh(user).has_perm("portal.change_patientchart", alice.chart)
    staff_membership_create(user=user, practice=practice, role=StaffRole.BILLING)
    demoted = fresh(user)
    assert not demoted.has_perm("portal.change_patientchart", alice.chart)
    assert not demoted.has_perm("portal.change_patientchart")
    assert demoted.has_perm("portal.view_patientchart", alice.chart)


def test_an_ended_membership_or_account_gives_nothing(practice, alice):
    user = factories.make_staff("front-desk", practice, role=StaffRole.FRONT_DESK)
    StaffMembership.objects.filter(user=user).update(is_active=False)
    assert not fresh(user).has_perm("portal.view_patientchart", alice.chart)
    assert not fresh(user).has_module_perms("portal")
    StaffMembership.objects.filter(user=user).update(is_active=True)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert not fresh(user).has_perm("portal.view_patientchart", alice.chart)


def test_a_group_or_a_permission_given_by_hand_adds_nothing_to_the_role(practice, alice):
    """ROLE_PERMISSIONS is the one table: what a group or the user's own permissions say is
    not asked (an old role group, kept in a database from before, included)."""
    user = factories.make_staff("billing", practice, role=StaffRole.BILLING)
    change = Permission.objects.get(codename="change_patientchart")
    group = Group.objects.create(name="Front desk")
    group.permissions.add(change)
    user.groups.add(group)
    user.user_permissions.add(change)
    assert not fresh(user).has_perm("portal.change_patientchart", alice.chart)
    assert not fresh(user).has_perm("portal.change_patientchart")
    patient = alice.user
    patient.user_permissions.add(change)
    assert not fresh(patient).has_perm("portal.change_patientchart")


def test_superusers_keep_everything(alice):
    root = factories.make_user("root-operator", is_staff=True, is_superuser=True)
    assert root.has_perm("portal.change_patientchart", alice.chart)
    assert root.has_perm("auth.change_group")


def test_every_role_permission_names_a_real_permission():
    for perms in ROLE_PERMISSIONS.values():
        for name in perms:
            app_label, codename = name.split(".")
            assert Permission.objects.filter(content_type__app_label=app_label,
                                             codename=codename).exists(), name


def test_the_roles_are_read_once_for_all_the_checks_of_a_request(
        practice, alice, django_assert_num_queries):
    user = fresh(factories.make_staff("front-desk", practice, role=StaffRole.FRONT_DESK))
    with django_assert_num_queries(1):
        for _ in range(3):
            assert user.has_perm("portal.change_patientchart", alice.chart)
            assert user.has_perm("portal.view_patientchart")


# Changing a role -------------------------------------------------------------------------------


def test_a_role_change_is_audited_about_the_staff_member(practice):
    user = factories.make_staff("front-desk", practice, role=StaffRole.FRONT_DESK)
    actor = factories.make_staff("practice-admin", practice, role=StaffRole.PRACTICE_ADMIN)
    membership = staff_membership_save(user=user, practice=practice, role=StaffRole.BILLING,
                                       job_title="Billing", is_active=True, actor=actor)
    event = AuditEvent.objects.filter(action=AuditAction.STAFF_ROLE_CHANGED).latest("id")
    assert (event.actor, event.subject_user, event.practice) == (actor, user, practice)
    assert event.object_id == str(membership.pk)
    assert event.extra == {"role_before": StaffRole.FRONT_DESK, "role": StaffRole.BILLING,
                           "active_before": True, "active": True}


def test_a_new_member_is_audited_and_made_staff(practice):
    user = factories.make_user("newcomer")
    staff_membership_create(user=user, practice=practice, role=StaffRole.FRONT_DESK)
    assert fresh(user).is_staff
    event = AuditEvent.objects.get(action=AuditAction.STAFF_ROLE_CHANGED, subject_user=user)
    assert event.extra == {"role_before": "", "role": StaffRole.FRONT_DESK,
                           "active_before": False, "active": True}


def test_a_new_job_title_alone_is_not_a_role_change(practice):
    user = factories.make_staff("front-desk", practice, role=StaffRole.FRONT_DESK)
    staff_membership_create(user=user, practice=practice, role=StaffRole.FRONT_DESK,
                            job_title="Receptionist")
    assert StaffMembership.objects.get(user=user).job_title == "Receptionist"
    assert AuditEvent.objects.filter(action=AuditAction.STAFF_ROLE_CHANGED,
                                     subject_user=user).count() == 1  # joining only


def test_roles_are_not_groups(practice):
    user = factories.make_staff("front-desk", practice, role=StaffRole.FRONT_DESK)
    assert not user.groups.exists()


def test_a_patient_with_portal_access_has_no_staff_permission(alice, bob):
    assert bob.access.relationship == Relationship.TRUSTED_REPRESENTATIVE
    assert not fresh(bob.user).has_perm("portal.view_patientchart", alice.chart)
    assert not fresh(alice.user).has_module_perms("portal")
