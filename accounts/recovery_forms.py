"""Forms of account recovery (SPEC A2, A3). The rules live in the accounts.recovery_* modules."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from allauth.account.forms import ResetPasswordForm, ResetPasswordKeyForm
from allauth.core import context
from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.account_forms import PortalPasswordWords
from accounts.languages import page_language
from accounts.models import User
from accounts.password_policy import USERNAME_MAX_LENGTH, username_canonical
from accounts.recovery_reset import ResetMethod, password_reset_complete
from accounts.recovery_reset_link import password_reset_recipients
from portal.audit import client_ip
from portal.forms import DateOfBirthField

USERNAME_WIDGET = forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none",
                                         "spellcheck": "false"})


class ForgotUsernameForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("Your verified account email, or the notification email your practice has."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"required": _("Enter your email address."),
                        "invalid": _("Enter an email address, like name@example.com.")},
    )
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False,
                                widget=forms.TextInput(attrs={"autocomplete": "family-name"}))
    date_of_birth = DateOfBirthField(required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if bool(data.get("last_name")) != bool(data.get("date_of_birth")) and not self.errors:
            self.add_error(None, _("Enter both the last name and the date of birth, or "
                                    "neither."))
        return data


class PasswordResetRequestForm(ResetPasswordForm):
    """allauth's "Forgot password?" form, which also takes a username: the link then goes to
    that account's verified email (SPEC A3a). allauth still makes the token and sends it, in
    the task (accounts.recovery_reset_link)."""

    # Named "email" because allauth's view rate-limits on cleaned_data["email"].
    email = forms.CharField(
        label=_("Email or Username"), max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none",
                                      "spellcheck": "false"}),
        error_messages={"required": _("Enter your email address or your username.")},
    )

    def clean_email(self) -> str:
        typed: str = self.cleaned_data["email"].strip()
        self.recipients = password_reset_recipients(login=typed)
        # In its canonical form: the view's per-key limit then counts every spelling of a
        # username (case, width) as one.
        return username_canonical(typed)

    def save(self, request: HttpRequest, **kwargs: Any) -> str:
        """Hands the links to a task after commit, whether or not anything matched (the
        request does the same work either way): account ids and addresses on file only."""
        from accounts.tasks import queue_after_commit, send_password_reset_links

        queue_after_commit(
            send_password_reset_links,
            recipients={address: [user.pk for user in users]
                        for address, users in self.recipients.items()},
            ip_address=client_ip(request),
            language=page_language(),
        )
        typed: str = self.cleaned_data["email"]
        return typed


class PasswordResetFromLinkForm(PortalPasswordWords, ResetPasswordKeyForm):
    """The new password from an emailed link: set through the same service as every reset, so
    other sessions end and the owner is told."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password1"].widget.attrs["aria-describedby"] = "password-rules"

    def save(self) -> None:
        password_reset_complete(user=self.user, password=self.cleaned_data["password1"],
                                method=ResetMethod.EMAIL_LINK, request=context.request)


class RecoveryUsernameForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=USERNAME_MAX_LENGTH,
                               widget=USERNAME_WIDGET,
                               error_messages={"required": _("Enter your username.")})


class SecurityAnswersForm(forms.Form):
    answer1 = forms.CharField(max_length=100, widget=forms.TextInput(attrs={"autocomplete": "off"}),
                              error_messages={"required": _("Enter your answer.")})
    answer2 = forms.CharField(max_length=100, widget=forms.TextInput(attrs={"autocomplete": "off"}),
                              error_messages={"required": _("Enter your answer.")})

    def __init__(self, *args: Any, questions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["answer1"].label, self.fields["answer2"].label = questions

    def answers(self) -> list[str]:
        return [self.cleaned_data["answer1"], self.cleaned_data["answer2"]]


class ResetTokenForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=USERNAME_MAX_LENGTH,
                               widget=USERNAME_WIDGET,
                               error_messages={"required": _("Enter your username.")})
    token = forms.CharField(
        label=_("Password reset token"), max_length=40,
        help_text=_("As your practice gave it to you."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                      "spellcheck": "false"}),
        error_messages={"required": _("Enter the password reset token.")},
    )


if TYPE_CHECKING:
    _SetPasswordForm = SetPasswordForm[User]
else:  # not subscriptable at run time (django_stubs_ext does not patch it)
    _SetPasswordForm = SetPasswordForm


class NewPasswordForm(_SetPasswordForm):
    """Reset Password: the new password, typed twice, checked by the project's validators."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("New password")
        # Not printed: the live checklist stands in its place, under the hint's id, so the input
        # stays described by it (templates/includes/new_password_fields.html).
        self.fields["new_password1"].help_text = _("The password's rules are listed below.")
        self.fields["new_password2"].label = _("Type the new password again")
        self.fields["new_password2"].help_text = ""
