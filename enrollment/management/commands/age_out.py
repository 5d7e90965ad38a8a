from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from enrollment.age_out import guardian_accesses_age_out


class Command(BaseCommand):
    help = ("End the guardian accesses of patients who have turned 18, email each former "
            "guardian a notice and invite the new adult (SPEC P7). Celery beat runs this daily.")

    def handle(self, *args: Any, **options: Any) -> None:
        ended = guardian_accesses_age_out()
        self.stdout.write(f"{ended} guardian access(es) ended.")
