"""Lookups the kernel registers on Django's fields (from PortalConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.db.models import IntegerField
from django.db.models.lookups import In


class IntegerFieldIn(In[Any]):
    """``in`` on an integer column, leaving out the numbers the column cannot hold: they match
    no row, and SQLite's driver fails on them (“Python int too large”) instead. Django does the
    same for ``exact`` and the comparisons (IntegerFieldOverflow), not for ``in``, which any form
    of several choices reaches with whatever number a person sends — the console's groups and
    permissions, for instance (DESIGN invariant 7)."""

    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type())
            self.rhs = [value for value in self.rhs if not isinstance(value, int)
                        or ((low is None or value >= low) and (high is None or value <= high))]
        return super().process_rhs(compiler, connection)


def lookups_register() -> None:
    IntegerField.register_lookup(IntegerFieldIn)
