"""The practice-scoped base classes of the staff console's model pages (SPEC T1): a staff
member sees and changes only their own practices' rows, another practice's object is a 404, and
a missing permission is a 403. Every permission is asked with the object, so that the staff
member's role in that object's practice answers (accounts/roles.py). Every staff change is
audited with the patient it is about."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.options import BaseModelAdmin
from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest

from accounts.models import User
from accounts.staff import staff_practices
from portal.audit import audit_record
from portal.models import AuditAction, PatientChart, Practice, Provider
from staffadmin.console_admin import ConsoleAdmin


def _patient_of(obj: models.Model) -> PatientChart | None:
    if isinstance(obj, PatientChart):
        return obj
    return getattr(obj, "patient", None)


def _practice_of(obj: models.Model) -> Practice | None:
    if isinstance(obj, Practice):
        return obj
    patient = _patient_of(obj)
    return patient.practice if patient is not None else getattr(obj, "practice", None)


class PracticePermissions(BaseModelAdmin):
    """Asks the view, change and delete permissions with the object (Django's own checks leave
    it out), for the role in its practice to answer; with no object — a list, the console's
    home — any of the staff member's roles answers. An inline is asked with its parent."""

    def perm_name(self, action: str) -> str:
        return f"{self.opts.app_label}.{get_permission_codename(action, self.opts)}"

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return (request.user.has_perm(self.perm_name("view"), obj)
                or request.user.has_perm(self.perm_name("change"), obj))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm(self.perm_name("change"), obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm(self.perm_name("delete"), obj)


class PracticeScopedAdmin(PracticePermissions, ConsoleAdmin):
    """Limits rows, lookups and choices to the practices the staff member belongs to, and
    where their role there allows it.

    ``practice_path`` is the lookup from this model to its Practice.
    """

    practice_path = "practice"

    def permitted_practices(self, request: HttpRequest, *actions: str) -> models.QuerySet:
        """The staff member's practices where their role allows one of ``actions`` on this
        model ("view", "add", "change"): all practices for a superuser."""
        return staff_practices(request.user, perms=[self.perm_name(a) for a in actions])

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        practices = self.permitted_practices(request, "view", "change")
        return qs.filter(**{f"{self.practice_path}__in": practices})

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            _audit_not_found(request, self.model, object_id)
            raise Http404
        return obj

    def get_object_for(
        self, request: HttpRequest, object_id: str, *, change: bool = True
    ) -> Any:
        """The object for one of this page's own actions: another practice's is a 404, and a
        staff member without the view (or change) permission gets a 403."""
        obj = self.get_object(request, object_id)
        allowed = (self.has_change_permission(request, obj) if change
                   else self.has_view_permission(request, obj))
        if not allowed:
            raise PermissionDenied
        return obj

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> Any:
        # The choices of a form that adds or changes this model: the practices where the role
        # allows that (a subclass's own choices stand).
        if not request.user.is_superuser:
            practices = self.permitted_practices(request, "add", "change")
            if db_field.related_model is Practice:
                kwargs.setdefault("queryset", practices)
            elif db_field.related_model is PatientChart:
                kwargs.setdefault("queryset", PatientChart.objects.filter(practice__in=practices))
            elif db_field.related_model is User:
                kwargs.setdefault("queryset", User.objects.filter(
                    portal_accesses__patient__practice__in=practices
                ).distinct())
            elif db_field.related_model is Provider:
                kwargs.setdefault("queryset", Provider.objects.filter(practice__in=practices))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _audit(self, request: HttpRequest, action: AuditAction, obj: models.Model) -> None:
        audit_record(
            action=action,
            request=request,
            patient=_patient_of(obj),
            practice=_practice_of(obj),
            obj=obj,
        )

    def log_addition(self, request: HttpRequest, obj: models.Model, message: Any) -> Any:
        self._audit(request, AuditAction.STAFF_ADDED, obj)
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: models.Model, message: Any) -> Any:
        self._audit(request, AuditAction.STAFF_CHANGED, obj)
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        for obj in queryset:
            self._audit(request, AuditAction.STAFF_DELETED, obj)
        return super().log_deletions(request, queryset)

    # Reads are audited too (DESIGN invariant 5): each object page shown, each search made.
    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "",
                    extra_context: dict[str, Any] | None = None) -> Any:
        response = super().change_view(request, object_id, form_url, extra_context)
        shown = getattr(response, "context_data", None) or {}
        obj = shown.get("original") if response.status_code == 200 else None
        if obj is not None:  # not through _audit, which a page may leave to its services
            audit_record(action=AuditAction.STAFF_VIEWED, request=request,
                         patient=_patient_of(obj), practice=_practice_of(obj), obj=obj)
        return response

    def changelist_view(self, request: HttpRequest,
                        extra_context: dict[str, Any] | None = None) -> Any:
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None and changelist.query:
            # That a search was made and how many results, never the words typed.
            audit_record(action=AuditAction.STAFF_SEARCHED, request=request,
                         practice=console_practice(request),
                         extra={"model": self.model._meta.label_lower,
                                "results": changelist.result_count})
        return response


def console_practice(request: HttpRequest) -> Practice | None:
    """The practice a console event with no object belongs to: the staff member's only one
    (None for a superuser, or for staff of several practices)."""
    practices = list(staff_practices(request.user)[:2])
    return practices[0] if len(practices) == 1 else None


def _audit_not_found(request: HttpRequest, model: type[models.Model], object_id: str) -> None:
    """A scoped lookup found nothing: another practice's object, or none at all. What was
    asked for is kept only when it is a plain number (an object's key)."""
    extra = {"where": "console", "model": model._meta.label_lower}
    if object_id.isascii() and object_id.isdigit() and len(object_id) <= 20:
        extra["object_id"] = object_id
    audit_record(action=AuditAction.ACCESS_NOT_FOUND, request=request,
                 practice=console_practice(request), extra=extra)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records nobody edits from the console: the audit trail, the outbox."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SuperuserOnlyAdmin(admin.ModelAdmin):
    """Pages for operators: invisible to practice staff whatever their permissions."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser
