from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from enrollment.expiry import abandoned_accounts_retire, invitations_expire


class Command(BaseCommand):
    help = ("Mark expired enrollment tokens, invitation links and temporary passwords, and "
            "remove accounts whose enrollment was never finished.")

    def handle(self, *args: Any, **options: Any) -> None:
        expired = invitations_expire()
        abandoned = abandoned_accounts_retire()
        self.stdout.write(f"{expired} invitation(s) marked expired, "
                          f"{abandoned} unfinished account(s) retired.")
