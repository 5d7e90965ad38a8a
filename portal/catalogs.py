"""Compile the translation catalogs without GNU gettext.

The ``.po`` files under ``locale/`` are the source (edited by people, extracted with ``make
messages``); the ``.mo`` files Django reads are built from them, never committed. ``make run``,
``make test``, the Dockerfile and the test suite call this, so a machine with only Python gets
Spanish too. Fuzzy and untranslated entries are left out, as GNU ``msgfmt`` does.

    python -m portal.catalogs                 # compile every catalog whose .mo is stale
    python -m portal.catalogs --export F.po   # add django.po's translated entries to F.po
    python -m portal.catalogs --fill A.po ... # fill django.po's untranslated entries from these

The last two carry translations between catalogs by message (id, context, plural), for work
done on several branches at once: each keeps its translations in its own file until they meet.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


SPANISH = LOCALE_DIR / "es" / "LC_MESSAGES" / "django.po"


def _key(entry: polib.POEntry) -> tuple[str, str, str]:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def _translated(entry: polib.POEntry) -> bool:
    return entry.translated() and not entry.obsolete


def catalog_export(target: Path, source: Path = SPANISH) -> int:
    """Add (or update) every translated entry of ``source`` in ``target``; return how many."""
    out = polib.pofile(str(target)) if target.exists() else polib.POFile()
    if not target.exists():
        out.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "es"}
    existing = {_key(e): e for e in out}
    count = 0
    for entry in polib.pofile(str(source)):
        if not _translated(entry):
            continue
        mine = existing.get(_key(entry))
        if mine is None:
            mine = polib.POEntry(msgctxt=entry.msgctxt, msgid=entry.msgid,
                                 msgid_plural=entry.msgid_plural)
            out.append(mine)
        mine.msgstr, mine.msgstr_plural = entry.msgstr, dict(entry.msgstr_plural)
        count += 1
    out.save(str(target))
    return count


def catalog_fill(sources: list[Path], target: Path = SPANISH) -> int:
    """Fill the untranslated entries of ``target`` from ``sources`` (first match wins)."""
    known: dict[tuple[str, str, str], polib.POEntry] = {}
    for source in sources:
        for entry in polib.pofile(str(source)):
            if _translated(entry):
                known.setdefault(_key(entry), entry)
    catalog = polib.pofile(str(target))
    count = 0
    for entry in catalog:
        if entry.obsolete or _translated(entry):
            continue
        found = known.get(_key(entry))
        if found is None:
            continue
        entry.msgstr, entry.msgstr_plural = found.msgstr, dict(found.msgstr_plural)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        count += 1
    catalog.save(str(target))
    return count


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
    args = sys.argv[1:]
    if args[:1] == ["--export"]:
        print(f"{catalog_export(Path(args[1]))} translated entries in {args[1]}")
    elif args[:1] == ["--fill"]:
        print(f"{catalog_fill([Path(a) for a in args[1:]])} entries filled in {SPANISH}")
    else:
        for path in catalogs_compile(force="--force" in args):
            print(f"compiled {path.relative_to(LOCALE_DIR.parent)}")
