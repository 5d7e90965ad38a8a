"""What every page of the staff console shares, whoever registered the model: the console's own
words for a list's heading ("Patients", not Django's "Select patient chart to change"), and date
and time boxes that each have a name a screen reader can say (Django labels only the first of
the pair)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin import widgets
from django.db import models
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext


class LabelledSplitDateTime(widgets.AdminSplitDateTime):
    """Django's date box and time box, named "<field> (date)" and "<field> (time)"."""

    def __init__(self, label: str | Promise, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.label = label

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        field = capfirst(str(self.label))
        date, time = context["widget"]["subwidgets"]
        date["attrs"]["aria-label"] = gettext("%(field)s (date)") % {"field": field}
        time["attrs"]["aria-label"] = gettext("%(field)s (time)") % {"field": field}
        return context


class ConsoleAdmin(admin.ModelAdmin):
    """Base of every page of the console. ``list_title`` is the heading of the list page; without
    it, the model's plural name ("Practices")."""

    list_title: str | Promise = ""

    def changelist_view(self, request: HttpRequest,
                        extra_context: dict[str, Any] | None = None) -> Any:
        title = self.list_title or capfirst(self.model._meta.verbose_name_plural)
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    def formfield_for_dbfield(self, db_field: models.Field, request: HttpRequest,
                              **kwargs: Any) -> Any:
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and isinstance(formfield.widget, widgets.AdminSplitDateTime):
            formfield.widget = LabelledSplitDateTime(db_field.verbose_name,
                                                     attrs=formfield.widget.attrs)
        return formfield
