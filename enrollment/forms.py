from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from phonenumber_field.formfields import PhoneNumberField

from accounts.account_forms import SecurityQuestionsForm, UsernameForm
from accounts.models import User
from accounts.services import SecurityDetails
from enrollment.access_requests import PatientInformation
from enrollment.models import EnrollmentRequest
from enrollment.self_registration import Registration
from portal.forms import DateOfBirthField, ZipCodeField
from portal.models import Channel, PatientChart, Practice


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


class SecurityDetailsForm(UsernameForm, SecurityQuestionsForm):
    """Create Security Details (SPEC E7, A6): shared by every enrollment path."""

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
    code_channel = forms.ChoiceField(
        label="Send my verification code by",
        choices=Channel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where to send your verification code."},
    )

    field_order = ["username", "password1", "password2", "email", "mobile_phone",
                   "question1", "answer1", "question2", "answer2", "code_channel"]

    def __init__(self, *args: Any, pending_user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, account=pending_user, **kwargs)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        password1, password2 = data.get("password1"), data.get("password2")
        if password1:
            try:
                validate_password(password1, User(username=data.get("username", ""),
                                                  email=data.get("email", "")))
            except ValidationError as exc:
                self.add_error("password1", exc)
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "The two passwords don't match.")
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
            questions=self.questions(),
            code_channel=data["code_channel"],
        )




class PatientInformationForm(forms.Form):
    """Patient Information: "Request access" (SPEC E3) and "Create a new account" (SPEC E6)."""

    practice = forms.ModelChoiceField(
        queryset=Practice.objects.none(), empty_label="Choose your practice",
        error_messages={"required": "Choose your practice."},
    )
    first_name = forms.CharField(max_length=100, widget=forms.TextInput(
        attrs={"autocomplete": "given-name"}))
    last_name = forms.CharField(max_length=100, widget=forms.TextInput(
        attrs={"autocomplete": "family-name"}))
    date_of_birth = DateOfBirthField()
    zip_code = ZipCodeField()
    email = forms.EmailField(required=False, label="Email address",
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    mobile_phone = PhoneNumberField(
        required=False, label="Mobile phone", region="US",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"invalid": "Enter a valid mobile number, like (617) 555-0123."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["practice"]).queryset = (
            Practice.objects.order_by("name"))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not data.get("email") and not data.get("mobile_phone") and not (
            {"email", "mobile_phone"} & set(self.errors)
        ):
            raise ValidationError("Give an email address or a mobile number, so that we can "
                                  "reach you.")
        return data

    def info(self) -> PatientInformation:
        data = self.cleaned_data
        return PatientInformation(
            practice_id=data["practice"].pk, first_name=data["first_name"],
            last_name=data["last_name"], date_of_birth=data["date_of_birth"],
            zip_code=data["zip_code"].strip(), email=data.get("email", ""),
            mobile_phone=data["mobile_phone"].as_e164 if data.get("mobile_phone") else "",
        )


class RegistrationForm(forms.Form):
    """The new patient's registration form (SPEC E5); contact details come with the security
    details on the same page."""

    first_name = forms.CharField(max_length=100, widget=forms.TextInput(
        attrs={"autocomplete": "given-name"}))
    middle_name = forms.CharField(max_length=100, required=False, widget=forms.TextInput(
        attrs={"autocomplete": "additional-name"}))
    last_name = forms.CharField(max_length=100, widget=forms.TextInput(
        attrs={"autocomplete": "family-name"}))
    date_of_birth = DateOfBirthField()
    sex = forms.ChoiceField(choices=[("", "Choose"), ("F", "Female"), ("M", "Male"),
                                     ("O", "Other"), ("U", "Prefer not to say")])
    address_line1 = forms.CharField(label="Address", max_length=200, widget=forms.TextInput(
        attrs={"autocomplete": "address-line1"}))
    address_line2 = forms.CharField(label="Address line 2", max_length=200, required=False,
                                    widget=forms.TextInput(attrs={"autocomplete": "address-line2"}))
    city = forms.CharField(max_length=100, widget=forms.TextInput(
        attrs={"autocomplete": "address-level2"}))
    state = forms.RegexField(regex=r"^[A-Za-z]{2}$", max_length=2, label="State",
                             help_text="Two letters, like MA.",
                             error_messages={"invalid": "Enter the two-letter state, like MA."},
                             widget=forms.TextInput(attrs={"autocomplete": "address-level1"}))
    zip_code = ZipCodeField()
    home_phone = PhoneNumberField(
        required=False, label="Home phone", region="US",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"invalid": "Enter a valid phone number, like (617) 555-0123."},
    )

    def registration(self) -> Registration:
        data = self.cleaned_data
        return Registration(
            first_name=data["first_name"].strip(), middle_name=data["middle_name"].strip(),
            last_name=data["last_name"].strip(), date_of_birth=data["date_of_birth"],
            sex=data["sex"], address_line1=data["address_line1"].strip(),
            address_line2=data["address_line2"].strip(), city=data["city"].strip(),
            state=data["state"].upper(), zip_code=data["zip_code"].strip(),
            home_phone=data["home_phone"].as_e164 if data.get("home_phone") else "",
        )


class ApproveRequestForm(forms.Form):
    """Approve with this chart: one of the request's own practice's charts."""

    patient = forms.ModelChoiceField(
        queryset=PatientChart.objects.none(), widget=forms.HiddenInput,
        error_messages={"required": "Choose the chart to match this request to.",
                        "invalid_choice": "Choose one of this practice's charts."},
    )

    def __init__(self, data: Any = None, *, enrollment_request: EnrollmentRequest) -> None:
        super().__init__(data)
        self.enrollment_request = enrollment_request
        cast(forms.ModelChoiceField, self.fields["patient"]).queryset = (
            PatientChart.objects.filter(practice_id=enrollment_request.practice_id))


class RejectRequestForm(forms.Form):
    reason = forms.CharField(
        label="Reason, sent to the requester", max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="No health details: it is sent by email.",
    )


class SelfRegistrationInvitationForm(forms.Form):
    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    email = forms.EmailField(label="Email address")
    mobile_phone = PhoneNumberField(
        required=False, label="Phone", region="US",
        error_messages={"invalid": "Enter a valid mobile number, like (617) 555-0123."},
    )


class ExistingAccountForm(forms.Form):
    username = forms.CharField(max_length=150, widget=forms.TextInput(
        attrs={"autocomplete": "username", "autocapitalize": "none"}))
    password = forms.CharField(strip=False, widget=forms.PasswordInput(
        attrs={"autocomplete": "current-password"}))
