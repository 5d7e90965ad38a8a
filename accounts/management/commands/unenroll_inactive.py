from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from accounts.unenrollment import accounts_due_for_unenrollment, inactive_accounts_unenroll


class Command(BaseCommand):
    help = ("Unenroll portal accounts not used for longer than their practices' inactivity "
            "period, and email each a notice (SPEC E11). Celery beat runs this daily.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true",
                            help="Only say how many accounts would be unenrolled.")

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        if dry_run:
            due = len(accounts_due_for_unenrollment())
            self.stdout.write(f"{due} account(s) would be unenrolled.")
            return
        unenrolled = inactive_accounts_unenroll()
        self.stdout.write(f"{unenrolled} account(s) unenrolled.")
