from __future__ import annotations

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def render_input(field: BoundField, autocomplete: str = "") -> SafeString:
    """The field's widget, tied to its help text and errors for screen readers."""
    attrs: dict[str, str | bool] = {}
    described_by = field.field.widget.attrs.get("aria-describedby", "").split()
    if field.help_text:
        described_by.append(f"{field.auto_id}_help")
    described_by += [f"{field.auto_id}_error_{n}" for n in range(1, len(field.errors) + 1)]
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if field.errors:
        attrs["aria-invalid"] = "true"
    if autocomplete:
        attrs["autocomplete"] = autocomplete
    return field.as_widget(attrs=attrs)
