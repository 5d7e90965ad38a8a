"""Account Settings pages (SPEC A4). Changes that matter for security ask for the password
again when the last sign-in is more than a few minutes old (allauth's reauthentication)."""

from __future__ import annotations

import segno
from allauth.account.decorators import reauthentication_required
from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts import account_settings as service
from accounts.account_forms import (
    CodeForm,
    EmailChangeForm,
    LanguageForm,
    MobileForm,
    PreferencesForm,
    SecurityQuestionsForm,
    UsernameForm,
)
from accounts.authenticator_setup import PendingAuthenticator
from accounts.code_check import CodePurpose, code_check, code_resend
from accounts.devices import OneTimeCodeDevice
from accounts.http import AuthenticatedHttpRequest
from accounts.languages import page_language
from accounts.login_code import methods_for
from accounts.security_questions import QUESTION_TEXT


@login_required
def account_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    mobile = service.confirmed_mobile(user)
    return render(request, "accounts/settings/index.html", {
        "methods": methods_for(user),
        "mobile": mobile,
        "pending_email": EmailAddress.objects.filter(user=user, verified=False).first(),
        "questions": [QUESTION_TEXT.get(a.question, "") for a in user.security_answers.all()],
        "preferences_form": PreferencesForm(instance=user, has_mobile=mobile is not None),
        "language_form": LanguageForm(initial={"language": user.language or page_language()}),
    })


@login_required
@reauthentication_required(allow_get=True)
@require_http_methods(["GET", "POST"])
def change_username(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = UsernameForm(request.POST or None, account=request.user,
                        initial={"username": request.user.username})
    if request.method == "POST" and form.is_valid() and form.username_available(request):
        service.username_change(user=request.user, username=form.cleaned_data["username"],
                                request=request)
        messages.success(request, gettext("Your username was changed."))
        return redirect("account_settings")
    return render(request, "accounts/settings/form.html", {
        "form": form, "title": gettext("Change username"),
        "button": gettext("Save username")})


@login_required
@reauthentication_required(allow_get=True)
@require_http_methods(["GET", "POST"])
def change_email(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = EmailChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        service.email_change_request(user=request.user, email=form.cleaned_data["email"],
                                     request=request)
        messages.success(request, gettext("We sent a confirmation link to the new address. "
                                          "The change takes effect once you follow it."))
        return redirect("account_settings")
    return render(request, "accounts/settings/form.html", {
        "form": form, "title": gettext("Change email address"),
        "button": gettext("Send confirmation link")})


@login_required
@reauthentication_required(allow_get=True)
@require_http_methods(["GET", "POST"])
def change_mobile(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = MobileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device, sent = service.mobile_start(user=request.user, request=request,
                                            number=form.cleaned_data["mobile_phone"].as_e164)
        if sent.refusal:
            messages.warning(request, sent.refusal)
        request.session["settings_mobile_device"] = device.pk
        return redirect("account_settings_mobile_verify")
    return render(request, "accounts/settings/form.html", {
        "form": form, "title": gettext("Mobile phone"), "button": gettext("Send a code by text"),
        "intro": gettext("We send a code by text to check the number before it is used.")})


@login_required
@require_http_methods(["GET", "POST"])
def verify_mobile(request: AuthenticatedHttpRequest) -> HttpResponse:
    device = OneTimeCodeDevice.objects.filter(
        pk=request.session.get("settings_mobile_device"), user=request.user, confirmed=False,
    ).first()
    if device is None:
        raise Http404
    form = CodeForm(request.POST or None)
    if request.method == "POST" and "resend" in request.POST:
        code_resend(request=request, device=device)
        return redirect("account_settings_mobile_verify")
    if request.method == "POST" and form.is_valid() and code_check(
        request=request, device=device, user=request.user, form=form,
        purpose=CodePurpose.MOBILE_VERIFICATION,
    ):
        service.mobile_confirm(device=device, request=request)
        del request.session["settings_mobile_device"]
        messages.success(request, gettext("Your mobile number is verified."))
        return redirect("account_settings")
    return render(request, "accounts/settings/verify_mobile.html", {"form": form,
                                                                   "device": device})


@login_required
@reauthentication_required(allow_get=True)
@require_http_methods(["GET", "POST"])
def authenticator_app(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Set up an authenticator app: a QR code drawn on the server, then one code from the app.
    Nothing is stored until that code is right (accounts.authenticator_setup)."""
    pending = PendingAuthenticator(request, request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and code_check(
        request=request, device=pending, user=request.user, form=form,
        purpose=CodePurpose.AUTHENTICATOR_SETUP,
    ):
        service.totp_add(pending=pending, request=request)
        messages.success(request, gettext("Your authenticator app is set up."))
        return redirect("account_settings")
    qr = segno.make(pending.config_url, error="m")
    svg = qr.svg_inline(scale=5, title=gettext("QR code for your authenticator app"),
                        dark="#000")
    return render(request, "accounts/settings/authenticator.html", {
        "form": form, "qr_svg": mark_safe(svg),  # noqa: S308 - generated by segno, no user input
        "secret": pending.config_url.split("secret=")[1].split("&")[0],
    })


@login_required
@reauthentication_required
@require_POST
def remove_method(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        service.method_remove(user=request.user, key=request.POST.get("method", ""),
                              request=request)
        messages.success(request, gettext("That way of receiving codes was removed."))
    except service.LastMethodError:
        messages.error(request, gettext("You need at least one way to receive sign-in codes. "
                                        "Add another one before removing this one."))
    return redirect("account_settings")


@login_required
@reauthentication_required(allow_get=True)
@require_http_methods(["GET", "POST"])
def change_security_questions(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = SecurityQuestionsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        service.security_questions_change(user=request.user, questions=form.questions(),
                                          request=request)
        messages.success(request, gettext("Your security questions were saved."))
        return redirect("account_settings")
    return render(request, "accounts/settings/form.html", {
        "form": form, "title": gettext("Security questions"),
        "button": gettext("Save questions"),
        "intro": gettext("Answers are not case sensitive. They are stored scrambled: nobody, "
                         "not even the practice, can read them.")})


@login_required
@require_POST
def notification_preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    has_mobile = service.confirmed_mobile(request.user) is not None
    form = PreferencesForm(request.POST, instance=request.user, has_mobile=has_mobile)
    if form.is_valid():
        service.notification_preferences_save(
            user=request.user, by_email=form.cleaned_data["notify_by_email"],
            by_text=form.cleaned_data.get("notify_by_text", False), request=request)
        messages.success(request, gettext("Your notification preferences were saved."))
    return redirect("account_settings")
