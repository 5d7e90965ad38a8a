"""Account recovery pages (SPEC A2, A3b, A3c). "Forgot password?" by email link is allauth's own
view, with the forms of accounts.recovery_forms and the templates under templates/account/.

Proving who you are (right security answers, or a staff token) is remembered in the session for
a few minutes, for the Reset Password page only.
"""

from __future__ import annotations

import time

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.models import User
from accounts.password_policy import username_canonical
from accounts.rate_limits import rate_limit_consume
from accounts.recovery_forms import (
    ForgotUsernameForm,
    NewPasswordForm,
    RecoveryUsernameForm,
    ResetTokenForm,
    SecurityAnswersForm,
)
from accounts.recovery_questions import security_answers_check, security_questions_get
from accounts.recovery_reset import (
    ResetMethod,
    ResetNoLongerPossible,
    password_reset_complete,
    recovery_sign_in,
)
from accounts.recovery_token import reset_token_accept
from accounts.recovery_username import username_reminder_request

SESSION_KEY = "recovery"
PROOF_SECONDS = 15 * 60
TOO_MANY = _("Too many attempts. Please wait a while and try again.")
WRONG_ANSWERS = _("One or both answers do not match. Check them and try again.")
NOT_ACCEPTED = _("That username and password reset token don't go together, or the token has "
                 "expired or been used. Check them, or contact your practice for a new token.")


def _proven(request: HttpRequest, user: User, method: ResetMethod,
            token_id: int | None = None) -> HttpResponse:
    request.session[SESSION_KEY] = {"user": user.pk, "method": method.value, "token": token_id,
                                    "until": time.time() + PROOF_SECONDS}
    return redirect("recovery:reset_password")


def _proof(request: HttpRequest) -> tuple[User, ResetMethod, int | None] | None:
    state = request.session.get(SESSION_KEY, {})
    if "user" not in state or state["until"] < time.time():
        return None
    user = User.objects.filter(pk=state["user"], is_active=True).first()
    return (user, ResetMethod(state["method"]), state["token"]) if user is not None else None


@require_safe
def recovery_start(request: HttpRequest) -> HttpResponse:
    """"Forgot username or password?": the three ways, one plain sentence each."""
    return render(request, "accounts/recovery/start.html")


@require_http_methods(["GET", "POST"])
def forgot_username(request: HttpRequest) -> HttpResponse:
    """Forgot username? (SPEC A2). Whatever was typed, the next page is the same."""
    form = ForgotUsernameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if not rate_limit_consume(request, action="username_reminder", key=email.lower()):
            form.add_error(None, TOO_MANY)
        else:
            username_reminder_request(request=request, **form.cleaned_data)
            return redirect("recovery:username_sent")
    return render(request, "accounts/recovery/forgot_username.html", {"form": form})


def username_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/recovery/username_sent.html")


@require_http_methods(["GET", "POST"])
def security_questions_start(request: HttpRequest) -> HttpResponse:
    """Forgot password? without an email (SPEC A3b): the username first. Any username leads on to
    two questions, so the page says nothing about which usernames exist."""
    form = RecoveryUsernameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        request.session[SESSION_KEY] = {"username": form.cleaned_data["username"]}
        return redirect("recovery:security_questions")
    return render(request, "accounts/recovery/security_questions_start.html", {"form": form})


@require_http_methods(["GET", "POST"])
def security_questions(request: HttpRequest) -> HttpResponse:
    username = request.session.get(SESSION_KEY, {}).get("username")
    if not username:
        return redirect("recovery:security_questions_start")
    form = SecurityAnswersForm(request.POST or None,
                               questions=security_questions_get(username=username))
    if request.method == "POST" and form.is_valid():
        if not rate_limit_consume(request, action="recovery_answers"):
            form.add_error(None, TOO_MANY)
        else:
            outcome = security_answers_check(username=username, answers=form.answers(),
                                             request=request)
            if outcome.locked:
                request.session.pop(SESSION_KEY, None)
                return render(request, "accounts/recovery/locked.html")
            if outcome.user is not None:
                return _proven(request, outcome.user, ResetMethod.SECURITY_QUESTIONS)
            # One message for both questions: saying which answer was wrong (or how many
            # tries each has left) would tell a guesser which one they already have right.
            form.add_error(None, WRONG_ANSWERS)
    return render(request, "accounts/recovery/security_questions.html", {"form": form})


@require_http_methods(["GET", "POST"])
def reset_token(request: HttpRequest) -> HttpResponse:
    """I have my password reset token (SPEC A3c): username + the token staff issued."""
    form = ResetTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        if not rate_limit_consume(request, action="reset_token",
                                  key=username_canonical(username.strip())):
            form.add_error(None, TOO_MANY)
        elif token := reset_token_accept(username=username, token=form.cleaned_data["token"],
                                         request=request):
            return _proven(request, token.user, ResetMethod.STAFF_TOKEN, token.pk)
        else:
            form.add_error(None, NOT_ACCEPTED)
    return render(request, "accounts/recovery/reset_token.html", {"form": form})


@require_http_methods(["GET", "POST"])
def reset_password(request: HttpRequest) -> HttpResponse:
    """Reset Password: the new password twice, then the sign-in code, then the home page."""
    proof = _proof(request)
    if proof is None:
        messages.info(request, gettext("That page has expired. Please start again."))
        return redirect("account_reset_password")
    user, method, token_id = proof
    form = NewPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        request.session.pop(SESSION_KEY, None)
        try:
            user = password_reset_complete(user=user, password=form.cleaned_data["new_password1"],
                                           method=method, request=request, token_id=token_id)
        except ResetNoLongerPossible:
            messages.error(request, NOT_ACCEPTED)
            return redirect("recovery:reset_token")
        messages.success(request, gettext("Your password has been changed."))
        return recovery_sign_in(request=request, user=user)
    return render(request, "accounts/recovery/reset_password.html", {"form": form})
