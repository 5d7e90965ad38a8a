"""Secrets that travel in URL paths never reach a log (DESIGN invariant 2).

Three links carry their secret in the path, where every access log keeps it: the invitation's
"Sign Up" link, allauth's password reset link and its email confirmation link. Each log line
has that path segment replaced with ``[redacted]``: gunicorn's access and error logs through
``RedactingGunicornLogger`` (``logger_class`` in gunicorn.conf.py), Django's own request logging
(``django.request``, runserver's ``django.server``) through ``SecretPathFilter`` on the handlers
of ``LOGGING`` in portal/settings.py.

The prefixes are written out here, not read from the URL configuration: gunicorn loads this
module before Django is set up. tests/portal/test_log_redaction.py builds each address with
``reverse()``, so a route that moves fails there.
"""

from __future__ import annotations

import datetime
import logging
import re
from typing import Any

from gunicorn import glogging

_SEGMENT = r"[^/?#\s\"']+"  # one path segment: up to a slash, query, fragment, space or quote
# Each link's prefix, and the pattern of the secret segment after it.
SECRET_PATHS = (
    ("/enroll/sign-up/", _SEGMENT),  # enrollment:sign_up, the invitation link's key
    # account_reset_password_from_key: <uidb36>-<key>, or <uidb36>-set-password once allauth
    # has moved the key into the session. Its neighbour .../key/done/ has no dash.
    ("/account/password/reset/key/", rf"[0-9A-Za-z]+-{_SEGMENT}"),
    ("/account/confirm-email/", _SEGMENT),  # account_confirm_email, the confirmation key
)
REDACTED = "[redacted]"

# A prefix anywhere in the text (a path, a request line, a full address in a Referer or a
# Location header), then its secret segment.
_SECRET_SEGMENT = re.compile(
    "|".join(f"(?<={re.escape(prefix)}){segment}" for prefix, segment in SECRET_PATHS)
)


def redact_secret_paths(text: str) -> str:
    """``text`` with the secret segment of each of those links replaced by ``[redacted]``."""
    return _SECRET_SEGMENT.sub(REDACTED, text)


def _redacted(value: Any) -> Any:
    return redact_secret_paths(value) if isinstance(value, str) else value


class SecretPathFilter(logging.Filter):
    """Redacts the message and its arguments of every record a handler writes (Django logs a
    404 as ``"Not Found: %s", path``; runserver logs the request line as an argument)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = _redacted(record.msg)
        if isinstance(record.args, dict):
            record.args = {key: _redacted(value) for key, value in record.args.items()}
        elif isinstance(record.args, tuple):
            record.args = tuple(_redacted(arg) for arg in record.args)
        return True


_FILTER = SecretPathFilter()


class RedactingGunicornLogger(glogging.Logger):
    """gunicorn's logger, writing redacted paths: every value an access log format can name
    (the path, the request line, the Referer, a Location header...) and every error log
    message ("Error handling request /enroll/sign-up/...")."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        self.error_log.addFilter(_FILTER)  # the same instance: a reload does not add it twice

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any],
              request_time: datetime.timedelta) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        return {key: _redacted(value) for key, value in atoms.items()}
