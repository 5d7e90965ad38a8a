"""The kernel's models: the practice and its people, the patient chart, the audit trail and the
outbox. Every other app builds on these and none of these knows about any other app."""

from portal.models.audit import AuditAction, AuditEvent
from portal.models.charts import PatientChart, PortalStatus, Sex
from portal.models.outbox import Channel, OutboxMessage, OutboxStatus
from portal.models.practices import (
    TIME_ZONE_CHOICES,
    Practice,
    Provider,
    default_adolescent_guardian_areas,
    zip_code_validator,
)

__all__ = [
    "TIME_ZONE_CHOICES",
    "AuditAction",
    "AuditEvent",
    "Channel",
    "OutboxMessage",
    "OutboxStatus",
    "PatientChart",
    "PortalStatus",
    "Practice",
    "Provider",
    "Sex",
    "default_adolescent_guardian_areas",
    "zip_code_validator",
]
