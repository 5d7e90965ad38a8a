"""Form pieces shared by enrollment (Create Security Details) and Account Settings."""

from __future__ import annotations

from typing import Any

from allauth.account.forms import ChangePasswordForm, ReauthenticateForm
from allauth.core import ratelimit
from django import forms
from django.conf import settings
from django.contrib.auth.forms import UsernameField
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from accounts.models import USERNAME_TAKEN, User
from accounts.password_policy import (
    MATCH_RULE,
    USERNAME_HELP_TEXT,
    USERNAME_MAX_LENGTH,
    username_validators,
)
from accounts.security_questions import QUESTIONS, normalise_answer

QUESTION_CHOICES = [("", _("Choose a question")), *QUESTIONS]


# Every question "is this username free?" counts here, per address and per browser session.
USERNAME_CHECK_RATE_LIMIT = "username_check"
TOO_MANY_USERNAME_CHECKS = _("Too many attempts at choosing a username. Please wait a while and "
                             "try again.")


class UsernameForm(forms.Form):
    """A username by the SPEC E7 rules, kept in its NFKC form (Django's UsernameField).
    ``account`` is the user it may already belong to (the one being edited or set up).

    Whether it is free is a separate, throttled question, ``username_available``, asked only
    once the whole form is valid: the form would otherwise tell anyone, for any username
    (staff ones included) and as fast as they can type, which ones have an account."""

    username = UsernameField(
        label=_("Username"), max_length=USERNAME_MAX_LENGTH, validators=username_validators,
        help_text=USERNAME_HELP_TEXT,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none",
                                      "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, account: User | None = None, **kwargs: Any) -> None:
        self.account = account
        super().__init__(*args, **kwargs)

    def username_available(self, request: HttpRequest) -> bool:
        """After ``is_valid()``: whether the username is free for ``account``, in any case or
        width. When it is not, or this address or session has asked too often (the
        "username_check" rate limit, far stricter than the sign-in page's), the form gets the
        error and the answer is False."""
        if not ratelimit.consume(request, action=USERNAME_CHECK_RATE_LIMIT,
                                 key=_session_key(request)):
            self.add_error("username", TOO_MANY_USERNAME_CHECKS)
            return False
        taken = User.objects.with_username(self.cleaned_data["username"])
        if self.account is not None:
            taken = taken.exclude(pk=self.account.pk)
        if taken.exists():
            self.add_error("username", USERNAME_TAKEN)
            return False
        return True


def _session_key(request: HttpRequest) -> str:
    """The browser session, the key of the per-session limit (made now if it is new)."""
    if request.session.session_key is None:
        request.session.save()
    return str(request.session.session_key)


QUESTION_ERRORS = {"required": _("Choose a question."),
                   "invalid_choice": _("Choose a question from the list.")}
ANSWER_ERRORS = {"required": _("Enter an answer.")}


class SecurityQuestionsForm(forms.Form):
    """Two different questions from the list, with two different answers (SPEC A6)."""

    question1 = forms.ChoiceField(label=_("Security question 1"), choices=QUESTION_CHOICES,
                                  error_messages=QUESTION_ERRORS)
    answer1 = forms.CharField(label=_("Answer 1"), max_length=100,
                              widget=forms.TextInput(attrs={"autocomplete": "off"}),
                              error_messages=ANSWER_ERRORS)
    question2 = forms.ChoiceField(label=_("Security question 2"), choices=QUESTION_CHOICES,
                                  error_messages=QUESTION_ERRORS)
    answer2 = forms.CharField(label=_("Answer 2"), max_length=100,
                              widget=forms.TextInput(attrs={"autocomplete": "off"}),
                              error_messages=ANSWER_ERRORS)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("question1") and data.get("question1") == data.get("question2"):
            self.add_error("question2", _("Choose two different questions."))
        if data.get("answer1") and data.get("answer2") and (
            normalise_answer(data["answer1"]) == normalise_answer(data["answer2"])
        ):
            self.add_error("answer2", _("Give a different answer to each question."))
        return data

    def questions(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        return [(data["question1"], data["answer1"]), (data["question2"], data["answer2"])]


class MobileForm(forms.Form):
    mobile_phone = PhoneNumberField(
        label=_("Mobile phone"), region="US",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"invalid": _("Enter a valid mobile number, like (617) 555-0123."),
                        "required": _("Enter your mobile number.")},
    )


class EmailChangeForm(forms.Form):
    email = forms.EmailField(
        label=_("New email address"), widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"required": _("Enter the new email address."),
                        "invalid": _("Enter an email address, like name@example.com.")},
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"), max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
        error_messages={"required": _("Enter the 6-digit code.")},
    )


class SignInCodeForm(CodeForm):
    trust = forms.BooleanField(label=_("Trust this browser for 30 days"), required=False,
                               help_text=_("Only on a device that you alone use."))


class PreferencesForm(forms.ModelForm[User]):
    """How to be told that something new is waiting. Texts need a verified mobile number: without
    one the choice is not offered (Account Settings offers to add a number instead)."""

    class Meta:
        model = User
        fields = ["notify_by_email", "notify_by_text"]
        labels = {
            "notify_by_email": _("Tell me by email when something new is waiting"),
            "notify_by_text": _("Tell me by text message when something new is waiting"),
        }

    def __init__(self, *args: Any, has_mobile: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not has_mobile:
            del self.fields["notify_by_text"]


class LanguageForm(forms.Form):
    """English or Español: the sign-in page's buttons and Account Settings' choice. The names
    stay in their own language (settings.LANGUAGES), so each can find theirs."""

    language = forms.ChoiceField(choices=settings.LANGUAGES, widget=forms.RadioSelect)


# allauth's password forms, in the portal's words ------------------------------------------------

_PASSWORD_REQUIRED = {
    "oldpassword": _("Enter your current password."),
    "password": _("Enter your password."),
    "password1": _("Enter a new password."),
    "password2": _("Type the new password again."),
}


class PortalPasswordWords(forms.Form):
    """Mixed into allauth's password forms: the portal's messages for an empty field and for two
    passwords that differ, and no list of rules under the new password (the live checklist
    beside it already shows them, from the same rules)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, message in _PASSWORD_REQUIRED.items():
            if name in self.fields:
                self.fields[name].error_messages["required"] = message
        if "password1" in self.fields:
            # Not printed (templates/includes/new_password_fields.html shows the live checklist
            # in its place), but kept so the input stays described by that checklist.
            self.fields["password1"].help_text = _("The password's rules are listed below.")

    def clean(self) -> dict[str, Any] | None:
        # Read before allauth's check, which drops password2 when the two differ.
        first, second = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        data = super().clean()
        if first and second and first != second:
            self.errors.pop("password2", None)  # allauth's "You must type the same password…"
            self.add_error("password2", MATCH_RULE.error)
        return data


class PasswordChangeForm(PortalPasswordWords, ChangePasswordForm):
    """Change password (Account Settings): allauth's form, set in ACCOUNT_FORMS."""


class PasswordConfirmForm(PortalPasswordWords, ReauthenticateForm):
    """"Confirm it's you": allauth's reauthentication form, set in ACCOUNT_FORMS."""
