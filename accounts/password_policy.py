"""The composition rules of SPEC E7, added to Django's own length, common-password and
similarity validators (which cover the rest of the policy)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

PASSWORD_MAX_LENGTH = 200

RULES = [
    ("upper", "at least one upper-case letter", lambda p: any(c.isupper() for c in p)),
    ("lower", "at least one lower-case letter", lambda p: any(c.islower() for c in p)),
    ("digit", "at least one number", lambda p: any(c.isdigit() for c in p)),
    (
        "special",
        "at least one special character (such as ! # $ or %)",
        lambda p: any(not c.isalnum() and not c.isspace() for c in p),
    ),
]


class PortalPasswordPolicy:
    def validate(self, password: str, user: object = None) -> None:
        errors = []
        if len(password) > PASSWORD_MAX_LENGTH:
            errors.append(
                ValidationError(
                    f"Your password must be at most {PASSWORD_MAX_LENGTH} characters.",
                    code="password_too_long",
                )
            )
        for code, text, check in RULES:
            if not check(password):
                errors.append(ValidationError(f"Your password needs {text}.", code=code))
        if errors:
            raise ValidationError(errors)

    def get_help_text(self) -> str:
        return "Use 8 to 200 characters with " + ", ".join(text for _, text, _ in RULES) + "."
