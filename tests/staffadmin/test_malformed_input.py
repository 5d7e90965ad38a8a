"""Nothing a staff member types (or tampers with) is a 500 (DESIGN invariant 7), anywhere in the
staff console.

The pages come from the console itself: every URL of every ModelAdmin registered on it (so a new
action is covered as soon as it is added to a ``get_urls``, a new model page as soon as it is
registered), each fetched and posted with malformed ids in the path and malformed values in
every field — the form's own fields (read from the pages) and the names the actions read; and
every list page with malformed values in each of its query parameters — each list filter's
(read from the list's own filters), the date drill-down's, ordering, page and search. As the
superuser and as a practice administrator (every permission a practice role gives): see
``_route_runs`` for who opens which page. A form error, a 400, 403, 404 or a redirect is right;
a 500 never is.

One world serves the whole module, and every request runs in a transaction that is rolled back:
each starts from the same data, and an action that approves or revokes does not hide the next
one's page.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from allauth.account.models import EmailAddress
from django.contrib import admin
from django.contrib.admin.views.main import (
    ALL_VAR,
    IS_FACETS_VAR,
    IS_POPUP_VAR,
    ORDER_VAR,
    PAGE_VAR,
    SEARCH_VAR,
    TO_FIELD_VAR,
)
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.test import Client, RequestFactory
from django.urls import URLPattern
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
from staffadmin.scoped_admin import PracticeScopedAdmin
from tests import factories

pytestmark = pytest.mark.django_db

MALFORMED = ["abc", str(10**30), "-1", "\x00", ""]
MALFORMED_IDS = ["abc", str(10**30)]
# Names the actions read besides those their pages show (a POST-only action has no page).
FIELD_NAMES = {
    "patient", "reason", "q", "days", "delivery", "rights", "ends_on", "first_name",
    "last_name", "email", "mobile_phone", "another_patient_chart", "user", "relationship",
    "starts_at_0", "starts_at_1", "ends_at_0", "ends_at_1", "revoke", "_save",
}
# What every list page reads besides its own filters: ordering, search and the display
# switches together (none of them stops the list on a bad value), then the page number and
# the popup's field, each alone (a bad one does).
LIST_SWITCHES = [ORDER_VAR, SEARCH_VAR, ALL_VAR, IS_FACETS_VAR, IS_POPUP_VAR]
LIST_ALONE = [PAGE_VAR, TO_FIELD_VAR]
CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")
MODEL_ADMINS = list(admin.site._registry.items())
# The admin's own pages of every model, as opposed to the actions a console page adds.
OWN_PAGES = ("_changelist", "_add", "_history", "_delete", "_change")


def admin_routes(model: type[models.Model], *, actions_only: bool = False) -> list[str]:
    """Every route of the model's admin, relative to its URL prefix (or only the actions its
    console page adds), but the object's old address, which only redirects to its change page
    whatever the id (test_access_matrix)."""
    routes = []
    for pattern in admin.site._registry[model].get_urls():
        assert isinstance(pattern, URLPattern)
        if getattr(pattern.callback, "view_class", None) is RedirectView:
            continue
        if actions_only and (pattern.name or "").endswith(OWN_PAGES):
            continue
        routes.append(str(pattern.pattern))
    return routes


def prefix_of(model: type[models.Model]) -> str:
    return f"/staff/{model._meta.app_label}/{model._meta.model_name}/"


def test_the_routes_include_every_action():
    routes = {route for model, _ in MODEL_ADMINS for route in admin_routes(model)}
    for action in ("<path:object_id>/issue-token/", "<path:object_id>/approve/",
                   "<path:object_id>/enable-portal-access/relationships/",
                   "<path:object_id>/family/<uuid:access_code>/rights/", "age-out-report/",
                   "self-registration/", "<path:object_id>/issue-reset-token/",
                   "<id>/password/", "<int:pk>/config/"):
        assert action in routes


# The world -------------------------------------------------------------------------------------


@dataclass
class World:
    clients: dict[str, Client]
    users: dict[str, User]
    ids: dict[type[models.Model] | str, str]  # the object a route's argument names


def _build_world() -> World:
    # East of Greenwich, the first day of year 1 in the practice's time zone is still in year 0
    # in UTC: the date drill-down's lowest dates.
    practice = factories.make_practice("Harbor Family Practice", time_zone="Pacific/Auckland")
    staff = factories.make_staff("admin-harbor", practice, role=StaffRole.PRACTICE_ADMIN)
    root = factories.make_user("root-operator", is_staff=True, is_superuser=True)
    guarantor = factories.make_chart(practice, "Gus", "Guarantor",
                                     notification_email="gus@example.com")
    chart = factories.make_chart(practice, "Alice", "Archer", guarantor=guarantor,
                                 notification_email="alice@example.com")
    factories.grant(factories.make_user("alice-archer"), chart)
    bob = factories.make_user("bob-baker")
    access = factories.grant(bob, chart, Relationship.TRUSTED_REPRESENTATIVE)
    request = EnrollmentRequest.objects.create(
        practice=practice, first_name="Nora", last_name="North",
        date_of_birth=datetime.date(1985, 6, 15), zip_code="02139", email="nora@example.com")
    provider = Provider.objects.create(practice=practice, first_name="Pat", last_name="Doc")
    event = audit_record(action=AuditAction.CHART_VIEWED, actor=staff, patient=chart)
    ids: dict[type[models.Model] | str, str] = {
        model: str(obj.pk) for model, obj in {
            PatientChart: chart, EnrollmentRequest: request, PortalAccess: access,
            StaffMembership: StaffMembership.objects.get(user=staff), Provider: provider,
            AuditEvent: event, User: bob, Practice: practice,
            OutboxMessage: OutboxMessage.objects.create(
                channel="email", recipient="x@example.com", template="test", subject="s",
                body_text="b"),
            EmailAddress: EmailAddress.objects.create(user=bob, email="bob@example.com"),
            TOTPDevice: TOTPDevice.objects.create(user=bob, name="app", confirmed=True),
        }.items()
    }
    ids["access_code"] = str(access.code)
    ids["content_type_id"] = str(ContentType.objects.get_for_model(PatientChart).pk)
    users = {"superuser": root, "practice admin": staff}
    clients = {}
    for kind, user in users.items():
        clients[kind] = client = Client(raise_request_exception=False)
        client.force_login(user)
        # Half-way through Enable Portal Access for the chart, so that step 2 has its form.
        step1 = client.post(f"/staff/portal/patientchart/{chart.pk}/enable-portal-access/",
                            {"guarantor": "on", "delivery": "print"})
        assert step1.status_code == 302, (kind, step1.status_code)
    return World(clients, users, ids)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    """Built once for the module, inside a transaction rolled back at its end (each test's own
    transaction nests inside it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


class Requests:
    """Sends requests, each in a transaction that is rolled back, and notes every 500."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.failures: list[str] = []

    def send(self, method: str, path: str, data: dict) -> int:
        with transaction.atomic():
            response = getattr(self.client, method)(path, data)
            transaction.set_rollback(True)
        if response.status_code >= 500:
            self.failures.append(f"{method.upper()} {path!r} {data!r}"[:300])
        return response.status_code

    def page(self, path: str) -> tuple[int, set[str]]:
        """The page's status on a GET, and the names of the fields it shows."""
        page = self.client.get(path)
        if page.status_code != 200:
            return page.status_code, set()
        names = set(re.findall(r'<(?:input|select|textarea|button)\b[^>]*\bname="([^"]+)"',
                               page.content.decode()))
        return 200, names - {"csrfmiddlewaretoken"}


# The model pages and their actions -------------------------------------------------------------


def _fill(model: type[models.Model], route: str, ids: dict, *, bad: str = "",
          which: str = "") -> str:
    """The route with valid ids, except ``which`` (if given), which gets ``bad``."""
    def one(match: re.Match) -> str:
        name = match["name"]
        if name == which:
            return bad if match["kind"] != "int" else str(10**30)  # only digits reach an int
        return ids[model] if name in ("object_id", "id", "pk") else ids[name]

    return prefix_of(model) + CONVERTER.sub(one, route)


def _route_runs() -> list[tuple[str, type[models.Model], bool]]:
    """Who fuzzes which pages. The practice administrator: every page of the practice models.
    The superuser: every page of the operators' models (practice staff get a 403 there before
    anything is read, test_access_matrix), and the actions of the practice models, which take
    their own turns for someone of no practice. The admin's own pages of a practice model
    read the same input whoever opens them."""
    runs = []
    for model, model_admin in MODEL_ADMINS:
        practice_page = isinstance(model_admin, PracticeScopedAdmin)
        if practice_page:
            runs.append(("practice admin", model, False))
        if not practice_page or admin_routes(model, actions_only=True):
            runs.append(("superuser", model, practice_page))
    return runs


ROUTE_RUNS = _route_runs()
LISTS = [(kind, model) for kind in ("superuser", "practice admin") for model, model_admin
         in MODEL_ADMINS if kind == "superuser" or isinstance(model_admin, PracticeScopedAdmin)]


def test_every_model_page_of_the_console_is_covered():
    registered = set(admin.site._registry)
    assert {model for _, model, _ in ROUTE_RUNS} == registered
    assert {model for _, model in LISTS} == registered
    for model in (PatientChart, EnrollmentRequest, PortalAccess, StaffMembership, Provider,
                  AuditEvent, OutboxMessage, User, EmailAddress, TOTPDevice):
        assert model in registered


def test_the_superuser_fuzzes_the_chart_actions():
    assert ("superuser", PatientChart, True) in ROUTE_RUNS
    assert "<path:object_id>/issue-token/" in admin_routes(PatientChart, actions_only=True)
    assert "<path:object_id>/change/" not in admin_routes(PatientChart, actions_only=True)


@pytest.mark.parametrize(("kind", "model", "actions_only"), ROUTE_RUNS,
                         ids=[f"{kind}-{model._meta.label_lower}{'-actions' * actions_only}"
                              for kind, model, actions_only in ROUTE_RUNS])
def test_no_model_page_or_action_is_a_500_on_malformed_input(world, kind, model, actions_only):
    requests = Requests(world.clients[kind])
    _, change_fields = requests.page(f"{prefix_of(model)}{world.ids[model]}/change/")
    for route in admin_routes(model, actions_only=actions_only):
        path = _fill(model, route, world.ids)
        status, fields = requests.page(path)
        # A POST-only action answers every GET with 405 before it reads anything.
        methods = ["post"] if status == 405 else ["get", "post"]
        names = FIELD_NAMES | change_fields | fields
        for value in MALFORMED:  # valid ids, every field malformed
            for method in methods:
                requests.send(method, path, dict.fromkeys(names, value))
        bad_paths = {_fill(model, route, world.ids, bad=bad, which=match["name"])
                     for match in CONVERTER.finditer(route) for bad in MALFORMED_IDS}
        for bad_path in sorted(bad_paths):  # each id malformed in turn
            requests.send(methods[0], bad_path, {})
    assert not requests.failures, "\n".join(requests.failures)


# The list pages' query parameters --------------------------------------------------------------


def list_parameters(model: type[models.Model], user: User) -> list[str]:
    """The query parameters of the model's list filters, as the list builds them."""
    model_admin = admin.site._registry[model]
    request = RequestFactory().get(prefix_of(model))
    request.user = user
    changelist = model_admin.get_changelist_instance(request)
    return [name for spec in changelist.filter_specs for name in spec.expected_parameters()]


def drill_downs(field: str) -> list[dict[str, str]]:
    """The date drill-down's year, month and day: malformed alone and together, and at the
    edges of the calendar (the drill-down builds the next year, month or day from them)."""
    year, month, day = f"{field}__year", f"{field}__month", f"{field}__day"
    queries: list[dict[str, str]] = []
    for value in MALFORMED:
        queries += [{year: value}, {month: value}, {day: value},
                    {year: value, month: value, day: value}, {year: "2024", month: value},
                    {year: "2024", month: "2", day: value}]
    for edge in ("0", "1", "9999", "10000", "99999999"):
        queries.append({year: edge})
    for edge in ("0", "12", "13"):
        queries += [{year: "9999", month: edge}, {year: "1", month: edge}]
    for edge in ("0", "1", "30", "31", "32"):
        queries += [{year: "9999", month: "12", day: edge}, {year: "1", month: "1", day: edge},
                    {year: "2024", month: "2", day: edge}]
    return queries


def test_the_list_parameters_are_found():
    root = User(username="root", is_staff=True, is_superuser=True)
    assert {"portal_status__exact", "needs_review__exact"} <= set(
        list_parameters(PatientChart, root))
    assert "status" in list_parameters(EnrollmentRequest, root)
    assert "is_superuser__exact" in list_parameters(User, root)
    assert admin.site._registry[AuditEvent].date_hierarchy == "created_at"


@pytest.mark.parametrize(("kind", "model"), LISTS,
                         ids=[f"{kind}-{model._meta.label_lower}" for kind, model in LISTS])
def test_no_list_page_is_a_500_on_malformed_query_parameters(world, kind, model):
    requests = Requests(world.clients[kind])
    path = prefix_of(model)
    queries = [{name: value} for name in [*list_parameters(model, world.users[kind]),
                                          *LIST_ALONE] for value in MALFORMED]
    queries += [dict.fromkeys(LIST_SWITCHES, value) for value in MALFORMED]
    if field := admin.site._registry[model].date_hierarchy:
        queries += drill_downs(field)
    for query in queries:
        requests.send("get", path, query)
    assert not requests.failures, "\n".join(requests.failures)


# The console's own pages -----------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["superuser", "practice admin"])
def test_no_page_of_the_console_itself_is_a_500_on_malformed_input(world, kind):
    requests = Requests(world.clients[kind])
    chart = world.ids[PatientChart]
    paths = ["/staff/", "/staff/portal/", "/staff/jsi18n/", "/staff/autocomplete/"]
    paths += [f"/staff/r/{bad}/{chart}/" for bad in MALFORMED_IDS]
    paths += [f"/staff/r/{world.ids['content_type_id']}/{bad}/" for bad in MALFORMED_IDS]
    names = ["q", "term", "app_label", "model_name", "field_name", "page"]
    for path in paths:
        for value in MALFORMED:
            requests.send("get", path, dict.fromkeys(names, value))
            requests.send("post", path, dict.fromkeys(names, value))
    assert not requests.failures, "\n".join(requests.failures)
