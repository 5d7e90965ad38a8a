"""The staff console's model pages: what each shows and which actions it carries. Every page is
scoped to the staff member's practices through ``PracticeScopedAdmin`` (staffadmin/scoped_admin.py);
another practice's object is a 404."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.account_settings import password_change_record
from accounts.http import signed_in_user
from accounts.models import PortalAccess, Right, StaffMembership, StaffRole, User
from accounts.staff import staff_membership_save
from enrollment.models import EnrollmentRequest
from portal.models import AuditEvent, OutboxMessage, PatientChart, Practice, Provider
from staffadmin.age_out_report import AgeOutReportMixin
from staffadmin.authenticator_admin import AuthenticatorDeviceAdmin
from staffadmin.date_drill_down import DateDrillDownMixin
from staffadmin.enrollment_actions import EnrollmentActionsMixin
from staffadmin.enrollment_requests import EnrollmentRequestQueueMixin
from staffadmin.family_management import FamilyManagementMixin
from staffadmin.minor_contact_warning import MinorContactWarningMixin
from staffadmin.portal_access_admin import PortalAccessChangesMixin
from staffadmin.reset_token_action import PasswordResetTokenMixin
from staffadmin.scoped_admin import (
    PracticePermissions,
    PracticeScopedAdmin,
    ReadOnlyAdmin,
    SuperuserOnlyAdmin,
)
from staffadmin.self_registration import SelfRegistrationMixin
from staffadmin.unenrollment_action import UnenrollmentActionsMixin


class PracticeForm(forms.ModelForm):
    adolescent_guardian_areas = forms.MultipleChoiceField(
        label="Areas guardians of adolescents (12 to 17) may see",
        choices=Right.choices, required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Used only when adolescent confidentiality is on.",
    )

    class Meta:
        model = Practice
        # The admin passes the fields of PracticeAdmin.fieldsets; these are the form's own.
        fields = ["adolescent_confidentiality", "adolescent_guardian_areas"]


@admin.register(Practice)
class PracticeAdmin(PracticeScopedAdmin):
    form = PracticeForm
    practice_path = "pk"
    list_display = ["name", "time_zone", "phone"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "time_zone", "phone", "email", "address"]}),
        (
            "Enrollment",
            {"fields": [
                "invitation_email_days", "invitation_print_days", "enrollment_token_days",
            ]},
        ),
        ("Printed instructions", {"fields": ["print_instructions"]}),
        ("Proxy access", {"fields": ["adolescent_confidentiality",
                                     "adolescent_guardian_areas"]}),
        ("Accounts", {"fields": ["session_timeout_minutes", "inactivity_unenroll_days"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        if request.user.is_superuser:
            return Practice.objects.all()
        return self.permitted_practices(request, "view", "change")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PortalAccessInline(PracticePermissions, admin.TabularInline):
    model = PortalAccess
    fk_name = "patient"
    extra = 0
    can_delete = False
    fields = readonly_fields = ("user", "relationship", "starts_at", "ends_at", "revoked_at")
    verbose_name_plural = "Portal access"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        return super().get_queryset(request).select_related("user")


@admin.register(EnrollmentRequest)
class EnrollmentRequestAdmin(EnrollmentRequestQueueMixin, PracticeScopedAdmin):
    """Work queue: people asking for portal access (SPEC E3, T5)."""


@admin.register(PatientChart)
class PatientChartAdmin(AgeOutReportMixin, FamilyManagementMixin, MinorContactWarningMixin,
                        PasswordResetTokenMixin, UnenrollmentActionsMixin,
                        SelfRegistrationMixin, EnrollmentActionsMixin, PracticeScopedAdmin):
    list_display = ["last_name", "first_name", "record_number", "date_of_birth", "portal_status",
                    "needs_review"]
    list_display_links = ["last_name", "first_name"]
    list_filter = ["portal_status", "needs_review", "sex"]
    search_fields = ["last_name", "first_name", "record_number", "notification_email"]
    list_select_related = ["practice"]
    raw_id_fields = ["guarantor"]
    readonly_fields = ["portal_status", "created_at", "updated_at"]
    inlines = [PortalAccessInline]
    fieldsets = [
        (None, {"fields": ["practice", "record_number", "portal_status", "needs_review"]}),
        (
            "Patient",
            {"fields": [
                "first_name", "middle_name", "last_name", "preferred_name", "date_of_birth", "sex",
            ]},
        ),
        (
            "Contact",
            {"fields": [
                "address_line1", "address_line2", "city", "state", "zip_code",
                "mobile_phone", "home_phone", "notification_email",
            ]},
        ),
        ("Billing", {"fields": ["guarantor"]}),
        ("History", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # charts are part of the medical record: they are kept


@admin.register(PortalAccess)
class PortalAccessAdmin(PortalAccessChangesMixin, PracticeScopedAdmin):
    practice_path = "patient__practice"
    list_display = [
        "patient", "user", "relationship", "starts_at", "ends_at", "revoked_at",
    ]
    list_filter = ["relationship"]
    search_fields = ["patient__last_name", "patient__first_name", "user__username"]
    list_select_related = ["patient", "user"]
    raw_id_fields = ["user", "patient"]


@admin.register(StaffMembership)
class StaffMembershipAdmin(PracticeScopedAdmin):
    """Roles, saved through accounts.staff (which audits a role change). A membership keeps its
    person and practice: to move someone, end it and add one at the other practice. It is ended
    (not active), never deleted, so that the trail of who held which role stays."""

    list_display = ["user", "practice", "role", "job_title", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "job_title"]
    list_select_related = ["user", "practice"]
    raw_id_fields = ["user"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [] if obj is None else ["user", "practice"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> Any:
        if db_field.name == "user" and not request.user.is_superuser:
            kwargs["queryset"] = User.objects.filter(
                staff_memberships__practice__in=self.permitted_practices(request, "add")
            ).distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: StaffMembership, form: Any,
                   change: bool) -> None:
        saved = staff_membership_save(
            user=obj.user, practice=obj.practice, role=StaffRole(obj.role),
            job_title=obj.job_title, is_active=obj.is_active, actor=signed_in_user(request),
            request=request)
        obj.pk = saved.pk
        obj.refresh_from_db()


@admin.register(Provider)
class ProviderAdmin(PracticeScopedAdmin):
    list_display = ["last_name", "first_name", "credentials", "specialty", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["last_name", "first_name"]


@admin.register(AuditEvent)
class AuditEventAdmin(DateDrillDownMixin, ReadOnlyAdmin, PracticeScopedAdmin):
    list_display = ["created_at", "action_label", "actor", "patient", "ip_address"]
    list_filter = ["action"]
    date_hierarchy = "created_at"
    search_fields = ["actor__username", "patient__last_name", "patient__record_number"]
    list_select_related = ["actor", "patient"]
    show_full_result_count = False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(SuperuserOnlyAdmin, ReadOnlyAdmin):
    """Delivery status, for operators. Bodies stay hidden: they hold links and codes."""

    list_display = ["created_at", "channel", "template", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel", "template"]
    exclude = ["body_text", "body_html"]


@admin.register(User)
class UserAdmin(SuperuserOnlyAdmin, DjangoUserAdmin):
    """Logins, for superusers. Staff manage people through the practice pages."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> Any:
        """A superuser setting someone's password: audited, and the person told."""
        target = User.objects.filter(pk=id).first() if id.isascii() and id.isdigit() else None
        before = target.password if target is not None else None
        response = super().user_change_password(request, id, form_url)
        if target is not None:
            target.refresh_from_db(fields=["password"])
            if target.password != before:
                password_change_record(user=target, request=request, where="console",
                                       by=signed_in_user(request))
        return response


# django-otp registers its own page for authenticator-app devices. This one audits each opening;
# the secret itself is never shown (OTP_ADMIN_HIDE_SENSITIVE_DATA), but a superuser can still
# remove a lost app for someone who has no other way to receive codes.
admin.site.unregister(TOTPDevice)
admin.site.register(TOTPDevice, AuthenticatorDeviceAdmin)
