"""DESIGN invariant 5: business state is never read back out of the audit trail. The trail is
written by portal.audit.audit_record and read only where people read it: the patient's Activity
page and the staff console's audit log."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ["portal", "accounts", "enrollment", "records", "messaging", "scheduling", "billing",
        "staffadmin"]
READERS = {"records/activity.py", "staffadmin/admin.py"}
WRITER = "portal/audit.py"  # AuditEvent.objects.create, and nothing else
MANAGERS = {"objects", "_default_manager", "_base_manager"}


def uses_of_the_trail(source: str) -> list[str]:
    """Each ``AuditEvent.objects`` (or other manager) with what is done to it ("objects.filter"),
    and each use of the charts' reverse relation ``audit_events``."""
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    uses = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        if node.attr == "audit_events":
            uses.append(f"{node.lineno}: audit_events")
        elif (node.attr in MANAGERS and isinstance(node.value, ast.Name)
              and node.value.id == "AuditEvent"):
            parent = parents.get(node)
            then = f".{parent.attr}" if isinstance(parent, ast.Attribute) else ""
            uses.append(f"{node.lineno}: {node.attr}{then}")
    return uses


def test_the_walk_finds_reads_and_the_write():
    source = ("AuditEvent.objects.create(action='x')\n"
              "events = AuditEvent.objects.filter(actor=user)\n"
              "chart.audit_events.all()\n"
              "manager = AuditEvent._default_manager\n")
    assert sorted(uses_of_the_trail(source)) == [
        "1: objects.create", "2: objects.filter", "3: audit_events", "4: _default_manager"]


def test_nothing_outside_the_activity_page_and_the_audit_log_reads_the_trail():
    offenders = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative or relative in READERS:
                continue
            uses = uses_of_the_trail(path.read_text())
            if relative == WRITER:
                uses = [use for use in uses if not use.endswith(": objects.create")]
            offenders += [f"{relative}:{use}" for use in uses]
    assert offenders == []
