from __future__ import annotations

from django import forms


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Verification code", max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
        error_messages={"required": "Enter the 6-digit code."},
    )
    trust = forms.BooleanField(label="Trust this browser for 30 days", required=False,
                               help_text="Only on a device that you alone use.")
