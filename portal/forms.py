"""Form fields that several apps ask for the same way: a date of birth, a ZIP code, a person's
name."""

from __future__ import annotations

import datetime
import re
import unicodedata
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DATE_INPUT_FORMATS = ["%m/%d/%Y", "%Y-%m-%d", "%m-%d-%Y", "%m/%d/%y"]


class DateOfBirthField(forms.DateField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Date of birth"))
        kwargs.setdefault("help_text", _("mm/dd/yyyy"))
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        kwargs.setdefault("error_messages", {
            "invalid": _("Enter the date of birth as mm/dd/yyyy, for example 03/14/1984."),
            "required": _("Enter the date of birth."),
        })
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric",
                                                           "autocomplete": "bday"}))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> datetime.date:
        born: datetime.date = super().clean(value)
        if born and born > datetime.date.today():
            raise ValidationError(_("The date of birth cannot be in the future."))
        return born


class ZipCodeField(forms.RegexField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            regex=r"^\s*\d{5}(-?\d{4})?\s*$",
            label=_("ZIP code"),
            max_length=10,
            error_messages={"invalid": _("Enter a 5-digit ZIP code."),
                            "required": _("Enter the ZIP code.")},
            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
            **kwargs,
        )


# A letter (any alphabet, accents included), then letters, spaces, apostrophes (straight, or the
# curly one phones type), hyphens and periods.
_PERSON_NAME = re.compile(r"[^\W\d_](?:[^\W\d_]|[ '\u2019.-])*")
# A period straight before a letter makes a web address ("evil.example"), which mail programs
# turn into a link; an initial or "St." is followed by a space or ends the name.
_PERIOD_IN_WORD = re.compile(r"\.[^\W\d_]")
PERSON_NAME_RULE = _("Use letters, spaces, apostrophes, hyphens and periods only, up to 50 "
                     "characters.")
PERIOD_RULE = _("Put a space after a period, as in “J. R. Smith”.")


class PersonNameField(forms.CharField):
    """A first or last name that someone types about another person, which then goes into an
    email the practice sends: nothing but a name (no address, no link, no markup, no line
    break), so that no one can write their own message in the practice's name."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 50)
        kwargs.setdefault("help_text", "")
        kwargs["error_messages"] = {"max_length": PERSON_NAME_RULE, "invalid": PERSON_NAME_RULE,
                                    **kwargs.get("error_messages", {})}
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str | None:
        # Accents typed as a letter and a combining mark become the one accented letter.
        text = super().to_python(value)
        return unicodedata.normalize("NFC", text) if text else text

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and not _PERSON_NAME.fullmatch(value):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if value and _PERIOD_IN_WORD.search(value):
            raise ValidationError(PERIOD_RULE, code="period")
