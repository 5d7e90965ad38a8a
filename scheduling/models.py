from __future__ import annotations

from django.db import models


class Provider(models.Model):
    """A clinician of a practice whom patients see and message."""

    practice = models.ForeignKey(
        "records.Practice", on_delete=models.PROTECT, related_name="providers"
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    credentials = models.CharField(max_length=30, blank=True, help_text="MD, DO, NP, PA-C…")
    specialty = models.CharField(max_length=100, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        suffix = f", {self.credentials}" if self.credentials else ""
        return f"{self.first_name} {self.last_name}{suffix}"
