"""Check delivery settings: queue a test email and/or text through the outbox and workers."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction
from phonenumber_field.phonenumber import PhoneNumber

from portal.audit import audit_record
from portal.models import AuditAction
from portal.outbox import outbox_email, outbox_text


class Command(BaseCommand):
    help = "Queue a test email and/or text message through the outbox, to check delivery."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--email", help="address to send a test email to")
        parser.add_argument("--sms", help="mobile number to send a test text to")

    def handle(self, *args: Any, email: str | None, sms: str | None, **options: Any) -> None:
        if not email and not sms:
            raise CommandError("Give --email, --sms or both.")
        if email:
            try:
                validate_email(email)
            except ValidationError as exc:
                raise CommandError(f"Not an email address: {email}") from exc
        number = None
        if sms:
            number = PhoneNumber.from_string(sms, region="US")
            if not number.is_valid():
                raise CommandError(f"Not a valid phone number: {sms}")
        with transaction.atomic():
            queued = []
            if email:
                queued.append(outbox_email(to=email, template="test-message", context={}))
            if number is not None:
                queued.append(outbox_text(to=number.as_e164, template="test-message", context={}))
            audit_record(
                action=AuditAction.TEST_MESSAGE_SENT,
                extra={"outbox_ids": [m.pk for m in queued]},
            )
        for message in queued:
            message.refresh_from_db()
            self.stdout.write(
                f"{message.get_channel_display()} to {message.recipient}: {message.status}"
            )
