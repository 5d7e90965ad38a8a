"""The secrets an invitation carries, and how people type them back."""

from __future__ import annotations

import secrets

# No 0/O, 1/I/L: people copy tokens from paper and from the phone.
READABLE = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def _readable(length: int) -> str:
    return "".join(secrets.choice(READABLE) for _ in range(length))


def new_token() -> str:
    """An enrollment token, 12 characters (about 59 bits), shown as XXXX-XXXX-XXXX."""
    raw = _readable(12)
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_token(typed: str) -> str:
    cleaned = "".join(ch for ch in typed.upper() if ch.isalnum())
    return f"{cleaned[:4]}-{cleaned[4:8]}-{cleaned[8:]}" if len(cleaned) == 12 else cleaned


def new_link_key() -> str:
    return secrets.token_urlsafe(32)


def new_temporary_credentials() -> tuple[str, str]:
    """A temporary username and password for printed instructions."""
    username = f"temp-{_readable(8).lower()}"
    password = f"{_readable(4)}-{_readable(4)}-{_readable(4)}"
    return username, password
