"""Ending sessions (SPEC A5): "sign out of all devices", and after a password reset."""

from __future__ import annotations

from django.contrib.auth import update_session_auth_hash
from django.db.models import F
from django.http import HttpRequest

from accounts.models import User


def sessions_end_all(*, user: User, keep: HttpRequest | None = None) -> None:
    """End every session of ``user``; the one of ``keep`` (the request asking) survives.

    Raising the epoch changes the user's session hash, which Django checks on every request."""
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])
    if keep is not None and keep.user.is_authenticated and keep.user.pk == user.pk:
        update_session_auth_hash(keep, user)
