"""The django-allauth internals the portal relies on, in one place (DESIGN.md, Dependencies).

allauth keeps ``allauth.*.internal`` private: it changes between minor releases without a
deprecation (65.22 changed which of the records written by ``record_authentication`` count).
The one-time code step of sign-in (``accounts/login_code.py``, ``accounts/login_code_views.py``)
is our own login stage with its own page, and allauth has no public API for a stage's page, so
it needs the few functions below; and sending codes needs allauth's rate limits counted on GET
requests too, which the public ``allauth.core.ratelimit.consume`` does not do
(``rate_limit_consume``). Every other module imports them from here (a test checks),
and ``tests/accounts/test_allauth_internals.py`` pins down what each must do, so an upgrade that
changes one fails there, by name.

The account adapter also overrides one private method of allauth's DefaultAccountAdapter,
through ``LoginFailedKey`` below: the key of the failed sign-in limit. allauth builds it from
the site's domain, which without django.contrib.sites is the request's Host header, so every
Host header got a fresh lockout; no public hook sets it.

Not needed: ``allauth.core.internal.httpkit.headed_redirect_response``, which allauth's own
stages use to cope with headless-only mode; the portal is not headless, so a plain redirect does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal import decorators as _decorators
from allauth.account.internal import stagekit as _stagekit
from allauth.account.internal.flows import login as _login_flows
from allauth.core.internal import ratelimit as _ratelimit
from django.http import HttpRequest

if TYPE_CHECKING:
    from allauth.account.models import Login
    from allauth.account.stages import LoginStage
    from django.contrib.auth.base_user import AbstractBaseUser

View = Callable[..., Any]


def login_stage_required(*, stage: str, redirect_urlname: str) -> Callable[[View], View]:
    """Decorates the page of a login stage (the code page). The view runs only while a sign-in
    that has reached ``stage`` is pending in the session; otherwise it redirects to
    ``redirect_urlname`` (someone already signed in goes to the after-sign-in page). The page is
    never cached. The view reads the stage with ``login_stage(request)``."""
    decorator: Callable[[Callable[..., Any]], Callable[..., Any]] = (
        _decorators.login_stage_required(stage=stage, redirect_urlname=redirect_urlname))
    return decorator


def login_stage(request: HttpRequest) -> LoginStage:
    """The pending stage that ``login_stage_required`` found for this request: its ``login``
    (the user signing in), its ``state`` (ours to keep data in), ``controller`` and ``exit()``."""
    return request._login_stage  # type: ignore[attr-defined]


def stash_login(request: HttpRequest, login: Login) -> None:
    """Saves the pending sign-in, with each stage's ``state``, in the session. allauth saves it
    only when a stage's ``handle()`` returns; the code page changes the state on later requests
    (the chosen method, the codes sent), and without this the next request would not see it."""
    _stagekit.stash_login(request, login)


def record_authentication(
    request: HttpRequest, user: AbstractBaseUser, *, method: str, reauthenticated: bool = False
) -> None:
    """Adds an entry to the session's authentication records, which allauth reads to decide
    whether the person authenticated recently (``reauthentication_required``). With
    ``reauthenticated=True`` and a ``method`` listed in ACCOUNT_REAUTHENTICATION_METHODS, the
    passed code step counts as recent for ACCOUNT_REAUTHENTICATION_TIMEOUT seconds, so Account
    Settings does not ask for the password right after sign-in."""
    _login_flows.record_authentication(request, user, method=method,
                                       reauthenticated=reauthenticated)


def rate_limit_consume(
    request: HttpRequest, *, action: str, key: str | None = None, user: Any = None,
    dry_run: bool = False,
) -> bool:
    """allauth's rate limit ``action`` (ACCOUNT_RATE_LIMITS), counted for GET requests too.

    The public ``allauth.core.ratelimit.consume`` lets every GET through uncounted; the code
    page sends a sign-in code on its first GET, and every code sent must count
    (``accounts.services.code_send``). Whether this request may go ahead; unless ``dry_run``,
    it is counted."""
    usage = _ratelimit.consume(request, app="allauth.account", action=action, key=key,
                               user=user, dry_run=dry_run, limit_get=True)
    return usage is not None


class LoginFailedKey(DefaultAccountAdapter):
    """The failed sign-in limit ("login_failed", its "/key" rates), keyed by the adapter's
    ``login_failed_key(login)`` instead of allauth's "<site domain>:<login, lower-cased>".

    allauth's ``pre_authenticate`` (every password check through ``adapter.authenticate``)
    counts an attempt under ``_get_login_attempts_cache_key`` before checking, and gives it
    back when the password is right; a password reset clears the key of each of the account's
    email addresses the same way."""

    def login_failed_key(self, login: str) -> str:
        raise NotImplementedError

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        login = credentials.get("username") or credentials.get("email") or ""
        return self.login_failed_key(str(login))

    def login_failed_give_back(self) -> None:
        """Gives back the attempt the last ``pre_authenticate`` counted, as allauth does itself
        for a right password; for a check of something else than the account's password that
        must be counted under the same limit (the printed temporary credentials)."""
        self._rollback_login_failed_rl_usage()


def login_pending_drop(request: HttpRequest) -> None:
    """Forget the sign-in waiting at a stage (the one-time code page), so that "Start again"
    really starts again: allauth otherwise sends the sign-in page back to the pending stage."""
    _stagekit.pop_login(request)
