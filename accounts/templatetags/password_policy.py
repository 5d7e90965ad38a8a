"""The live checklists beside username and password fields, rendered from
accounts.password_policy so that they list exactly the rules the server enforces."""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField

from accounts import password_policy as policy

register = template.Library()


def _selector(field: BoundField | None) -> str:
    return f"#{field.auto_id}" if field is not None else ""


@register.inclusion_tag("includes/password_checklist.html")
def password_checklist(
    password: BoundField,
    confirm: BoundField,
    *,
    user: Any = None,
    username: BoundField | None = None,
    email: BoundField | None = None,
) -> dict[str, Any]:
    """``user``: the account whose details the password must not resemble, when known;
    ``username``/``email``: fields on the same form whose typed values count as well."""
    live = [s for s in (_selector(username), _selector(email)) if s]
    return {
        "password_selector": _selector(password),
        "confirm_selector": _selector(confirm),
        "personal": policy.personal_values(user),
        "personal_fields": ",".join(live),
        "rules": [rule for rule, _ in policy.PASSWORD_RULES] + [policy.MATCH_RULE],
        "min_length": policy.PASSWORD_MIN_LENGTH,
        "max_length": policy.PASSWORD_MAX_LENGTH,
        "max_similarity": policy.MAX_SIMILARITY,
    }


@register.inclusion_tag("includes/username_checklist.html")
def username_checklist(username: BoundField) -> dict[str, Any]:
    return {
        "username_selector": _selector(username),
        "rules": [rule for rule, _ in policy.USERNAME_RULES],
        # Listed without a mark: their text says they are checked when the person continues.
        "server_rules": [rule for rule, _ in policy.USERNAME_SERVER_RULES],
        "min_length": policy.USERNAME_MIN_LENGTH,
        "max_length": policy.USERNAME_MAX_LENGTH,
    }
