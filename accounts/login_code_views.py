from __future__ import annotations

from allauth.account.stages import LoginStage
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.account_forms import SignInCodeForm
from accounts.allauth_internals import (
    login_pending_drop,
    login_stage,
    login_stage_required,
    record_authentication,
    stash_login,
)
from accounts.code_check import CodePurpose, code_check
from accounts.login_code import (
    ATTEMPT_SESSION_KEY,
    REAUTHENTICATION_METHOD,
    STAGE_KEY,
    Method,
    code_always_required,
    methods_for,
    trust_browser,
)
from accounts.services import CodeSent, code_send


def _chosen(stage: LoginStage, methods: list[Method]) -> Method | None:
    wanted = stage.state.get("method")
    return next((m for m in methods if m.key == wanted), None)


@require_http_methods(["GET", "POST"])
@login_stage_required(stage=STAGE_KEY, redirect_urlname="account_login")
def verify_code(request: HttpRequest) -> HttpResponse:
    """Verify it's you: choose where the code goes (or use the authenticator app), type it."""
    stage = login_stage(request)
    user = stage.login.user
    methods = methods_for(user)
    if not methods:
        return render(request, "account/no_code_method.html", status=403)
    if len(methods) == 1 and "method" not in stage.state:
        _choose(request, stage, methods[0])
    if request.method == "POST" and "method" in request.POST:
        method = next((m for m in methods if m.key == request.POST["method"]), None)
        if method is not None:
            _choose(request, stage, method, resend=True)
        return redirect("account_verify_code")
    method = _chosen(stage, methods)
    form = SignInCodeForm(request.POST or None)
    if request.method == "POST" and method is not None and form.is_valid():
        response = _check(request, stage, method, form)
        if response is not None:
            return response
    return render(request, "account/verify_code.html", {
        "form": form, "methods": methods, "method": method,
        "sent": stage.state.get("sent", {}).get(method.key) if method else None,
        "resumed": stage.state.get("attempt_resumed", False),
        "can_trust": not code_always_required(user),
    })


def _choose(
    request: HttpRequest, stage: LoginStage, method: Method, resend: bool = False
) -> None:
    stage.state["method"] = method.key
    stage.controller.set_current(STAGE_KEY)
    stash_login(request, stage.login)
    if method.sends_code and (resend or not stage.state.get("sent", {}).get(method.key)):
        sent = code_send(device=method.device, request=request, bind=stage.state["attempt"])
        # What the page says: a code sent now, or the one sent moments ago (same attempt).
        stage.state.setdefault("sent", {})[method.key] = sent.value
        stash_login(request, stage.login)
        if sent.refusal and (resend or sent is CodeSent.TOO_MANY):
            messages.warning(request, sent.refusal)


def _check(
    request: HttpRequest, stage: LoginStage, method: Method, form: SignInCodeForm
) -> HttpResponse | None:
    if not code_check(request=request, device=method.device, user=stage.login.user, form=form,
                      purpose=CodePurpose.SIGN_IN,
                      bind=stage.state["attempt"] if method.sends_code else None):
        return None
    request.session.pop(ATTEMPT_SESSION_KEY, None)  # the next sign-in is a new attempt
    # A sign-in this complete counts as a fresh confirmation: Account Settings asks for the
    # password again only once it is a few minutes old (allauth's reauthentication window).
    record_authentication(request, stage.login.user, method=REAUTHENTICATION_METHOD,
                          reauthenticated=True)
    response: HttpResponse = stage.exit()
    if form.cleaned_data.get("trust") and not code_always_required(stage.login.user):
        trust_browser(response, stage.login.user, secure=not settings.DEBUG
                      and settings.SESSION_COOKIE_SECURE)
    return response


@require_POST
def start_again(request: HttpRequest) -> HttpResponse:
    """"Start again" on the code page: the waiting sign-in is dropped, the sign-in page shows."""
    login_pending_drop(request)
    return redirect("account_login")
