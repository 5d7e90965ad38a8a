"""Compile the translation catalogs without GNU gettext.

The ``.po`` files under ``locale/`` are the source (edited by people, extracted with ``make
messages``); the ``.mo`` files Django reads are built from them, never committed. ``make run``,
``make test``, the Dockerfile and the test suite call this, so a machine with only Python gets
Spanish too. Fuzzy and untranslated entries are left out, as GNU ``msgfmt`` does.

    python -m portal.catalogs   # compile every catalog whose .mo is missing or older
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def catalogs(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Every ``<lang>/LC_MESSAGES/<domain>.po`` under ``locale_dir``."""
    return sorted(locale_dir.glob("*/LC_MESSAGES/*.po"))


def catalogs_compile(locale_dir: Path = LOCALE_DIR, *, force: bool = False) -> list[Path]:
    """Write each stale ``.mo`` next to its ``.po``; return the ones written."""
    written = []
    for po_path in catalogs(locale_dir):
        mo_path = po_path.with_suffix(".mo")
        if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        written.append(mo_path)
    return written


if __name__ == "__main__":
    for path in catalogs_compile(force="--force" in sys.argv):
        print(f"compiled {path.relative_to(LOCALE_DIR.parent)}")
