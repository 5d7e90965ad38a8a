"""The console's Portal accesses pages (SPEC T4): grant, change rights and end date, revoke —
each through accounts.access_changes, as every other screen does, so that the rules, the chart's
portal status and the audit trail are the same wherever staff do it.

An access keeps its person, chart and relationship for life: to move it, revoke it and grant a
new one. A revoked access stays on record, read-only; it is never brought back.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest

from accounts.access_changes import access_revoke, access_rights_change, portal_access_grant
from accounts.http import signed_in_user
from accounts.models import PortalAccess, Relationship, Right
from portal.models import AuditAction
from staffadmin.minor_contact_warning import minor_contact_warnings_show
from staffadmin.scoped_admin import PracticeScopedAdmin

RIGHT_FIELDS = tuple(f"right_{right.value}" for right in Right)
FOR_LIFE = ["user", "patient", "relationship", "starts_at"]
ON_RECORD = ["revoked_at", "revoked_by", "granted_by", "created_at"]


class PortalAccessForm(forms.ModelForm):
    revoke = forms.BooleanField(
        label="Revoke this access now", required=False,
        help_text="The person loses access from their next page. A revoked access stays on "
        "record and cannot be restored: grant a new one instead.",
    )

    class Meta:
        model = PortalAccess
        fields = ["user", "patient", "relationship", *RIGHT_FIELDS, "starts_at", "ends_at"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        user, patient = data.get("user"), data.get("patient")
        if self.instance.pk is None and user and patient and PortalAccess.objects.filter(
                user=user, patient=patient, revoked_at__isnull=True).exists():
            self.add_error("user", "This person already has access to this chart. Open that "
                                   "access to change it.")
        starts_at = data.get("starts_at") or self.instance.starts_at
        ends_at = data.get("ends_at")
        if ends_at is not None and starts_at is not None and ends_at <= starts_at:
            self.add_error("ends_at", "The end must be after the start.")
        return data

    def rights(self) -> list[str]:
        return [right.value for right in Right if self.cleaned_data.get(f"right_{right.value}")]


class PortalAccessChangesMixin(PracticeScopedAdmin):
    """The add and change pages of portal accesses, saved through the access services."""

    form = PortalAccessForm

    def get_fields(self, request: HttpRequest, obj: PortalAccess | None = None) -> list[Any]:
        fields: list[Any] = ["user", "patient", "relationship", RIGHT_FIELDS, "starts_at",
                             "ends_at"]
        return fields if obj is None else [*fields, "revoke", *ON_RECORD]

    def get_readonly_fields(self, request: HttpRequest, obj: PortalAccess | None = None
                            ) -> list[str]:
        return [] if obj is None else [*FOR_LIFE, *ON_RECORD]

    def has_change_permission(self, request: HttpRequest, obj: PortalAccess | None = None
                              ) -> bool:
        if obj is not None and obj.revoked_at is not None:
            return False  # on record only
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # revoke instead, so the trail of who had access stays

    def save_model(self, request: HttpRequest, obj: PortalAccess, form: PortalAccessForm,
                   change: bool) -> None:
        if not change:
            access = portal_access_grant(
                user=obj.user, patient=obj.patient, relationship=obj.relationship,
                granted_by=signed_in_user(request), request=request, rights=form.rights(),
                starts_at=obj.starts_at, ends_at=obj.ends_at)
            obj.pk = access.pk
            if access.relationship == Relationship.SELF:
                minor_contact_warnings_show(request, chart=access.patient)
        else:
            # The form has already written its values onto ``obj``: the services start from
            # the stored access, so that the audit trail says what it was before.
            access = PortalAccess.objects.select_related("patient", "user").get(pk=obj.pk)
            if form.cleaned_data.get("revoke"):
                access_revoke(access=access, actor=signed_in_user(request), request=request)
            elif (form.rights() != [r.value for r in access.rights]
                  or obj.ends_at != access.ends_at):
                access_rights_change(access=access, rights=form.rights(), ends_at=obj.ends_at,
                                     actor=signed_in_user(request), request=request)
        obj.refresh_from_db()

    def _audit(self, request: HttpRequest, action: AuditAction, obj: Any) -> None:
        """Nothing more: the services have audited the grant, change or revocation in their
        own words, about the person who has the access."""
