"""Choosing the language: the buttons of the sign-in page and the form in Account Settings."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from accounts.account_forms import LanguageForm
from accounts.languages import language_cookie_set, language_save


@require_POST
def choose_language(request: HttpRequest) -> HttpResponse:
    """Remember the language in this browser (a cookie, as Django's ``set_language`` does) and,
    for a signed-in person, on the account. Then back to the page it was chosen on."""
    signed_in = request.user.is_authenticated
    back = request.POST.get("next", "")
    if not (back.startswith("/") and url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure())):
        back = reverse("account_settings" if signed_in else "account_login")
    response = HttpResponseRedirect(back)
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return response
    language = form.cleaned_data["language"]
    language_cookie_set(response, language)
    if request.user.is_authenticated:
        language_save(user=request.user, language=language, request=request)
        with translation.override(language):
            # Translators: said in the language just chosen, so each catalog names its own.
            messages.success(request, gettext("Your language was saved. Pages, emails and "
                                              "texts are now in English."))
    return response
