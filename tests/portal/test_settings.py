"""Production settings: SECRET_KEY is required, `check --deploy` passes, and it fails without a
cache that every worker process shares (the rate limits live there)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k3&7-production-like-secret-5a1f0c9e4b8d2f6a7c3e9b1d5f0a4c8e2",
    "ALLOWED_HOSTS": "portal.example.org",
    "DJANGO_SETTINGS_MODULE": "portal.settings",
    # Only the cache backend's kind matters to the checks: nothing connects to it.
    "REDIS_URL": "redis://redis.invalid:6379/0",
}


def manage(*args, env):
    unwanted = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL",
                "USE_X_FORWARDED_FOR"}
    clean = {k: v for k, v in os.environ.items() if k not in unwanted}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env},
        capture_output=True, text=True, timeout=120,
    )


def test_check_deploy_passes_with_production_values():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_secret_key_is_required_when_debug_is_off():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_check_deploy_fails_when_each_process_would_count_on_its_own():
    env = {k: v for k, v in PRODUCTION.items() if k != "REDIS_URL"}
    result = manage("check", "--deploy", env=env)
    assert result.returncode != 0
    assert "portal.E001" in result.stderr
    assert "REDIS_URL" in result.stderr


def test_a_process_local_cache_is_fine_while_debug_is_on():
    env = {**{k: v for k, v in PRODUCTION.items() if k != "REDIS_URL"}, "DEBUG": "1"}
    result = manage("check", "--deploy", env=env)
    assert "portal.E001" not in result.stdout + result.stderr


@pytest.mark.parametrize(("forwarded", "count"), [("1", 1), ("0", 0)])
def test_one_setting_tells_allauth_and_the_audit_trail_about_the_proxy(forwarded, count):
    script = ("from django.conf import settings; "
              "print(settings.USE_X_FORWARDED_FOR, settings.ALLAUTH_TRUSTED_PROXY_COUNT, "
              "settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER)")
    result = manage("shell", "-c", script, env={**PRODUCTION, "USE_X_FORWARDED_FOR": forwarded})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == [str(bool(count)), str(count), "None"]
