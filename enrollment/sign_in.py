"""The sign-in form (allauth's), set in ACCOUNT_FORMS. It lives with enrollment because the one
thing it adds is an enrollment path: the temporary credentials staff printed (SPEC E2)."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import get_adapter
from allauth.account.forms import LoginForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from enrollment.progress import start_enrollment
from enrollment.services import invitation_by_temporary_credentials


class PortalLoginForm(LoginForm):
    """allauth's sign-in, which also accepts the temporary username and password that staff
    printed (SPEC E2): those lead straight to "choose your own username and password"."""

    temporary_invitation: Any = None

    def clean(self) -> dict[str, Any]:
        login, password = self.data.get("login", ""), self.data.get("password", "")
        if login.strip().lower().startswith("temp-") and password:
            # Under the sign-in limits like a password (per account, per address), counted
            # before the check: after five failures the right one waits too.
            adapter = get_adapter(self.request)
            adapter.pre_authenticate(self.request, username=login.strip())
            self.temporary_invitation = invitation_by_temporary_credentials(login, password)
            # Given back either way: a right one is no failure, and a wrong one is counted
            # (and audited) again below as the ordinary failed sign-in it is.
            adapter.login_failed_give_back()
            if self.temporary_invitation is not None:
                return self.cleaned_data
        # Anything else, wrong temporary credentials included, is an ordinary (counted) failure.
        return super().clean()

    def login(self, request: HttpRequest, redirect_url: str | None = None) -> HttpResponse:
        if self.temporary_invitation is not None:
            start_enrollment(request, self.temporary_invitation, identified=True)
            return redirect("enrollment:security_details")
        return super().login(request, redirect_url)
