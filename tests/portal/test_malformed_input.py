"""Nothing a visitor, a patient or a proxy types (or tampers with) is a 500 (DESIGN invariant 7),
anywhere outside the staff console (tests/staffadmin/test_malformed_input.py covers that).

The pages come from the URL configuration itself (so a new page is covered as soon as it is
routed): each fetched with malformed values in its query string and posted with malformed
values in every field — the page's own fields (read from the page) and the names the portal's
forms read — with malformed values in the route's arguments too. As an anonymous visitor, as a
patient who has just confirmed it's her, as her proxy, and half-way through enrollment (where
Identify, Create Security Details and Verify show their forms). A form error, a 400, 403, 404
or a redirect is right; a 500 never is.

One world serves the whole module, and every request runs in a transaction that is rolled back
(and the client's cookies are put back after it): each starts from the same data and the same
session, so signing out or finishing a step does not hide the next page.
"""

from __future__ import annotations

import copy
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from allauth.account import app_settings as account_settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RegexPattern

from accounts.devices import OneTimeCodeDevice
from accounts.models import Relationship, SecurityAnswer
from accounts.security_questions import hash_answer
from enrollment.models import InvitationKind
from enrollment.services import invitation_issue_and_send
from portal.models import Channel, Practice
from tests import factories
from tests.enrollment.conftest import GOOD_DETAILS
from tests.factories import PASSWORD
from tests.signin import signed_in_recently

pytestmark = pytest.mark.django_db

MALFORMED = ["abc", str(10**30), "-1", "\x00", "a\x00b", "", "x" * 5000, "%", "İ"]
# What goes into a route's arguments: not an id, a huge number, a NUL, a long string.
MALFORMED_ARGUMENTS = ["abc", str(10**30), "a\x00b", "x" * 5000, "a-b", "a:b", "İ"]
# Names the portal's forms and views read besides those their pages show.
FIELD_NAMES = {
    "code", "username", "password", "login", "email", "access", "rights", "date_of_birth",
    "zip_code", "token", "mobile_phone", "question1", "answer1", "next",
}
ARGUMENT = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>|\(\?P<(?P<group>\w+)>[^)]*\)")
SKIPPED = ("staff/", "static/", "favicon.ico")
ANSWERS_START = "/account/recovery/security-questions/"
ANSWERS = "/account/recovery/security-questions/answers/"


def portal_routes() -> list[str]:
    """Every route of the URL configuration but the console's and the static files', as a
    pattern (``<uuid:code>``, or a regular expression's named groups)."""
    routes: list[str] = []

    def walk(patterns: list, prefix: str) -> None:
        for pattern in patterns:
            text = str(pattern.pattern)
            if isinstance(pattern.pattern, RegexPattern):
                text = text.removeprefix("^").removesuffix("$")
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + text)
            elif isinstance(pattern, URLPattern) and not (prefix + text).startswith(SKIPPED):
                routes.append(prefix + text)

    walk(get_resolver().url_patterns, "")
    return routes


ROUTES = portal_routes()


def test_the_routes_include_every_kind_of_page():
    for route in ("", "activity/", "account/login/", "account/settings/",
                  "account/representatives/<uuid:code>/rights/", "enroll/sign-up/<str:key>/",
                  "enroll/security-details/", "enroll/verify/", "healthz"):
        assert route in ROUTES
    assert any("(?P<uidb36>" in route for route in ROUTES)
    assert not any(route.startswith("staff/") for route in ROUTES)


def paths_of(route: str, codes: list[str]) -> list[str]:
    """The route's addresses: each argument malformed in turn (a random UUID, or one of
    ``codes``, for a UUID), the others ordinary; only those that reach the route's view."""
    arguments = list(ARGUMENT.finditer(route))
    if not arguments:
        return ["/" + route]

    def fill(which: int, bad: str) -> str:
        def one(match: re.Match) -> str:
            index = arguments.index(next(a for a in arguments if a.span() == match.span()))
            if match["kind"] == "uuid":
                return bad if index == which else str(uuid.uuid4())
            return quote(bad if index == which else "abc", safe="")
        return "/" + ARGUMENT.sub(one, route)

    paths = []
    for which, argument in enumerate(arguments):
        values = [str(uuid.uuid4()), *codes] if argument["kind"] == "uuid" else MALFORMED_ARGUMENTS
        for value in values:
            path = fill(which, value)
            try:
                resolve(path.split("?")[0])
            except Resolver404:
                continue
            paths.append(path)
    return paths


def test_a_route_is_filled_with_malformed_arguments():
    paths = paths_of("enroll/sign-up/<str:key>/", [])
    assert "/enroll/sign-up/a%00b/" in paths and f"/enroll/sign-up/{10**30}/" in paths
    assert len(paths_of("account/representatives/<uuid:code>/rights/", [str(uuid.uuid4())])) == 2
    reset = next(route for route in ROUTES if "(?P<uidb36>" in route)
    assert paths_of(reset, [])


# The world -------------------------------------------------------------------------------------


@dataclass
class World:
    clients: dict[str, Client]
    codes: list[str]  # the proxy access and invitation codes a route's UUID may name


def _enrolling(invitation_key: str, *, to: str) -> Client:
    """A browser that followed a "Sign Up" link, half-way to ``to``."""
    client = Client(raise_request_exception=False)
    assert client.get(f"/enroll/sign-up/{invitation_key}/").status_code == 302
    if to == "identify":
        return client
    response = client.post("/enroll/identify/",
                           {"zip_code": "02139", "date_of_birth": "06/15/1985"})
    assert response.url == "/enroll/security-details/", response.status_code
    if to == "security details":
        return client
    response = client.post("/enroll/security-details/", GOOD_DETAILS)
    assert response.url == "/enroll/verify/", response.status_code
    return client


def _build_world() -> World:
    practice = factories.make_practice("Harbor Family Practice")
    staff = factories.make_staff("staff-harbor", practice)
    chart = factories.make_chart(practice, "Alice", "Archer", zip_code="02139")
    alice = factories.make_user("alice-archer", email="alice@example.com")
    factories.add_code_method(alice, "alice@example.com")
    factories.grant(alice, chart)
    bob = factories.make_user("bob-baker")
    factories.grant(bob, factories.make_chart(practice, "Bob", "Baker"))
    access = factories.grant(bob, chart, Relationship.TRUSTED_REPRESENTATIVE)
    clients = {"anonymous": Client(raise_request_exception=False)}
    for kind, user in (("patient", alice), ("proxy", bob)):
        clients[kind] = signed_in_recently(Client(raise_request_exception=False), user)
    invited = invitation_issue_and_send(
        kind=InvitationKind.LINK, created_by=alice, patient=chart,
        relationship=Relationship.TRUSTED_REPRESENTATIVE, email="rita@example.com",
        first_name="Rita", last_name="Reed")
    for step in ("identify", "security details", "verify"):
        nora = factories.make_chart(practice, "Nora", "North", zip_code="02139",
                                    notification_email="nora@example.com")
        issued = invitation_issue_and_send(patient=nora, kind=InvitationKind.LINK,
                                           created_by=staff, email="nora@example.com")
        clients[f"enrolling at {step}"] = _enrolling(issued.secret, to=step)
    clients.update(_half_way_through_account_pages(practice))
    alice_mobile = signed_in_recently(Client(raise_request_exception=False), alice)
    response = alice_mobile.post("/account/settings/mobile/", {"mobile_phone": "(617) 555-0188"})
    assert response.url == "/account/settings/mobile/verify/", response.status_code
    clients["patient changing her mobile"] = alice_mobile
    return World(clients, [str(access.code), str(invited.invitation.code)])


def _half_way_through_account_pages(practice: Practice) -> dict[str, Client]:
    """Browsers at the sign-in code, at the security questions' answers and at Reset Password
    (after the right answers), for dana, who has security questions and a mobile number."""
    chart = factories.make_chart(practice, "Dana", "Dunn")
    dana = factories.make_user("dana-dunn")
    factories.grant(dana, chart)
    for question, answer in (("first_pet", "Biscuit"), ("first_school", "Lincoln Elementary")):
        SecurityAnswer.objects.create(user=dana, question=question,
                                      answer_hash=hash_answer(answer))
    OneTimeCodeDevice.objects.create(user=dana, name="sms", channel=Channel.SMS,
                                     destination="+16175550199", confirmed=True)
    at_code = Client(raise_request_exception=False)
    response = at_code.post("/account/login/", {"login": "dana-dunn", "password": PASSWORD})
    assert response.url == "/account/login/verify-code/", response.status_code
    at_answers = Client(raise_request_exception=False)
    response = at_answers.post(ANSWERS_START, {"username": "dana-dunn"})
    assert response.url == ANSWERS, response.status_code
    at_reset = Client(raise_request_exception=False)
    at_reset.post(ANSWERS_START, {"username": "dana-dunn"})
    response = at_reset.post(ANSWERS, {"answer1": "Biscuit", "answer2": "Lincoln Elementary"})
    assert response.url == "/account/recovery/reset-password/", response.status_code
    return {"signing in at the code": at_code, "recovering at the answers": at_answers,
            "recovering at reset password": at_reset}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    """Built once for the module, inside a transaction rolled back at its end (each test's own
    transaction nests inside it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    """A limit reached would hide the pages behind it. Every limit in force is lifted, allauth's
    defaults too (an empty ACCOUNT_RATE_LIMITS would leave those)."""
    settings.ACCOUNT_RATE_LIMITS = dict.fromkeys(account_settings.RATE_LIMITS, "")


class Requests:
    """Sends requests, each in a transaction that is rolled back with the client's cookies put
    back, and notes every 500."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.failures: list[str] = []

    def send(self, method: str, path: str, data: dict) -> int:
        cookies = copy.deepcopy(self.client.cookies)
        with transaction.atomic():
            response = getattr(self.client, method)(path, data)
            transaction.set_rollback(True)
        self.client.cookies = cookies
        if response.status_code >= 500:
            shown = {name: (value[:20] + "…" if len(value) > 20 else value)
                     for name, value in data.items()}
            self.failures.append(f"{response.status_code} {method.upper()} "
                                 f"{path[:80]!r} {shown!r}"[:400])
        return response.status_code

    def fields(self, path: str) -> set[str]:
        """The names of the fields the page shows on a GET."""
        cookies = copy.deepcopy(self.client.cookies)
        with transaction.atomic():
            page = self.client.get(path)
            transaction.set_rollback(True)
        self.client.cookies = cookies
        if page.status_code != 200 or "html" not in page.get("Content-Type", ""):
            return set()
        names = set(re.findall(r'<(?:input|select|textarea|button)\b[^>]*\bname="([^"]+)"',
                               page.content.decode()))
        return names - {"csrfmiddlewaretoken"}


# Who opens which pages: everyone every page, and those half-way through something the pages
# that read how far they got.
KINDS = {
    "anonymous": "", "patient": "", "proxy": "",
    "enrolling at identify": "enroll/", "enrolling at security details": "enroll/",
    "enrolling at verify": "enroll/",
    "signing in at the code": "account/login/",
    "recovering at the answers": "account/recovery/",
    "recovering at reset password": "account/recovery/",
    "patient changing her mobile": "account/settings/",
}


def routes_for(kind: str) -> list[str]:
    return [route for route in ROUTES if route.startswith(KINDS[kind])]


@pytest.mark.parametrize("kind", KINDS)
def test_no_page_is_a_500_on_malformed_input(world, kind):
    requests = Requests(world.clients[kind])
    for route in routes_for(kind):
        for path in paths_of(route, world.codes):
            names = FIELD_NAMES | requests.fields(path)
            for value in MALFORMED:
                requests.send("get", path, dict.fromkeys(names, value))
                requests.send("post", path, dict.fromkeys(names, value))
    assert not requests.failures, f"{len(requests.failures)} 500s:\n" + "\n".join(
        requests.failures)


@pytest.mark.parametrize(("kind", "path", "template"), [
    ("enrolling at identify", "/enroll/identify/", "enrollment/identify.html"),
    ("enrolling at security details", "/enroll/security-details/",
     "enrollment/security_details.html"),
    ("enrolling at verify", "/enroll/verify/", "enrollment/verify.html"),
    ("patient", "/account/settings/", None),
    ("proxy", "/", None),
    ("signing in at the code", "/account/login/verify-code/", None),
    ("recovering at the answers", ANSWERS, "accounts/recovery/security_questions.html"),
    ("recovering at reset password", "/account/recovery/reset-password/", None),
    ("patient changing her mobile", "/account/settings/mobile/verify/", None),
])
def test_the_fuzzed_visitors_reach_the_pages_with_their_forms(world, kind, path, template):
    requests = Requests(world.clients[kind])
    client = world.clients[kind]
    with transaction.atomic():
        response = client.get(path)
        transaction.set_rollback(True)
    assert response.status_code == 200, response.status_code
    if template:
        assert template in [t.name for t in response.templates]
    assert requests.fields(path) or template is None
