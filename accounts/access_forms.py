"""Edit Access Rights: the form the patient and the staff console both use (SPEC P4)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import PortalAccess, Right
from portal.models import Practice


def access_ends_at(*, practice: Practice, day: datetime.date | None) -> datetime.datetime | None:
    """An end date means the access stops at the start of that day where the practice is."""
    if day is None:
        return None
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=practice.tzinfo)


class AccessRightsForm(forms.Form):
    """Edit Access Rights: the areas a representative may open and when their access ends."""

    rights = forms.MultipleChoiceField(
        label=_("Access rights"), choices=Right.choices, widget=forms.CheckboxSelectMultiple,
        help_text=_("The parts of the portal this person may use on the patient's behalf."),
        error_messages={"required": _("Choose at least one area.")},
    )
    ends_on = forms.DateField(
        label=_("End date"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Access stops at the start of this day. Leave it empty to keep access until "
                    "it is revoked."),
        error_messages={"invalid": _("Enter a date, like 06/15/2027.")},
    )

    def __init__(self, *args: Any, practice: Practice, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.practice = practice

    @classmethod
    def initial_for(cls, access: PortalAccess) -> dict[str, object]:
        ends_on = (timezone.localtime(access.ends_at, access.patient.practice.tzinfo).date()
                   if access.ends_at else None)
        return {"rights": [r.value for r in access.rights], "ends_on": ends_on}

    def clean_ends_on(self) -> datetime.date | None:
        day = self.cleaned_data.get("ends_on")
        if day is not None and day <= self.practice.today():
            raise forms.ValidationError(_("The end date must be in the future."))
        return day

    @property
    def ends_at(self) -> datetime.datetime | None:
        return access_ends_at(practice=self.practice, day=self.cleaned_data.get("ends_on"))
