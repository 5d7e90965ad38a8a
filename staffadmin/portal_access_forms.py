"""The forms of Enable Portal Access (SPEC E9): step 1, who gets access and how the
instructions reach them; step 2, their relationship to the patient and proxy access to related
charts. What may be chosen is decided in enrollment/portal_access.py."""

from __future__ import annotations

import dataclasses
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enrollment.portal_access import (
    PROXY_RELATIONSHIPS,
    AccessPerson,
    Delivery,
    Individual,
    ProxyGrant,
    guarantor_offered,
    related_charts,
)
from enrollment.services import patient_has_own_account
from portal.models import PatientChart


def _chart_label(chart: PatientChart) -> str:
    return _("%(name)s — %(number)s, born %(born)s") % {
        "name": chart.full_name, "number": chart.record_number,
        "born": date_format(chart.date_of_birth, "SHORT_DATE_FORMAT")}


class IndividualsForm(forms.Form):
    """Step 1: Identify the individual(s) getting access, and how the instructions reach them."""

    # Each individual is a group headed by the seed's word (Patient, Guarantor, Another Patient,
    # Other) in the template; the check box inside it says whom it gives access to.
    patient = forms.BooleanField(required=False, label_suffix="")
    patient_email = forms.EmailField(label=gettext_lazy("Email"), required=False)
    guarantor = forms.BooleanField(required=False, label_suffix="")
    guarantor_email = forms.EmailField(label=gettext_lazy("Email"), required=False)
    another_patient = forms.BooleanField(
        label=gettext_lazy("Give access to another patient of the practice"), required=False,
        label_suffix="")
    another_patient_chart = forms.ModelChoiceField(
        queryset=PatientChart.objects.none(), required=False, widget=forms.RadioSelect,
        empty_label=None, label=gettext_lazy("Patients found"),
        error_messages={"invalid_choice": gettext_lazy(
            "Search again and choose a patient of this practice.")},
    )
    another_patient_email = forms.EmailField(
        label=gettext_lazy("Email"), required=False,
        help_text=gettext_lazy("Leave empty to use the email on their chart."))
    other = forms.BooleanField(label=gettext_lazy("Give access to someone outside the practice"),
                               required=False, label_suffix="")
    other_first_name = forms.CharField(label=gettext_lazy("First name"), max_length=100,
                                       required=False)
    other_last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=100,
                                      required=False)
    other_email = forms.EmailField(label=gettext_lazy("Email"), required=False)
    delivery = forms.ChoiceField(
        label=gettext_lazy("How will the portal instructions be provided?"),
        choices=[(Delivery.EMAIL.value, gettext_lazy("Email")),
                 (Delivery.PRINT.value, gettext_lazy("Print"))],
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose Email or Print.")},
    )

    def __init__(self, data: Any = None, *, patient: PatientChart,
                 charts: QuerySet[PatientChart], found: list[PatientChart] | None = None,
                 initial: dict[str, Any] | None = None) -> None:
        super().__init__(data, initial=initial)
        self.chart = patient
        self.guarantor_chart: PatientChart | None = guarantor_offered(patient=patient)
        self.fields["patient"].label = _("Give access to %(chart)s") % {
            "chart": _chart_label(patient)}
        if self.guarantor_chart is None:
            del self.fields["guarantor"], self.fields["guarantor_email"]
        else:
            self.fields["guarantor"].label = _("Give access to %(chart)s") % {
                "chart": _chart_label(self.guarantor_chart)}
        # Only charts of the patient's practice that this staff member may see can be chosen;
        # the radio list shows just the search results (and the chart already chosen).
        choosable = charts.filter(practice_id=patient.practice_id).exclude(pk=patient.pk)
        field = self.fields["another_patient_chart"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = choosable
        self.found = list(found or [])
        chosen = self.data.get("another_patient_chart") or self.initial.get(
            "another_patient_chart")
        chosen = str(chosen or "")
        if chosen.isdigit() and int(chosen) not in {c.pk for c in self.found}:
            self.found += list(choosable.filter(pk=int(chosen)))
        field.widget.choices = [(c.pk, _chart_label(c)) for c in self.found]
        practice = patient.practice
        self.fields["delivery"].help_text = _(
            "Email: a one-click activation link, which expires in %(email_days)s days. Print: a "
            "temporary username and password, which expire in %(print_days)s days."
        ) % {"email_days": practice.invitation_email_days,
             "print_days": practice.invitation_print_days}

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not any(data.get(i) for i in Individual):
            raise ValidationError(
                _("Choose at least one individual to give access to: Patient, Guarantor, "
                  "Another Patient or Other.") if self.guarantor_chart else
                _("Choose at least one individual to give access to: Patient, Another Patient "
                  "or Other."))
        if data.get("patient") and patient_has_own_account(patient=self.chart):
            self.add_error("patient", _(
                "%(name)s already has a portal account. If they cannot sign in, issue a password "
                "reset token instead.") % {"name": self.chart.full_name})
        if data.get("another_patient"):
            chart = data.get("another_patient_chart")
            if chart is None and "another_patient_chart" not in self.errors:
                self.add_error("another_patient_chart", _("Search for the other patient and "
                                                          "choose them from the list."))
            elif chart is not None and data.get("guarantor") and chart == self.guarantor_chart:
                self.add_error("another_patient_chart", _(
                    "%(name)s is already chosen as the Guarantor.") % {"name": chart.full_name})
        if data.get("other"):
            if not data.get("other_first_name", "").strip():
                self.add_error("other_first_name", _("Enter the first name of the Other person."))
            if not data.get("other_last_name", "").strip():
                self.add_error("other_last_name", _("Enter the last name of the Other person."))
        if data.get("delivery") == Delivery.EMAIL:
            self._check_emails(data)
        return data

    def _check_emails(self, data: dict[str, Any]) -> None:
        """Email delivery needs an address for everyone ticked: typed, or on their chart."""
        for individual, chart in self._charts(data).items():
            field = f"{individual.value}_email"
            if not data.get(individual) or data.get(field) or field in self.errors:
                continue
            if individual == Individual.OTHER:
                whom = " ".join(filter(None, (data.get("other_first_name"),
                                              data.get("other_last_name")))) or _("this person")
            # No chart yet (Another Patient not chosen: that has its own error), or the chart's
            # own email will be used.
            elif chart is None or chart.notification_email:
                continue
            else:
                whom = chart.full_name
            self.add_error(field, _("Enter an email address for %(whom)s, or choose Print.")
                           % {"whom": whom})

    def people(self) -> list[AccessPerson]:
        """The individuals ticked, in the wizard's order; relationships come in step 2."""
        data, people = self.cleaned_data, []
        for individual, chart in self._charts(data).items():
            if not data.get(individual):
                continue
            email = data.get(f"{individual.value}_email", "").strip()
            if chart is not None:
                people.append(AccessPerson.from_chart(individual, chart, email=email))
            else:
                people.append(AccessPerson(
                    individual=individual, first_name=data["other_first_name"].strip(),
                    last_name=data["other_last_name"].strip(), email=email,
                ))
        return people

    def _charts(self, data: dict[str, Any]) -> dict[Individual, PatientChart | None]:
        """Each individual, in the wizard's order, with their chart (None for Other)."""
        return {Individual.PATIENT: self.chart, Individual.GUARANTOR: self.guarantor_chart,
                Individual.ANOTHER_PATIENT: data.get("another_patient_chart"),
                Individual.OTHER: None}

    def state(self) -> dict[str, str]:
        """What to keep in the session: the submitted values, to be bound and checked again."""
        return {name: str(self.data[name]) for name in self.fields if name in self.data}


class RelationshipsForm(forms.Form):
    """Step 2: Identify the Relationship to the Patient, and proxy access to related charts."""

    def __init__(self, data: Any = None, *, patient: PatientChart,
                 people: list[AccessPerson]) -> None:
        super().__init__(data)
        self.patient = patient
        self.sections: list[tuple[AccessPerson, list[PatientChart]]] = []
        for person in people:
            key = person.individual.value
            if person.individual != Individual.PATIENT:
                self.fields[f"{key}-relationship"] = forms.ChoiceField(
                    choices=[("", _("Choose…")), *PROXY_RELATIONSHIPS],
                    label=_("Relationship to %(name)s") % {"name": patient.full_name},
                    error_messages={"required": _(
                        "Choose the relationship of %(name)s to the patient.")
                        % {"name": person.full_name}},
                )
            charts = related_charts(patient=patient, person=person.chart)
            for chart in charts:
                self.fields[f"{key}-grant-{chart.pk}"] = forms.BooleanField(
                    required=False, label=f"{chart.full_name} ({chart.record_number})",
                    label_suffix="")
                # The patient is "self" only to their own chart: for another chart, ask.
                same = _("Choose…") if person.individual == Individual.PATIENT else \
                    _("Same as to %(name)s") % {"name": patient.full_name}
                self.fields[f"{key}-grant-{chart.pk}-as"] = forms.ChoiceField(
                    choices=[("", same), *PROXY_RELATIONSHIPS], required=False,
                    label=_("Relationship to %(name)s") % {"name": chart.full_name})
            self.sections.append((person, charts))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        for person, charts in self.sections:
            if person.individual != Individual.PATIENT:
                continue
            for chart in charts:
                key = f"{person.individual.value}-grant-{chart.pk}"
                if data.get(key) and not data.get(f"{key}-as"):
                    self.add_error(f"{key}-as", _(
                        "Choose how %(person)s is related to %(chart)s.")
                        % {"person": person.full_name, "chart": chart.full_name})
        return data

    def people(self) -> list[AccessPerson]:
        data, people = self.cleaned_data, []
        for person, charts in self.sections:
            key = person.individual.value
            relationship = data.get(f"{key}-relationship", person.relationship)
            grants = tuple(
                ProxyGrant(chart, data.get(f"{key}-grant-{chart.pk}-as") or relationship)
                for chart in charts if data.get(f"{key}-grant-{chart.pk}")
            )
            people.append(dataclasses.replace(person, relationship=relationship, grants=grants))
        return people

    def person_fields(self) -> list[dict[str, Any]]:
        """The bound fields per person, for the template."""
        rows = []
        for person, charts in self.sections:
            key = person.individual.value
            relationship = (self[f"{key}-relationship"] if f"{key}-relationship" in self.fields
                            else None)
            grants = [(self[f"{key}-grant-{c.pk}"], self[f"{key}-grant-{c.pk}-as"])
                      for c in charts]
            rows.append({"person": person, "relationship": relationship, "grants": grants})
        return rows
