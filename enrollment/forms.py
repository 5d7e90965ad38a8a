from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from phonenumber_field.formfields import PhoneNumberField

from accounts.models import User
from accounts.security_questions import QUESTIONS
from accounts.validators import USERNAME_MAX_LENGTH, username_validators
from enrollment.services import SecurityDetails
from portal.models import Channel

DATE_INPUT_FORMATS = ["%m/%d/%Y", "%Y-%m-%d", "%m-%d-%Y", "%m/%d/%y"]


class DateOfBirthField(forms.DateField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "Date of birth")
        kwargs.setdefault("help_text", "mm/dd/yyyy")
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        kwargs.setdefault("error_messages", {
            "invalid": "Enter the date of birth as mm/dd/yyyy, for example 03/14/1984.",
            "required": "Enter the date of birth.",
        })
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric",
                                                           "autocomplete": "bday"}))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> datetime.date:
        born = super().clean(value)
        if born and born > datetime.date.today():
            raise ValidationError("The date of birth cannot be in the future.")
        return born


class ZipCodeField(forms.RegexField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            regex=r"^\s*\d{5}(-?\d{4})?\s*$",
            label="ZIP code",
            max_length=10,
            error_messages={"invalid": "Enter a 5-digit ZIP code.",
                            "required": "Enter the ZIP code."},
            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
            **kwargs,
        )


class IdentityForm(forms.Form):
    zip_code = ZipCodeField()
    date_of_birth = DateOfBirthField()


class TokenForm(IdentityForm):
    token = forms.CharField(
        label="Enrollment token", max_length=40, help_text="As your practice gave it to you.",
        error_messages={"required": "Enter the enrollment token."},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                      "spellcheck": "false"}),
    )
    field_order = ["token", "date_of_birth", "zip_code"]


QUESTION_CHOICES = [("", "Choose a question"), *QUESTIONS]


class SecurityDetailsForm(forms.Form):
    """Create Security Details (SPEC E7, A6): shared by every enrollment path."""

    username = forms.CharField(
        max_length=USERNAME_MAX_LENGTH, validators=username_validators,
        help_text="6 to 50 characters, no spaces. Not case sensitive.",
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none",
                                      "spellcheck": "false"}),
    )
    password1 = forms.CharField(
        label="Password", strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password",
                                          "aria-describedby": "password-rules"}),
    )
    password2 = forms.CharField(label="Type the password again", strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    email = forms.EmailField(
        required=False, label="Email address",
        help_text="With a verified email you can recover your username and password yourself.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    mobile_phone = PhoneNumberField(
        required=False, label="Mobile phone", region="US",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"invalid": "Enter a valid mobile number, like (617) 555-0123."},
    )
    question1 = forms.ChoiceField(label="Security question 1", choices=QUESTION_CHOICES)
    answer1 = forms.CharField(label="Answer 1", max_length=100,
                              widget=forms.TextInput(attrs={"autocomplete": "off"}))
    question2 = forms.ChoiceField(label="Security question 2", choices=QUESTION_CHOICES)
    answer2 = forms.CharField(label="Answer 2", max_length=100,
                              widget=forms.TextInput(attrs={"autocomplete": "off"}))
    code_channel = forms.ChoiceField(
        label="Send my verification code by",
        choices=Channel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where to send your verification code."},
    )

    def __init__(self, *args: Any, pending_user: User | None = None, **kwargs: Any) -> None:
        self.pending_user = pending_user
        super().__init__(*args, **kwargs)

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        taken = User.objects.filter(username__iexact=username)
        if self.pending_user is not None:
            taken = taken.exclude(pk=self.pending_user.pk)
        if taken.exists():
            raise ValidationError("That username is taken. Please choose another.")
        return username

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        password1, password2 = data.get("password1"), data.get("password2")
        if password1:
            try:
                validate_password(password1, User(username=data.get("username", ""),
                                                  email=data.get("email", "")))
            except ValidationError as exc:
                self.add_error("password1", exc)
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "The two passwords don't match.")
        if data.get("question1") and data.get("question1") == data.get("question2"):
            self.add_error("question2", "Choose two different questions.")
        if data.get("answer1") and data.get("answer2") and (
            " ".join(data["answer1"].split()).casefold()
            == " ".join(data["answer2"].split()).casefold()
        ):
            self.add_error("answer2", "Give a different answer to each question.")
        channel = data.get("code_channel")
        if channel == Channel.EMAIL and not data.get("email") and "email" not in self.errors:
            self.add_error("email", "Enter an email address to get your code by email.")
        if channel == Channel.SMS and not data.get("mobile_phone") and (
            "mobile_phone" not in self.errors
        ):
            self.add_error("mobile_phone", "Enter a mobile number to get your code by text.")
        return data

    def details(self) -> SecurityDetails:
        data = self.cleaned_data
        mobile = data.get("mobile_phone")
        return SecurityDetails(
            username=data["username"],
            password=data["password1"],
            email=data.get("email", ""),
            mobile_phone=mobile.as_e164 if mobile else "",
            questions=[(data["question1"], data["answer1"]), (data["question2"], data["answer2"])],
            code_channel=data["code_channel"],
        )


class VerifyCodeForm(forms.Form):
    code = forms.CharField(
        label="Verification code", max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
        error_messages={"required": "Enter the 6-digit code we sent you."},
    )
