"""Usernames that look alike, spelt with escapes or built from plain text, so that the source
shows which characters they are (ruff flags the look-alikes themselves, rightly)."""

from __future__ import annotations

DOTLESS_I = "\u0131"  # Turkish: PostgreSQL's UPPER() makes it I
DOTTED_CAPITAL_I = "\u0130"  # Turkish: PostgreSQL's LOWER() makes it i
LONG_S = "\u017f"  # an s in compatibility form: NFKC makes it s
CYRILLIC_A = "\u0430"
GREEK_ALPHA = "\u03b1"


def full_width(text: str) -> str:
    """``text`` with its ASCII letters, digits and punctuation in their full-width forms."""
    return "".join(chr(ord(char) + 0xFEE0) if "!" <= char <= "~" else char for char in text)
