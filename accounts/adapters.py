from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter


class PortalAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: Any) -> bool:
        # Accounts are created only through the enrollment flows, which tie a login to a chart.
        return False
