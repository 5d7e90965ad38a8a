"""Keyed digests of secrets (tokens, links, codes). Secrets are random, so one keyed hash is
enough: without SECRET_KEY a stolen table cannot even be checked against guesses offline."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings


def secret_digest(secret: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), secret.encode(), hashlib.sha256).hexdigest()


def secrets_match(secret: str, digest: str) -> bool:
    return bool(digest) and hmac.compare_digest(secret_digest(secret), digest)
