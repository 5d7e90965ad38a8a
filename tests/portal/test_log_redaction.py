"""Secrets in URL paths never reach a log (DESIGN invariant 2): the invitation link's key, the
password reset link's key and the email confirmation key are replaced with [redacted] in the
gunicorn access and error logs and in Django's own request logging."""

from __future__ import annotations

import datetime
import io
import logging
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.http import HttpResponse
from django.urls import reverse
from django.utils.log import log_response
from gunicorn.app.base import Application

from portal.log_redaction import RedactingGunicornLogger, redact_secret_paths

ROOT = Path(__file__).resolve().parents[2]
SECRET = "Zq9xSECRETkey_-7Tw"


def secret_urls() -> list[str]:
    """Each address that carries a secret, as the URL configuration builds it today."""
    return [
        reverse("enrollment:sign_up", args=[SECRET]),
        reverse("account_reset_password_from_key", kwargs={"uidb36": "4f", "key": SECRET}),
        reverse("account_confirm_email", args=[SECRET]),
    ]


@pytest.mark.parametrize("path", secret_urls())
def test_the_secret_segment_is_redacted(path):
    redacted = redact_secret_paths(path)
    assert SECRET not in redacted
    assert "[redacted]" in redacted
    assert redacted.endswith("/[redacted]/")


@pytest.mark.parametrize("path", secret_urls())
def test_a_full_address_or_request_line_is_redacted_too(path):
    line = f"GET {path}?next=%2F HTTP/1.1"
    assert redact_secret_paths(line) == f"GET {redact_secret_paths(path)}?next=%2F HTTP/1.1"
    url = f"https://portal.example.org{path}"
    assert SECRET not in redact_secret_paths(url)


def test_the_page_after_the_reset_link_is_redacted_too():
    # allauth moves the key into the session and shows the form at <uidb36>-set-password/.
    assert redact_secret_paths("/account/password/reset/key/4f-set-password/") == (
        "/account/password/reset/key/[redacted]/")


@pytest.mark.parametrize("path", ["/", "/enroll/identify/", "/account/password/reset/",
                                  "/account/password/reset/key/done/",
                                  "/account/settings/email/", "/static/css/portal.css"])
def test_other_addresses_are_left_alone(path):
    assert redact_secret_paths(path) == path


class GunicornConfig(Application):
    """Loads gunicorn.conf.py exactly as `gunicorn --config gunicorn.conf.py` does."""

    def load_config(self):
        self.load_config_from_file(str(ROOT / "gunicorn.conf.py"))

    def load(self):  # the WSGI app is not needed to read the configuration
        raise NotImplementedError


def test_the_gunicorn_configuration_uses_the_redacting_logger():
    cfg = GunicornConfig().cfg
    assert cfg.logger_class is RedactingGunicornLogger
    # Query strings and the Referer stay out of the format (searches, names).
    assert "%(q)s" not in cfg.access_log_format and "%(r)s" not in cfg.access_log_format
    assert "%(f)s" not in cfg.access_log_format and "%(U)s" in cfg.access_log_format


def test_the_dockerfile_runs_gunicorn_with_that_configuration():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert '"--config", "gunicorn.conf.py"' in dockerfile


@pytest.mark.parametrize("path", secret_urls())
def test_gunicorns_access_and_error_logs_carry_no_secret(path, capsys):
    cfg = GunicornConfig().cfg
    logger = cfg.logger_class(cfg)
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": path, "PATH_INFO": path,
               "QUERY_STRING": "", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "203.0.113.9",
               "HTTP_REFERER": f"https://portal.example.org{path}"}
    response = SimpleNamespace(status="302 Found", sent=0,
                               headers=[("Location", f"https://portal.example.org{path}")])
    request = SimpleNamespace(headers=[("REFERER", f"https://portal.example.org{path}")])
    logger.access(response, request, environ, datetime.timedelta(milliseconds=12))
    logger.exception("Error handling request %s", path)
    logger.error("Invalid request from ip=%s: %s", "203.0.113.9", f"GET {path}")
    out = capsys.readouterr()
    written = out.out + out.err
    assert "[redacted]" in out.out and "[redacted]" in out.err
    assert SECRET not in written


def test_every_access_log_atom_is_redacted():
    cfg = GunicornConfig().cfg
    logger = cfg.logger_class(cfg)
    path = secret_urls()[0]
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": path, "PATH_INFO": path,
               "QUERY_STRING": "", "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_REFERER": path}
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    atoms = logger.atoms(response, SimpleNamespace(headers=[("REFERER", path)]), environ,
                         datetime.timedelta(0))
    assert not [key for key, value in atoms.items() if SECRET in str(value)]


def handlers_reached(name: str) -> list[logging.Handler]:
    """The handlers a record logged on ``name`` goes through, following propagation."""
    found, logger = [], logging.getLogger(name)
    while logger is not None:
        found += logger.handlers
        logger = logger.parent if logger.propagate else None
    return found


@pytest.mark.parametrize("path", secret_urls())
def test_djangos_request_and_server_logs_carry_no_secret(path, rf):
    streams = [h for name in ("django.request", "django.server") for h in handlers_reached(name)
               if isinstance(h, logging.StreamHandler) and type(h) is not logging.FileHandler
               and not type(h).__module__.startswith("_pytest")]
    assert streams
    captured = io.StringIO()
    previous = [handler.setStream(captured) for handler in streams]
    try:
        log_response("Not Found: %s", path, response=HttpResponse(status=404),
                     request=rf.get(path))
        logging.getLogger("django.server").warning('"%s" %s %s', f"GET {path} HTTP/1.1",
                                                   "404", "179")
    finally:
        for handler, stream in zip(streams, previous, strict=True):
            handler.setStream(stream)
    written = captured.getvalue()
    assert "Not Found: " in written and "[redacted]" in written
    assert SECRET not in written
