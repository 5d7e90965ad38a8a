"""The lock files (requirements/*.txt, written by `make lock` / `make upgrade`) agree with the
ranges in pyproject.toml: editing a range without re-locking fails here, not in production."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def pins(name: str) -> dict[str, str]:
    text = (ROOT / "requirements" / name).read_text()
    found = {canonicalize_name(m[1]): m[2] for m in map(PIN.match, text.splitlines()) if m}
    assert found, name
    return found


def wanted(*, dev: bool) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    lines = project["dependencies"] + (project["optional-dependencies"]["dev"] if dev else [])
    return [Requirement(line) for line in lines]


@pytest.mark.parametrize(("lock", "dev"), [("main.txt", False), ("dev.txt", True)])
def test_every_requirement_is_pinned_within_its_range(lock, dev):
    locked = pins(lock)
    for requirement in wanted(dev=dev):
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{requirement.name} is not in requirements/{lock}: make lock"
        assert requirement.specifier.contains(locked[name], prereleases=True), (
            f"requirements/{lock} pins {requirement.name}=={locked[name]}, outside "
            f"{requirement.specifier} in pyproject.toml: make lock")


def test_every_pin_has_a_hash():
    for lock in ("main.txt", "dev.txt"):
        text = (ROOT / "requirements" / lock).read_text()
        blocks = re.split(r"\n(?=[A-Za-z0-9])", text)
        for block in blocks:
            if PIN.match(block):
                assert "--hash=sha256:" in block, block.splitlines()[0]


def test_the_dev_lock_keeps_the_production_versions():
    main, dev = pins("main.txt"), pins("dev.txt")
    assert {name: dev.get(name) for name in main} == main
