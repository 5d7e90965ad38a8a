"""The staff console's model pages: what each shows and which actions it carries. Every page is
scoped to the staff member's practices through ``PracticeScopedAdmin`` (staffadmin/scoped_admin.py);
another practice's object is a 404."""

from __future__ import annotations

from typing import Any

from allauth.account.admin import EmailAddressAdmin as AllauthEmailAddressAdmin
from allauth.account.models import EmailAddress
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.account_settings import password_change_record
from accounts.http import signed_in_user
from accounts.models import PortalAccess, Right, StaffMembership, StaffRole, User
from accounts.staff import staff_membership_save
from enrollment.models import EnrollmentRequest
from portal.models import AuditAction, AuditEvent, OutboxMessage, PatientChart, Practice, Provider
from staffadmin.age_out_report import AgeOutReportMixin
from staffadmin.authenticator_admin import AuthenticatorDeviceAdmin
from staffadmin.chart_page import ChartPageMixin, person_name
from staffadmin.console_admin import ConsoleAdmin
from staffadmin.date_drill_down import DateDrillDownMixin
from staffadmin.enrollment_actions import EnrollmentActionsMixin
from staffadmin.enrollment_requests import EnrollmentRequestQueueMixin
from staffadmin.family_management import FamilyManagementMixin
from staffadmin.minor_contact_warning import MinorContactWarningMixin
from staffadmin.reset_token_action import PasswordResetTokenMixin
from staffadmin.scoped_admin import (
    PracticeScopedAdmin,
    ReadOnlyAdmin,
    SuperuserOnlyAdmin,
)
from staffadmin.self_registration import SelfRegistrationMixin
from staffadmin.unenrollment_action import UnenrollmentActionsMixin


class PracticeForm(forms.ModelForm):
    adolescent_guardian_areas = forms.MultipleChoiceField(
        label=_("Areas guardians of adolescents (12 to 17) may see"),
        choices=Right.choices, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Used only when adolescent confidentiality is on."),
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
            _("Enrollment"),
            {"fields": [
                "invitation_email_days", "invitation_print_days", "enrollment_token_days",
            ]},
        ),
        (_("Record numbers of new charts"), {"fields": ["record_number_prefix",
                                                          "record_number_next"]}),
        (_("Printed instructions"), {"fields": ["print_instructions"]}),
        (_("Proxy access"), {"fields": ["adolescent_confidentiality",
                                        "adolescent_guardian_areas"]}),
        (_("Sign-in and access"), {"fields": ["session_timeout_minutes",
                                             "default_language", "inactivity_unenroll_days"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        if request.user.is_superuser:
            return Practice.objects.all()
        return self.permitted_practices(request, "view", "change")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(EnrollmentRequest)
class EnrollmentRequestAdmin(EnrollmentRequestQueueMixin, PracticeScopedAdmin):
    """Work queue: people asking for portal access (SPEC E3, T5)."""


@admin.register(PatientChart)
class PatientChartAdmin(ChartPageMixin, AgeOutReportMixin, FamilyManagementMixin,
                        MinorContactWarningMixin, PasswordResetTokenMixin,
                        UnenrollmentActionsMixin, SelfRegistrationMixin, EnrollmentActionsMixin,
                        PracticeScopedAdmin):
    list_title = _("Patients")
    list_display = ["last_name", "first_name", "record_number", "date_of_birth", "portal_status",
                    "needs_review"]
    list_display_links = ["last_name", "first_name"]
    list_filter = ["portal_status", "needs_review", "sex"]
    search_fields = ["last_name", "first_name", "record_number", "notification_email"]
    search_help_text = _("Find a patient by last name, first name, record number or email.")
    list_select_related = ["practice"]
    raw_id_fields = ["guarantor"]
    readonly_fields = ["portal_status", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["practice", "record_number", "portal_status", "needs_review"]}),
        (
            _("Patient"),
            {"fields": [
                "first_name", "middle_name", "last_name", "preferred_name", "date_of_birth", "sex",
            ]},
        ),
        (
            _("Contact"),
            {"fields": [
                "address_line1", "address_line2", "city", "state", "zip_code",
                "mobile_phone", "home_phone", "notification_email",
            ]},
        ),
        (_("Billing"), {"fields": ["guarantor"]}),
        (_("Dates"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # charts are part of the medical record: they are kept


@admin.register(PortalAccess)
class PortalAccessAdmin(ReadOnlyAdmin, PracticeScopedAdmin):
    """Who can open which chart, to look up. Access is given through Enable Portal Access and
    changed or revoked through Family Management (or the patient's own Representatives page),
    never by editing these rows: those pages apply the rules and tell the people concerned."""

    practice_path = "patient__practice"
    list_title = _("Portal access")
    list_display = ["person", "patient", "relationship", "starts_at", "ends_at", "revoked_at"]
    list_display_links = ["person"]
    list_filter = ["relationship"]
    search_fields = ["patient__last_name", "patient__first_name", "user__username"]
    search_help_text = _("Search by the patient's name or the person's username.")
    list_select_related = ["patient", "user"]
    fields = ("person", "patient", "relationship", "rights_list", "starts_at", "ends_at",
              "revoked_at", "granted_by_name")
    readonly_fields = fields

    @admin.display(description=_("person"), ordering="user__username")
    def person(self, obj: PortalAccess) -> str:
        # Plain text: the person's own page is for superusers only.
        return person_name(obj.user)

    @admin.display(description=_("access rights"))
    def rights_list(self, obj: PortalAccess) -> str:
        return ", ".join(str(right.label) for right in obj.rights) or str(_("None"))

    @admin.display(description=_("granted by"))
    def granted_by_name(self, obj: PortalAccess) -> str:
        return person_name(obj.granted_by) if obj.granted_by else "-"


@admin.register(StaffMembership)
class StaffMembershipAdmin(PracticeScopedAdmin):
    """Roles, saved through accounts.staff (which audits a role change). A membership keeps its
    person and practice: to move someone, end it and add one at the other practice. It is ended
    (not active), never deleted, so that the trail of who held which role stays."""

    list_title = _("Staff")
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


class AuditActionFilter(admin.SimpleListFilter):
    """The actions in the console's words, not their stored codes."""

    title = _("action")
    parameter_name = "action"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [(action.value, action.label) for action in AuditAction]

    def queryset(self, request: HttpRequest, queryset: models.QuerySet) -> models.QuerySet:
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(DateDrillDownMixin, ReadOnlyAdmin, PracticeScopedAdmin):
    list_title = _("Audit trail")
    list_display = ["created_at", "action_label", "actor", "patient", "ip_address"]
    list_filter = [AuditActionFilter]
    date_hierarchy = "created_at"
    search_fields = ["actor__username", "patient__last_name", "patient__record_number"]
    search_help_text = _("Search by username, the patient's last name or record number.")
    list_select_related = ["actor", "patient"]
    show_full_result_count = False

    @admin.display(description=_("action"), ordering="action")
    def action_label(self, obj: AuditEvent) -> str:
        return obj.action_label


@admin.register(OutboxMessage)
class OutboxMessageAdmin(SuperuserOnlyAdmin, ReadOnlyAdmin, ConsoleAdmin):
    """Delivery status, for operators. Bodies stay hidden: they hold links and codes."""

    list_display = ["created_at", "channel", "template", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel", "template"]
    exclude = ["body_text", "body_html"]


@admin.register(User)
class UserAdmin(SuperuserOnlyAdmin, ConsoleAdmin, DjangoUserAdmin):
    """Logins, for superusers. Staff manage people through the practice pages. What someone may
    do comes from their staff role (accounts/roles.py) and portal accesses, never from Django's
    groups and permissions, so those are not offered here."""

    list_title = _("Users")
    list_filter = ["is_staff", "is_superuser", "is_active"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name", "email", "language"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]

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


class EmailAddressAdmin(ConsoleAdmin, AllauthEmailAddressAdmin):
    """allauth's page of sign-in email addresses, in the console's words."""


# django-otp registers its own page for authenticator-app devices. This one audits each opening;
# the secret itself is never shown (OTP_ADMIN_HIDE_SENSITIVE_DATA), but a superuser can still
# remove a lost app for someone who has no other way to receive codes.
admin.site.unregister(TOTPDevice)
admin.site.register(TOTPDevice, AuthenticatorDeviceAdmin)
admin.site.unregister(EmailAddress)
admin.site.register(EmailAddress, EmailAddressAdmin)
# Groups grant nothing here (accounts/roles.py answers every permission from staff roles): a
# page to edit them would only mislead.
admin.site.unregister(Group)
