"""What the portal relies on in each allauth internal it uses, all wrapped in
accounts/allauth_internals.py: one test per internal (its signature and its effect), so an
allauth upgrade that changes one fails here, by name, rather than somewhere in sign-in."""

from __future__ import annotations

import ast
import datetime
import re
from pathlib import Path

import pytest
import time_machine
from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.test import Client, RequestFactory
from django.urls import include, path
from django.utils import timezone

from accounts import allauth_internals as internals
from accounts.login_code import REAUTHENTICATION_METHOD, STAGE_KEY
from tests.signin import sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

ROOT = Path(__file__).resolve().parents[2]
CODE_PAGE = "/account/login/verify-code/"


# Views that use each internal the way the code page does ------------------------------------------


@internals.login_stage_required(stage=STAGE_KEY, redirect_urlname="account_login")
def stage_page(request):
    stage = internals.login_stage(request)
    if request.method == "POST":
        stage.state["note"] = request.POST["note"]
        internals.stash_login(request, stage.login)
    return JsonResponse({"stage": stage.key, "user": stage.login.user.username,
                         "note": stage.state.get("note")})


@internals.login_stage_required(stage="not-the-current-stage", redirect_urlname="account_login")
def other_stage_page(request):
    return HttpResponse("should not run")


@login_required
def record(request):
    internals.record_authentication(request, request.user, method=request.POST["method"],
                                    reauthenticated=True)
    return HttpResponse("recorded")


@login_required
@reauthentication_required
def protected(request):
    return HttpResponse("done")


def limited(request):
    allowed = internals.rate_limit_consume(request, action="test_action", key="a@example.com",
                                           dry_run="dry" in request.GET)
    return HttpResponse("allowed" if allowed else "limited")


urlpatterns = [
    path("test/limited/", limited),
    path("test/stage/", stage_page),
    path("test/other-stage/", other_stage_page),
    path("test/record/", record),
    path("test/protected/", protected),
    path("", include("portal.urls")),
]


@pytest.fixture
def pending(client, alice):
    """A client whose sign-in has passed the password and waits at the code stage."""
    assert sign_in(client, "alice-archer").url == CODE_PAGE
    return client


# One test per internal ----------------------------------------------------------------------------


def test_login_stage_required_runs_the_view_only_at_its_stage(pending, alice):
    response = pending.get("/test/stage/")
    assert response.json() == {"stage": STAGE_KEY, "user": "alice-archer", "note": None}
    assert "no-store" in response["Cache-Control"]
    # Another stage's page, no pending sign-in, or already signed in: redirected.
    assert pending.get("/test/other-stage/").url == "/account/login/"
    assert Client().get("/test/stage/").url == "/account/login/"
    signed_in = Client()
    signed_in.force_login(alice.user)
    assert signed_in.get("/test/stage/").url == "/"


def test_stash_login_keeps_the_stage_state_for_the_next_request(pending):
    pending.post("/test/stage/", {"note": "code sent by email"})
    assert pending.get("/test/stage/").json()["note"] == "code sent by email"
    # The pending sign-in is intact: the real code page still serves it.
    assert pending.get(CODE_PAGE).status_code == 200


def test_record_authentication_counts_as_recent_for_the_reauthentication_window(client, alice):
    client.force_login(alice.user)
    assert client.get("/test/protected/").url.startswith("/account/reauthenticate/")
    # A method allauth was not told to count (ACCOUNT_REAUTHENTICATION_METHODS) does nothing.
    client.post("/test/record/", {"method": "not-listed"})
    assert client.get("/test/protected/").url.startswith("/account/reauthenticate/")
    assert REAUTHENTICATION_METHOD in settings.ACCOUNT_REAUTHENTICATION_METHODS
    client.post("/test/record/", {"method": REAUTHENTICATION_METHOD})
    assert client.get("/test/protected/").content == b"done"
    window = settings.ACCOUNT_REAUTHENTICATION_TIMEOUT
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=window + 1)):
        assert client.get("/test/protected/").url.startswith("/account/reauthenticate/")


def test_rate_limit_consume_counts_get_requests_per_key(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "test_action": "2/h/key"}
    assert client.get("/test/limited/?dry").content == b"allowed"  # a dry run counts nothing
    assert [client.get("/test/limited/").content for _ in range(3)] == [
        b"allowed", b"allowed", b"limited"]
    assert client.post("/test/limited/").content == b"limited"
    assert client.get("/test/limited/?dry").content == b"limited"


def test_login_failed_key_keys_allauths_failed_sign_in_limit(rf, settings):
    """LoginFailedKey overrides DefaultAccountAdapter._get_login_attempts_cache_key: allauth's
    pre_authenticate counts under it (whatever the Host header), and login_failed_give_back
    returns the attempt it counted."""
    from allauth.account.adapter import get_adapter
    from django.core.exceptions import ValidationError

    settings.ALLOWED_HOSTS = ["*"]
    adapter = get_adapter()
    assert isinstance(adapter, internals.LoginFailedKey)
    assert adapter._get_login_attempts_cache_key(rf.post("/"), username=" Some-One ") == (
        adapter.login_failed_key("some-one"))

    def attempt(n: int) -> None:
        adapter.pre_authenticate(rf.post("/", HTTP_HOST=f"host-{n}.example"),
                                 username="Some-One", password="x")

    attempt(0)
    adapter.login_failed_give_back()  # not counted
    for n in range(1, 6):
        attempt(n)
    with pytest.raises(ValidationError):
        attempt(6)


# Nothing else reaches into allauth's internals ----------------------------------------------------

INTERNAL = re.compile(r"allauth(\.\w+)*\.internal(\.\w+)*")
SKIP_DIRS = {".git", ".venv", "venv", "node_modules", "staticfiles", "build", "dist"}


def _python_files():
    for file in ROOT.rglob("*.py"):
        parts = file.relative_to(ROOT).parts
        if not any(part in SKIP_DIRS or part.startswith(".") for part in parts[:-1]):
            yield file


def _internal_references(tree: ast.AST):
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names = [node.value]  # a dotted path in a setting or import_module()
        for name in names:
            if INTERNAL.fullmatch(name):
                yield node.lineno, name


def test_no_other_module_imports_allauth_internals():
    wrapper = ROOT / "accounts" / "allauth_internals.py"
    files = list(_python_files())
    assert wrapper in files and len(files) > 50
    found = [
        f"{file.relative_to(ROOT)}:{line}: {name}"
        for file in files if file != wrapper
        for line, name in _internal_references(ast.parse(file.read_text(), str(file)))
    ]
    assert found == [], "import allauth internals through accounts/allauth_internals.py"
    assert list(_internal_references(ast.parse(wrapper.read_text())))  # the walk finds them


def test_login_pending_drop_forgets_the_sign_in_waiting_at_a_stage(client, alice):
    """login_pending_drop wraps stagekit.pop_login: after it, the code page has no sign-in to
    continue and the sign-in page no longer sends people back to it."""
    from tests.factories import PASSWORD

    response = client.post("/account/login/", {"login": "alice-archer", "password": PASSWORD})
    assert response.url == "/account/login/verify-code/"
    request = RequestFactory().post("/")
    request.session = client.session
    internals.login_pending_drop(request)
    request.session.save()
    assert client.get("/account/login/verify-code/").url == "/account/login/"
    assert client.get("/account/login/").status_code == 200
