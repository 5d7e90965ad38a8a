"""Form fields that several apps ask for the same way: a date of birth and a ZIP code."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

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
        born: datetime.date = super().clean(value)
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
