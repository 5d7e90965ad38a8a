"""The door (accounts/access.py) is the only code that reads or writes the session's active
patient: every other module goes through its functions (set_active_access, active_access_set,
get_active_access), so the check that the choice is one of the user's accesses in force cannot
be skipped.

The source of every app is walked, so a new module that reaches for the key is caught.
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

from accounts import access

DOOR = Path(access.__file__).resolve()


def _source_files() -> list[Path]:
    root = Path(settings.BASE_DIR)
    apps = [p for p in root.iterdir() if (p / "__init__.py").exists() and p.name != "tests"]
    return sorted(path for app in apps for path in app.rglob("*.py"))


def _key_references(tree: ast.AST) -> list[int]:
    """Lines that import the key, name it through the module, or spell out its value."""
    door_modules = set()  # the names this file gives to accounts.access
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "accounts.access":
            lines += [node.lineno for alias in node.names if alias.name == "SESSION_KEY"]
        elif isinstance(node, ast.ImportFrom) and node.module == "accounts":
            door_modules |= {a.asname or a.name for a in node.names if a.name == "access"}
        elif isinstance(node, ast.Import):
            door_modules |= {a.asname or a.name for a in node.names
                             if a.name == "accounts.access"}
        elif isinstance(node, ast.Constant) and node.value == access.SESSION_KEY:
            lines.append(node.lineno)
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and node.attr == "SESSION_KEY"
                and ast.unparse(node.value) in door_modules):
            lines.append(node.lineno)
    return lines


def test_no_module_but_the_door_touches_the_active_patient_key():
    found = {}
    for path in _source_files():
        lines = _key_references(ast.parse(path.read_text(), filename=str(path)))
        if lines:
            found[path.resolve()] = lines
    assert DOOR in found  # the walk does see the key where it lives
    others = {str(path): lines for path, lines in found.items() if path != DOOR}
    assert not others, f"only accounts/access.py may use the active patient's key: {others}"


def test_the_walk_recognises_every_way_of_naming_the_key():
    for source in ('from accounts.access import SESSION_KEY as KEY\n',
                   'from accounts import access\nx = access.SESSION_KEY\n',
                   'import accounts.access as door\nx = door.SESSION_KEY\n',
                   'import accounts.access\nx = accounts.access.SESSION_KEY\n',
                   f'request.session[{access.SESSION_KEY!r}] = 1\n'):
        assert _key_references(ast.parse(source)), source
    assert not _key_references(ast.parse('SESSION_KEY = "enrollment"\n'))
