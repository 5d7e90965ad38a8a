"""Delivery backends for the outbox.

Email goes through Django's email backends (``EMAIL_URL``). Texts go through ``SMS_BACKEND``, a
dotted path to a class with ``send(to, body)``; a provider plugs in by writing such a class.
The development outbox backends deliver nowhere: the OutboxMessage row, shown at /dev/outbox/
when DEBUG is on, *is* the delivered message.
"""

from __future__ import annotations

import sys
from typing import Any, Protocol

from django.core.mail.backends.base import BaseEmailBackend


class SMSBackend(Protocol):
    def send(self, *, to: str, body: str) -> None: ...


class DevOutboxEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Any) -> int:
        return len(list(email_messages))


class DevOutboxSMSBackend:
    def send(self, *, to: str, body: str) -> None:
        return None


class ConsoleSMSBackend:
    def send(self, *, to: str, body: str) -> None:
        sys.stdout.write(f"Text message to {to}:\n{body}\n{'-' * 40}\n")
        sys.stdout.flush()
