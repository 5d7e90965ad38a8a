"""Spanish stays complete (issue 10, item 15): every marked text has a Spanish translation that
keeps its placeholders and markup, and the catalog in the repository holds every marked text."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.utils import translation

from portal.catalogs import LOCALE_DIR, SPANISH, catalog_export, catalog_fill, catalogs_compile
from tests.conftest import service_missing

ROOT = LOCALE_DIR.parent
SOURCES = ["portal", "accounts", "enrollment", "records", "messaging", "billing", "scheduling",
           "staffadmin", "templates", "locale", "manage.py"]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]")
TAG = re.compile(r"</?([a-z][a-z0-9]*)\b")


def _entries() -> list[polib.POEntry]:
    return [e for e in polib.pofile(str(SPANISH)) if not e.obsolete]


def _key(entry: polib.POEntry) -> tuple[str, str, str]:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def _translations(entry: polib.POEntry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


def test_the_catalog_has_the_portals_text() -> None:
    assert len(_entries()) > 500


def test_every_entry_is_translated_and_none_is_fuzzy() -> None:
    catalog = polib.pofile(str(SPANISH))
    assert [e.msgid for e in catalog.untranslated_entries()] == []
    assert [e.msgid for e in catalog.fuzzy_entries()] == []
    assert "fuzzy" not in catalog.metadata_as_entry().flags


def test_translations_keep_placeholders_and_markup() -> None:
    wrong = []
    for entry in _entries():
        source = entry.msgid + (entry.msgid_plural or "")
        for text in _translations(entry):
            # A plural's singular may say "un" for %(count)s: compare the set, not the count.
            named = {m.group(1) for m in PLACEHOLDER.finditer(text) if m.group(1)}
            expected = {m.group(1) for m in PLACEHOLDER.finditer(source) if m.group(1)}
            if not named <= expected or (not entry.msgid_plural and named != expected):
                wrong.append((entry.msgid, text))
            if sorted(TAG.findall(text)) != sorted(TAG.findall(entry.msgid)):
                wrong.append((entry.msgid, text))
    assert wrong == []


def test_django_reads_the_compiled_catalog() -> None:
    catalogs_compile()
    with translation.override("es"):
        translated = [translation.gettext(e.msgid) for e in _entries()[:50]
                      if not e.msgid_plural and not e.msgctxt]
    with translation.override("en"):
        english = [translation.gettext(e.msgid) for e in _entries()[:50]
                   if not e.msgid_plural and not e.msgctxt]
    assert translated != english


def test_the_catalog_holds_every_marked_text(tmp_path: Path) -> None:
    """``make messages`` run on a copy of the source changes no entry: nothing marked is missing
    from the catalog, and nothing in it is stale."""
    if not shutil.which("xgettext") or not shutil.which("msgmerge"):
        service_missing("GNU gettext (xgettext, msgmerge) is not installed")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        else:
            shutil.copy2(source, tmp_path / name)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "es", "--no-obsolete",
         "--add-location", "file"],
        cwd=tmp_path, check=True, capture_output=True, env={"DEBUG": "1", "PATH": "/usr/bin:/bin"},
    )
    fresh = polib.pofile(str(tmp_path / "locale" / "es" / "LC_MESSAGES" / "django.po"))
    fresh_keys = {_key(e) for e in fresh if not e.obsolete}
    kept_keys = {_key(e) for e in _entries()}
    assert sorted(fresh_keys - kept_keys) == [], "marked but not in the catalog: run make messages"
    assert sorted(kept_keys - fresh_keys) == [], "in the catalog but no longer marked"


def test_translations_carry_between_catalogs(tmp_path: Path) -> None:
    """The export/fill pair used to bring translations made on parallel branches together."""
    source = tmp_path / "source.po"
    target = tmp_path / "target.po"
    compendium = tmp_path / "compendium.po"
    done = polib.POFile()
    done.append(polib.POEntry(msgid="Sign in", msgstr="Iniciar sesión"))
    done.append(polib.POEntry(msgid="Not yet", msgstr=""))
    done.save(str(source))
    todo = polib.POFile()
    todo.append(polib.POEntry(msgid="Sign in", msgstr="", flags=["fuzzy"]))
    todo.append(polib.POEntry(msgid="Sign out", msgstr=""))
    todo.save(str(target))

    assert catalog_export(compendium, source) == 1
    assert catalog_fill([compendium], target) == 1
    filled = {e.msgid: e for e in polib.pofile(str(target))}
    assert filled["Sign in"].msgstr == "Iniciar sesión"
    assert "fuzzy" not in filled["Sign in"].flags
    assert filled["Sign out"].msgstr == ""


@pytest.mark.parametrize("fuzzy", [True, False])
def test_compiling_leaves_out_fuzzy_entries(tmp_path: Path, fuzzy: bool) -> None:
    po_dir = tmp_path / "es" / "LC_MESSAGES"
    po_dir.mkdir(parents=True)
    catalog = polib.POFile()
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    catalog.append(polib.POEntry(msgid="Sign in", msgstr="Iniciar sesión",
                                 flags=["fuzzy"] if fuzzy else []))
    catalog.save(str(po_dir / "django.po"))
    assert catalogs_compile(tmp_path) == [po_dir / "django.mo"]
    compiled = {e.msgid: e.msgstr for e in polib.mofile(str(po_dir / "django.mo"))}
    assert ("Sign in" in compiled) is not fuzzy
    assert catalogs_compile(tmp_path) == []  # up to date: nothing rewritten
