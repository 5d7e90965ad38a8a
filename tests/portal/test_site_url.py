"""SITE_URL, the start of every link in an email or text, follows `make run PORT=…` unless it
is set explicitly, and the settings' default is where a plain `make run` serves."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Variables of an outer `make test` (MAKEFLAGS carries its command-line variables) stay out.
OUTER = {"SITE_URL", "PORT", "MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"}


def clean_env(**env: str) -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if k not in OUTER}, **env}


def make_run_site_url(*args: str, **env: str) -> str:
    """The SITE_URL `make run` would serve with, from a dry run (nothing is executed)."""
    result = subprocess.run(["make", "--dry-run", "run", *args], cwd=ROOT,
                            env=clean_env(**env), capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return re.search(r'Links in emails and texts start with ([^"\s]+)', result.stdout)[1]


def settings_site_url(**env: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", "from portal import settings; print(settings.SITE_URL)"],
        cwd=ROOT, env=clean_env(DEBUG="1", **env), capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_links_follow_the_port_unless_site_url_is_set():
    assert make_run_site_url() == "http://127.0.0.1:8000"
    assert make_run_site_url("PORT=8080") == "http://127.0.0.1:8080"
    assert make_run_site_url("PORT=8080", SITE_URL="https://portal.example.org") == \
        "https://portal.example.org"
    assert make_run_site_url("PORT=8080", "SITE_URL=http://localhost:9000") == \
        "http://localhost:9000"


def test_the_settings_default_is_where_make_run_serves():
    assert settings_site_url() == "http://127.0.0.1:8000"
    assert settings_site_url(SITE_URL="") == "http://127.0.0.1:8000"
    assert settings_site_url(SITE_URL="https://portal.example.org/") == \
        "https://portal.example.org"
