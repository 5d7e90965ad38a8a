"""The enrollment forms: identity, Create Security Details, Patient Information, self-registration,
and the console's decisions on requests."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from accounts.account_forms import SecurityQuestionsForm, UsernameForm
from accounts.models import User
from accounts.services import SecurityDetails
from enrollment.access_requests import PatientInformation
from enrollment.models import EnrollmentRequest
from enrollment.self_registration import Registration
from portal.forms import DateOfBirthField, ZipCodeField
from portal.models import Channel, PatientChart, Practice

MOBILE_INVALID = _("Enter a valid mobile number, like (617) 555-0123.")


class IdentityForm(forms.Form):
    zip_code = ZipCodeField()
    date_of_birth = DateOfBirthField()


class TokenForm(IdentityForm):
    token = forms.CharField(
        label=_("Enrollment token"), max_length=40,
        help_text=_("As your practice gave it to you."),
        error_messages={"required": _("Enter the enrollment token.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                      "spellcheck": "false"}),
    )
    field_order = ["token", "date_of_birth", "zip_code"]


# The rules a new password must meet, as Django's own password forms describe them. Never
# printed (the live checklist stands in their place, once), but it ties the input to the
# checklist for screen readers: see templates/includes/field.html, ``rules_below``.
_password_rules_text = lazy(password_validation.password_validators_help_text_html, str)


class SecurityDetailsForm(UsernameForm, SecurityQuestionsForm):
    """Create Security Details (SPEC E7, A6): shared by every enrollment path.

    Passwords are shown again after an error (``render_value``): the page is sent
    ``Cache-Control: no-store`` (enrollment.security_views) over HTTPS, and retyping two
    passwords for a typo in an answer is what people give up over. The email address is needed
    when the code goes by email, the mobile number when it goes by text; each field says so."""

    password1 = forms.CharField(
        label=_("Password"), strip=False, help_text=_password_rules_text(),
        error_messages={"required": _("Enter a password.")},
        widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Type the password again"), strip=False,
        error_messages={"required": _("Type the password again.")},
        widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "new-password"}),
    )
    code_channel = forms.ChoiceField(
        label=_("Send my verification code by"),
        choices=Channel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose where to send your verification code.")},
    )
    email = forms.EmailField(
        required=False, label=_("Email address"),
        help_text=_("Needed for a code by email, and to recover your account yourself."),
        error_messages={"required": _("Enter an email address to get your code by email."),
                        "invalid": _("Enter an email address like name@example.com.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    mobile_phone = PhoneNumberField(
        required=False, label=_("Mobile phone"), region="US",
        help_text=_("Needed for a code by text."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"required": _("Enter a mobile number to get your code by text."),
                        "invalid": MOBILE_INVALID},
    )

    # In the order of the page, which the error summary follows.
    field_order = ["username", "password1", "password2", "code_channel", "email",
                   "mobile_phone", "question1", "answer1", "question2", "answer2"]

    # What an empty field says: what to do, field by field, not "This field is required."
    REQUIRED = {
        "username": _("Choose a username."),
        "question1": _("Choose security question 1."),
        "answer1": _("Answer security question 1."),
        "question2": _("Choose security question 2."),
        "answer2": _("Answer security question 2."),
    }
    # The contact each way of getting the code needs.
    CONTACT_FOR_CHANNEL = {Channel.EMAIL: "email", Channel.SMS: "mobile_phone"}

    def __init__(self, *args: Any, pending_user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, account=pending_user, **kwargs)
        for name, message in self.REQUIRED.items():
            self.fields[name].error_messages["required"] = message
        channel = self.channel_chosen()
        for way, name in self.CONTACT_FOR_CHANNEL.items():
            self.fields[name].required = channel == way

    def channel_chosen(self) -> str | None:
        """The way the code is to go, as typed (or, before anything is sent, as proposed)."""
        if self.is_bound:
            value = self.data.get(self.add_prefix("code_channel"))
        else:
            value = self.get_initial_for_field(self.fields["code_channel"], "code_channel")
        return value if value in Channel.values else None

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
            self.add_error("password2", _("The two passwords don't match."))
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


def contacts_initial(*, email: str, mobile_phone: Any) -> dict[str, Any]:
    """What Create Security Details shows filled in from what the practice (or the person, a
    page earlier) gave: the contacts, and the code going to the first of them."""
    channel = Channel.EMAIL if email else Channel.SMS if mobile_phone else None
    return {"email": email, "mobile_phone": mobile_phone or "", "code_channel": channel}


class PatientInformationForm(forms.Form):
    """Patient Information: "Request access" (SPEC E3) and "Create a new account" (SPEC E6)."""

    practice = forms.ModelChoiceField(
        queryset=Practice.objects.none(), label=_("Practice"),
        empty_label=_("Choose your practice"),
        error_messages={"required": _("Choose your practice.")},
    )
    first_name = forms.CharField(
        label=_("First name"), max_length=100,
        error_messages={"required": _("Enter your first name.")},
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    last_name = forms.CharField(
        label=_("Last name"), max_length=100,
        error_messages={"required": _("Enter your last name.")},
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}))
    date_of_birth = DateOfBirthField()
    zip_code = ZipCodeField()
    email = forms.EmailField(
        required=False, label=_("Email address"),
        error_messages={"invalid": _("Enter an email address like name@example.com.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    mobile_phone = PhoneNumberField(
        required=False, label=_("Mobile phone"), region="US",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"invalid": MOBILE_INVALID},
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
            raise ValidationError(_("Give an email address or a mobile number, so that we can "
                                    "reach you."))
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

    first_name = forms.CharField(
        label=_("First name"), max_length=100,
        error_messages={"required": _("Enter your first name.")},
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    middle_name = forms.CharField(
        label=_("Middle name"), max_length=100, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "additional-name"}))
    last_name = forms.CharField(
        label=_("Last name"), max_length=100,
        error_messages={"required": _("Enter your last name.")},
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}))
    date_of_birth = DateOfBirthField()
    sex = forms.ChoiceField(
        label=_("Sex"),
        choices=[("", _("Choose")), ("F", _("Female")), ("M", _("Male")), ("O", _("Other")),
                 ("U", _("Prefer not to say"))],
        error_messages={"required": _("Choose an answer for sex.")})
    address_line1 = forms.CharField(
        label=_("Address"), max_length=200,
        error_messages={"required": _("Enter your street address.")},
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}))
    address_line2 = forms.CharField(
        label=_("Address line 2"), max_length=200, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-line2"}))
    city = forms.CharField(
        label=_("City"), max_length=100, error_messages={"required": _("Enter your city.")},
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}))
    state = forms.RegexField(
        regex=r"^[A-Za-z]{2}$", max_length=2, label=_("State"),
        help_text=_("Two letters, like MA."),
        error_messages={"invalid": _("Enter the two-letter state, like MA."),
                        "required": _("Enter the two-letter state, like MA.")},
        widget=forms.TextInput(attrs={"autocomplete": "address-level1"}))
    zip_code = ZipCodeField()
    home_phone = PhoneNumberField(
        required=False, label=_("Home phone"), region="US",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"invalid": _("Enter a valid phone number, like (617) 555-0123.")},
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
        error_messages={"required": _("Choose the chart to match this request to."),
                        "invalid_choice": _("Choose one of this practice's charts.")},
    )

    def __init__(self, data: Any = None, *, enrollment_request: EnrollmentRequest) -> None:
        super().__init__(data)
        self.enrollment_request = enrollment_request
        cast(forms.ModelChoiceField, self.fields["patient"]).queryset = (
            PatientChart.objects.filter(practice_id=enrollment_request.practice_id))


class RejectRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, sent to the requester"), max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("No health details: it is sent by email."),
        error_messages={"required": _("Give the reason: it is sent to the requester.")},
    )


class SelfRegistrationInvitationForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("Email address"))
    mobile_phone = PhoneNumberField(
        required=False, label=_("Phone"), region="US",
        error_messages={"invalid": MOBILE_INVALID},
    )


class ExistingAccountForm(forms.Form):
    """Welcome (SPEC P1, P2): the invitee signs in with the account they already have."""

    username = forms.CharField(
        label=_("Username"), max_length=150,
        error_messages={"required": _("Enter your username.")},
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}))
    password = forms.CharField(
        label=_("Password"), strip=False,
        error_messages={"required": _("Enter your password.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
