"""The staff-side access matrix (SPEC T1): every console address that names an object of a
practice is a 404 to the staff of another practice, on GET and on POST, and opens for the staff
of the object's own practice.

The addresses come from the URL configuration under the console's prefix, so a new chart action
(a ModelAdmin's ``get_urls()``) joins the matrix by itself. A console address with an argument
that this file does not know fails ``test_every_console_address_with_an_object_is_classified``:
say there which object the argument names.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.views.generic import RedirectView
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import PortalAccess, Relationship, StaffMembership, StaffRole, User
from enrollment.models import EnrollmentRequest
from portal.audit import audit_record
from portal.models import (
    AuditAction,
    AuditEvent,
    OutboxMessage,
    PatientChart,
    Practice,
    Provider,
)
from tests import factories

pytestmark = pytest.mark.django_db

# Models whose rows belong to one practice: the console must scope them.
PRACTICE_SCOPED = {PatientChart, PortalAccess, Practice, EnrollmentRequest, StaffMembership,
                   Provider, AuditEvent}
# Models that are not a practice's: only a superuser may open them, practice staff get 403.
# (Groups are not in the console at all: they grant nothing, roles do.)
SUPERUSER_ONLY = {User, OutboxMessage, EmailAddress, TOTPDevice}
# Route arguments that name no object.
NOT_OBJECTS = {"app_label", "url"}
# Console addresses with an object whose model the URL name does not say.
MODEL_BY_URL_NAME = {"auth_user_password_change": User}


@dataclass(frozen=True)
class ConsoleRoute:
    route: str  # e.g. "staff/portal/patientchart/<path:object_id>/family/"
    name: str | None
    arguments: tuple[str, ...]
    callback: Callable

    @property
    def label(self) -> str:
        return self.name or self.route


def _route_arguments(entry: URLPattern | URLResolver) -> tuple[str, ...]:
    return tuple(entry.pattern.regex.groupindex)


def console_routes() -> list[ConsoleRoute]:
    """Every address under the console's prefix that takes an argument."""
    prefix = reverse("admin:index").lstrip("/")

    def walk(resolver: URLResolver, route: str, arguments: tuple[str, ...]) -> Iterator:
        for entry in resolver.url_patterns:
            here, args = route + str(entry.pattern), arguments + _route_arguments(entry)
            if isinstance(entry, URLResolver):
                yield from walk(entry, here, args)
            elif here.startswith(prefix) and args:
                yield ConsoleRoute(here, entry.name, args, entry.callback)

    return list(walk(get_resolver(), "", ()))


def _registered_models() -> dict[str, type[models.Model]]:
    return {f"{m._meta.app_label}_{m._meta.model_name}_": m for m in admin.site._registry}


def route_model(route: ConsoleRoute) -> type[models.Model] | None:
    """The model whose object the route's ``object_id`` (or ``pk``/``id``) names."""
    model_admin = getattr(route.callback, "model_admin", None)
    if model_admin is not None:
        return model_admin.model
    if route.name in MODEL_BY_URL_NAME:
        return MODEL_BY_URL_NAME[route.name]
    for prefix, model in _registered_models().items():
        if route.name and route.name.startswith(prefix):
            return model
    return None


def is_redirect_to_change_page(route: ConsoleRoute) -> bool:
    """The admin's old address of an object (``<object_id>/``) only redirects to its change page
    (which is checked), whatever the id: it reads nothing."""
    return getattr(route.callback, "view_class", None) is RedirectView


def classification(route: ConsoleRoute) -> str | None:
    objects = set(route.arguments) - NOT_OBJECTS
    if not objects:
        return "no object"
    if objects - set(ARGUMENTS):
        return None  # an argument nobody has said how to fill
    model = route_model(route)
    if model in PRACTICE_SCOPED | SUPERUSER_ONLY and is_redirect_to_change_page(route):
        return "redirect"
    if model in PRACTICE_SCOPED:
        return "practice-scoped"
    if model in SUPERUSER_ONLY:
        return "superuser only"
    return None


# The objects -----------------------------------------------------------------------------------


@dataclass
class PracticeWorld:
    """One practice's objects, one of each kind a console address can name."""

    practice: Practice
    staff: User  # a practice administrator: every permission a practice role gives
    chart: PatientChart
    proxy_access: PortalAccess  # a guardian's access to the chart
    objects: dict[type[models.Model], models.Model]


def practice_world(practice: Practice, tag: str) -> PracticeWorld:
    staff = factories.make_staff(f"admin-{tag}", practice, role=StaffRole.PRACTICE_ADMIN)
    chart = factories.make_chart(practice, "Kit", f"Kid{tag}", notification_email=f"{tag}@ex.org",
                                 date_of_birth=datetime.date(2016, 3, 3))
    factories.grant(factories.make_user(f"kit-{tag}"), chart)
    guardian = factories.make_user(f"guardian-{tag}")
    proxy_access = factories.grant(guardian, chart, Relationship.GUARDIAN)
    request = EnrollmentRequest.objects.create(
        practice=practice, first_name="Rae", last_name=f"Request{tag}",
        date_of_birth=datetime.date(1990, 1, 1), zip_code="02139", email=f"rae-{tag}@ex.org")
    provider = Provider.objects.create(practice=practice, first_name="Pat", last_name=f"Doc{tag}")
    event = audit_record(action=AuditAction.CHART_VIEWED, actor=staff, patient=chart,
                         practice=practice)
    return PracticeWorld(practice, staff, chart, proxy_access, {
        Practice: practice, PatientChart: chart, PortalAccess: proxy_access,
        EnrollmentRequest: request, Provider: provider, AuditEvent: event,
        StaffMembership: StaffMembership.objects.get(user=staff, practice=practice),
    })


def shared_objects(world: PracticeWorld) -> dict[type[models.Model], models.Model]:
    """The objects of no practice (superuser-only pages)."""
    user = world.proxy_access.user
    return {
        User: user,
        OutboxMessage: OutboxMessage.objects.create(channel="email", recipient="x@ex.org",
                                                    template="test", subject="s", body_text="b"),
        EmailAddress: EmailAddress.objects.create(user=user, email="g@ex.org", verified=True),
        TOTPDevice: TOTPDevice.objects.create(user=user, name="app", confirmed=True),
    }


# How each argument is filled. One entry per argument name: a renamed argument (say, an access
# addressed by its code) fails the classification test until it is added here.
ARGUMENTS: dict[str, Callable[[ConsoleRoute, PracticeWorld, dict], Any]] = {
    "object_id": lambda route, world, shared: _object_of(route, world, shared).pk,
    "pk": lambda route, world, shared: _object_of(route, world, shared).pk,
    "id": lambda route, world, shared: _object_of(route, world, shared).pk,
    "access_code": lambda route, world, shared: world.proxy_access.code,
}


def _object_of(route: ConsoleRoute, world: PracticeWorld, shared: dict) -> models.Model:
    model = route_model(route)
    return world.objects[model] if model in PRACTICE_SCOPED else shared[model]


def console_url(route: ConsoleRoute, values: dict[str, Any]) -> str:
    """The address, by ``reverse()`` when the route has a name."""
    if route.name:
        return reverse(f"admin:{route.name}", kwargs=values)
    return "/" + re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: str(values[m[1]]), route.route)


def url_for(route: ConsoleRoute, world: PracticeWorld, shared: dict, **overrides: Any) -> str:
    values = {arg: ARGUMENTS[arg](route, world, shared) for arg in route.arguments}
    return console_url(route, {**values, **overrides})


@pytest.fixture
def home(practice) -> PracticeWorld:
    return practice_world(practice, "home")


@pytest.fixture
def away(other_practice) -> PracticeWorld:
    return practice_world(other_practice, "away")


def as_staff(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def answers(client: Client, url: str) -> dict[str, int]:
    return {"GET": client.get(url).status_code, "POST": client.post(url).status_code}


def not_found(own: dict[str, int]) -> dict[str, int]:
    """What another practice's staff must get. A POST-only action answers every GET with 405
    before it looks anything up, and a GET-only page (a confirmation) every POST (the same for
    every id, so it tells nothing)."""
    return {"GET": 405 if own["GET"] == 405 else 404,
            "POST": 405 if own["POST"] == 405 else 404}


def nothing_written_by(user: User, home: PracticeWorld) -> None:
    written = AuditEvent.objects.filter(actor=user, practice=home.practice)
    assert not written.exists(), [e.action for e in written]


ROUTES = console_routes()
OBJECT_ROUTES = [r for r in ROUTES if classification(r) not in (None, "no object")]


# The tests -------------------------------------------------------------------------------------


def test_every_console_address_with_an_object_is_classified():
    unclassified = [f"{r.route} (name {r.name}, arguments {r.arguments})" for r in ROUTES
                    if classification(r) is None]
    assert not unclassified, (
        "Console addresses whose object this matrix cannot place; add them to "
        "tests/staffadmin/test_access_matrix.py:\n" + "\n".join(unclassified))


def test_the_matrix_found_the_chart_actions():
    names = {r.name for r in OBJECT_ROUTES if classification(r) == "practice-scoped"}
    # A few of each kind, so that a broken walk cannot pass with an empty list.
    for expected in ["portal_patientchart_change", "portal_patientchart_family",
                     "portal_patientchart_family_edit_rights", "portal_patientchart_family_revoke",
                     "portal_patientchart_issue_token", "portal_patientchart_send_invitation",
                     "portal_patientchart_generate_password",
                     "portal_patientchart_issue_reset_token", "portal_patientchart_unenroll",
                     "portal_patientchart_reactivate", "portal_patientchart_enable_portal_access",
                     "portal_patientchart_enable_portal_access_relationships",
                     "enrollment_enrollmentrequest_approve", "enrollment_enrollmentrequest_reject",
                     "enrollment_enrollmentrequest_create_chart",
                     "accounts_portalaccess_change", "portal_practice_change",
                     "portal_auditevent_change", "portal_provider_change",
                     "accounts_staffmembership_change"]:
        assert expected in names


SCOPED = [r for r in OBJECT_ROUTES if classification(r) == "practice-scoped"]


@pytest.mark.parametrize("route", SCOPED, ids=[r.label for r in SCOPED])
def test_another_practices_staff_get_404_and_the_practices_own_staff_get_in(home, away, route):
    shared = shared_objects(home)
    url = url_for(route, home, shared)
    theirs = answers(as_staff(away.staff), url)  # first, while nothing has changed
    nothing_written_by(away.staff, home)
    own = answers(as_staff(home.staff), url)
    assert theirs == not_found(own), url
    assert 404 not in own.values(), (url, own)
    assert all(status < 500 for status in own.values()), (url, own)


MIXED = [r for r in SCOPED if len(set(r.arguments) - NOT_OBJECTS) > 1]


@pytest.mark.parametrize("route", MIXED, ids=[r.label for r in MIXED])
def test_every_object_in_an_address_is_checked_not_only_the_first(home, away, route):
    """Another practice's staff, on their own chart, naming an object of this practice."""
    shared = shared_objects(home)
    for argument in set(route.arguments) - NOT_OBJECTS - {"object_id"}:
        borrowed = ARGUMENTS[argument](route, home, shared)
        url = url_for(route, away, shared, **{argument: borrowed})
        theirs = answers(as_staff(away.staff), url)
        nothing_written_by(away.staff, home)
        # The same address with the staff member's own object opens: the 404 was the check's.
        own = answers(as_staff(away.staff), url_for(route, away, shared))
        assert 404 not in own.values(), own
        assert theirs == not_found(own), url


SUPERUSER_PAGES = [r for r in OBJECT_ROUTES if classification(r) == "superuser only"]


@pytest.mark.parametrize("route", SUPERUSER_PAGES, ids=[r.label for r in SUPERUSER_PAGES])
def test_practice_staff_never_open_the_operators_pages(home, away, route):
    shared = shared_objects(home)
    url = url_for(route, home, shared)
    for staff in (home.staff, away.staff):
        assert answers(as_staff(staff), url) == {"GET": 403, "POST": 403}, url


REDIRECTS = [r for r in OBJECT_ROUTES if classification(r) == "redirect"]


@pytest.mark.parametrize("route", REDIRECTS, ids=[r.label for r in REDIRECTS])
def test_an_objects_old_address_only_points_at_its_change_page(home, away, route):
    shared = shared_objects(home)
    url = url_for(route, home, shared)
    response = as_staff(away.staff).get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{url}change/"



# Portal accesses are looked up in the console, never added or edited there (issue 10, item 4):
# Enable Portal Access gives access and Family Management changes it, with their rules.


@pytest.mark.parametrize("who", ["own staff", "superuser"])
def test_nobody_adds_or_edits_a_portal_access_through_the_raw_forms(home, who):
    staff = home.staff if who == "own staff" else factories.make_user(
        "root", is_staff=True, is_superuser=True)
    client = as_staff(staff)
    add = reverse("admin:accounts_portalaccess_add")
    change = reverse("admin:accounts_portalaccess_change", args=[home.proxy_access.pk])
    assert answers(client, add) == {"GET": 403, "POST": 403}
    assert answers(client, change) == {"GET": 200, "POST": 403}
    assert 'name="_save"' not in client.get(change).content.decode()


def test_groups_have_no_page_in_the_console():
    assert Group not in admin.site._registry
