"""The date drill-down of a console list (``date_hierarchy``), safe with any address."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.http import HttpRequest


class DateDrillDownChangeList(ChangeList):
    def get_filters(self, request: HttpRequest) -> Any:
        # Django builds the drill-down's range from the year, month and day in the address. Past
        # 9999 (?created_at__year=9999 asks for up to year 10000), with a number no date holds,
        # or before year 1 once in UTC (1 January of year 1 in a time zone east of Greenwich),
        # that failed with a 500. It is a bad address like any other, and goes where Django
        # sends a bad filter: back to the whole list (?e=1).
        try:
            filters = super().get_filters(request)
            # Each value is a list (django-stubs says otherwise).
            lookups = cast("dict[str, list[Any]]", filters[2])
            for bound in ("gte", "lt"):
                for value in lookups.get(f"{self.date_hierarchy}__{bound}", []):
                    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
                        value.astimezone(datetime.UTC)
        except (OverflowError, ValueError) as error:
            raise IncorrectLookupParameters(error) from error
        return filters


class DateDrillDownMixin(admin.ModelAdmin):
    """For every console list with a ``date_hierarchy``."""

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return DateDrillDownChangeList
