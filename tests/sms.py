"""A text-message backend for tests: remembers what it was asked to send."""

from __future__ import annotations

sent: list[dict[str, str]] = []


class RecordingSMSBackend:
    def send(self, *, to: str, body: str) -> None:
        sent.append({"to": to, "body": body})
