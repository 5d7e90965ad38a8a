"""Form pieces shared by enrollment (Create Security Details) and Account Settings."""

from __future__ import annotations

from typing import Any

from allauth.core import ratelimit
from django import forms
from django.contrib.auth.forms import UsernameField
from django.http import HttpRequest
from phonenumber_field.formfields import PhoneNumberField

from accounts.models import USERNAME_TAKEN, User
from accounts.password_policy import USERNAME_HELP_TEXT, USERNAME_MAX_LENGTH, username_validators
from accounts.security_questions import QUESTIONS, normalise_answer

QUESTION_CHOICES = [("", "Choose a question"), *QUESTIONS]


# Every question "is this username free?" counts here, per address and per browser session.
USERNAME_CHECK_RATE_LIMIT = "username_check"
TOO_MANY_USERNAME_CHECKS = ("Too many attempts at choosing a username. Please wait a while and "
                            "try again.")


class UsernameForm(forms.Form):
    """A username by the SPEC E7 rules, kept in its NFKC form (Django's UsernameField).
    ``account`` is the user it may already belong to (the one being edited or set up).

    Whether it is free is a separate, throttled question, ``username_available``, asked only
    once the whole form is valid: the form would otherwise tell anyone, for any username
    (staff ones included) and as fast as they can type, which ones have an account."""

    username = UsernameField(
        max_length=USERNAME_MAX_LENGTH, validators=username_validators,
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


class SecurityQuestionsForm(forms.Form):
    """Two different questions from the list, with two different answers (SPEC A6)."""

    question1 = forms.ChoiceField(label="Security question 1", choices=QUESTION_CHOICES)
    answer1 = forms.CharField(label="Answer 1", max_length=100,
                              widget=forms.TextInput(attrs={"autocomplete": "off"}))
    question2 = forms.ChoiceField(label="Security question 2", choices=QUESTION_CHOICES)
    answer2 = forms.CharField(label="Answer 2", max_length=100,
                              widget=forms.TextInput(attrs={"autocomplete": "off"}))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("question1") and data.get("question1") == data.get("question2"):
            self.add_error("question2", "Choose two different questions.")
        if data.get("answer1") and data.get("answer2") and (
            normalise_answer(data["answer1"]) == normalise_answer(data["answer2"])
        ):
            self.add_error("answer2", "Give a different answer to each question.")
        return data

    def questions(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        return [(data["question1"], data["answer1"]), (data["question2"], data["answer2"])]


class MobileForm(forms.Form):
    mobile_phone = PhoneNumberField(
        label="Mobile phone", region="US",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"invalid": "Enter a valid mobile number, like (617) 555-0123.",
                        "required": "Enter your mobile number."},
    )


class EmailChangeForm(forms.Form):
    email = forms.EmailField(label="New email address",
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Verification code", max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
        error_messages={"required": "Enter the 6-digit code."},
    )


class SignInCodeForm(CodeForm):
    trust = forms.BooleanField(label="Trust this browser for 30 days", required=False,
                               help_text="Only on a device that you alone use.")


class PreferencesForm(forms.ModelForm[User]):
    class Meta:
        model = User
        fields = ["notify_by_email", "notify_by_text"]
