"""Nothing a staff member types (or tampers with) is a 500 (DESIGN invariant 7).

The pages come from the console's own URL configuration — every URL of the ModelAdmins that
carry the chart actions, the queues and the access records — so a new action is covered as soon
as it is added to a ``get_urls``. Each is fetched and posted, by a staff member of the right
practice, with malformed ids in the path and malformed values in every field: the form's own
fields (read from the pages) and the names the actions read. A form error, a 400, 403, 404 or a
redirect is right; a 500 never is.
"""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.db import transaction
from django.urls import URLPattern

from accounts.models import PortalAccess
from enrollment.models import EnrollmentRequest
from portal.models import PatientChart
from tests import factories

pytestmark = pytest.mark.django_db

MALFORMED = ["abc", str(10**30), "-1", "\x00", "a\x00b", ""]
MALFORMED_IDS = ["abc", str(10**30), "a\x00b"]
# Names the actions read besides those their pages show (a POST-only action has no page).
FIELD_NAMES = {
    "patient", "reason", "q", "days", "delivery", "rights", "ends_on", "first_name",
    "last_name", "email", "mobile_phone", "another_patient_chart", "user", "relationship",
    "starts_at_0", "starts_at_1", "ends_at_0", "ends_at_1", "revoke", "_save",
}
CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")
MODELS = [PatientChart, EnrollmentRequest, PortalAccess]


def console_routes() -> list[tuple[str, str]]:
    """(model admin's URL prefix, route) for every URL of the admins of MODELS."""
    routes = []
    for model in MODELS:
        model_admin = admin.site._registry[model]
        prefix = f"/staff/{model._meta.app_label}/{model._meta.model_name}/"
        for pattern in model_admin.get_urls():
            assert isinstance(pattern, URLPattern)
            routes.append((prefix, str(pattern.pattern)))
    return routes


def test_the_routes_include_every_action():
    routes = {route for _, route in console_routes()}
    for action in ("<path:object_id>/issue-token/", "<path:object_id>/approve/",
                   "<path:object_id>/enable-portal-access/relationships/",
                   "<path:object_id>/family/<uuid:access_code>/rights/", "age-out-report/",
                   "self-registration/", "<path:object_id>/issue-reset-token/"):
        assert action in routes


@pytest.fixture
def world(client, practice, staff, alice, bob):
    """The staff member is signed in and half-way through Enable Portal Access for alice, so
    that step 2 has its form to fill."""
    alice.chart.guarantor = factories.make_chart(practice, "Gus", "Guarantor",
                                                 notification_email="gus@example.com")
    alice.chart.save()
    request = EnrollmentRequest.objects.create(
        practice=practice, first_name="Nora", last_name="North", date_of_birth="1985-06-15",
        zip_code="02139", email="nora@example.com")
    client.force_login(staff)
    step1 = client.post(f"/staff/portal/patientchart/{alice.chart.pk}/enable-portal-access/",
                        {"guarantor": "on", "delivery": "print"})
    assert step1.status_code == 302
    client.raise_request_exception = False
    return {
        PatientChart: str(alice.chart.pk), EnrollmentRequest: str(request.pk),
        PortalAccess: str(bob.access.pk), "access_code": str(bob.access.code),
    }


def _model(prefix: str) -> type:
    return next(m for m in MODELS if prefix.endswith(f"/{m._meta.model_name}/"))


def _fill(prefix: str, route: str, valid: dict, *, bad: str = "", which: str = "") -> str:
    """The route with valid ids, except ``which`` (if given), which gets ``bad``."""
    def one(match: re.Match) -> str:
        name = match["name"]
        if name == which:
            return bad if match["kind"] != "int" else str(10**30)  # only digits reach an int
        return valid[_model(prefix)] if name == "object_id" else valid[name]

    return prefix + CONVERTER.sub(one, route)


def _field_names(client, path: str) -> set[str]:
    page = client.get(path)
    if page.status_code != 200:
        return set()
    names = set(re.findall(r'<(?:input|select|textarea|button)\b[^>]*\bname="([^"]+)"',
                           page.content.decode()))
    return names - {"csrfmiddlewaretoken"}


@pytest.mark.parametrize(("prefix", "route"), console_routes(),
                         ids=[f"{p.split('/')[-2]}/{r}" for p, r in console_routes()])
def test_no_console_page_is_a_500_on_malformed_input(client, world, prefix, route):
    failures = []

    def check(method, path: str, data: dict) -> None:
        # Each request starts from the same data: one that approves or revokes does not hide
        # the next one's page.
        with transaction.atomic():
            response = method(path, data)
            transaction.set_rollback(True)
        if response.status_code >= 500:
            failures.append(f"{method.__name__.upper()} {path!r} {data!r}"[:300])

    path = _fill(prefix, route, world)
    change_page = f"{prefix}{world[_model(prefix)]}/change/"
    names = FIELD_NAMES | _field_names(client, path) | _field_names(client, change_page)
    for value in MALFORMED:  # valid ids, every field malformed
        for method in (client.get, client.post):
            check(method, path, dict.fromkeys(names, value))
    bad_paths = {_fill(prefix, route, world, bad=bad, which=match["name"])
                 for match in CONVERTER.finditer(route) for bad in MALFORMED_IDS}
    for bad_path in sorted(bad_paths):  # each id malformed in turn
        for method in (client.get, client.post):
            check(method, bad_path, {})
    assert not failures, "\n".join(failures)
