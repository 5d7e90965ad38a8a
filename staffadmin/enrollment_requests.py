"""The enrollment requests queue (SPEC E3, T5): match a request to a chart, or reject it."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from enrollment.access_requests import enrollment_request_approve, enrollment_request_reject
from enrollment.forms import RejectRequestForm
from enrollment.models import EnrollmentRequest, EnrollmentRequestStatus
from portal.models import PatientChart


class PendingFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("all", "All")] + [(s.value, s.label) for s in EnrollmentRequestStatus
                                   if s != EnrollmentRequestStatus.PENDING]

    def choices(self, changelist: Any) -> Any:
        yield {"selected": self.value() is None, "display": "Pending",
               "query_string": changelist.get_query_string(remove=[self.parameter_name])}
        for value, label in self.lookup_choices:
            yield {"selected": self.value() == value, "display": label,
                   "query_string": changelist.get_query_string({self.parameter_name: value})}

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "all":
            return queryset
        return queryset.filter(status=self.value() or EnrollmentRequestStatus.PENDING)


class EnrollmentRequestQueueMixin:
    """Read-only request pages with "Approve with this chart" and "Reject" actions."""

    list_display = ["created_at", "last_name", "first_name", "date_of_birth", "zip_code",
                    "status", "has_account"]
    list_display_links = ["last_name", "first_name"]
    list_filter = [PendingFilter]
    search_fields = ["last_name", "first_name", "email"]
    change_form_template = "staffadmin/enrollment_request.html"

    @admin.display(boolean=True, description="Has an account")
    def has_account(self, obj: EnrollmentRequest) -> bool:
        return obj.user_id is not None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in EnrollmentRequest._meta.fields]

    def get_urls(self) -> list:
        wrap = self.admin_site.admin_view  # type: ignore[attr-defined]
        return [
            path("<path:object_id>/approve/", wrap(require_POST(self.approve_view)),
                 name="enrollment_enrollmentrequest_approve"),
            path("<path:object_id>/reject/", wrap(require_POST(self.reject_view)),
                 name="enrollment_enrollmentrequest_reject"),
            *super().get_urls(),  # type: ignore[misc]
        ]

    def _pending(self, request: HttpRequest, object_id: str) -> EnrollmentRequest:
        return self.get_object_for(request, object_id)  # type: ignore[attr-defined]

    def candidates(self, obj: EnrollmentRequest, search: str = "") -> QuerySet[PatientChart]:
        charts = PatientChart.objects.filter(practice_id=obj.practice_id)
        if search:
            return charts.filter(last_name__icontains=search.strip())[:20]
        return charts.filter(last_name__iexact=obj.last_name) | charts.filter(
            date_of_birth=obj.date_of_birth)

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "",
                    extra_context: dict | None = None) -> HttpResponse:
        obj = self.get_object(request, object_id)  # type: ignore[attr-defined]
        search = request.GET.get("q", "")[:100]
        extra = {"candidates": self.candidates(obj, search), "search": search,
                 "reject_form": RejectRequestForm(), "request_obj": obj}
        return super().change_view(request, object_id, form_url,  # type: ignore[misc]
                                   {**(extra_context or {}), **extra})

    def approve_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        obj = self._pending(request, object_id)
        try:  # a tampered form: no chart, the same answer as none chosen
            patient_id = int(request.POST.get("patient", ""))
        except ValueError:
            patient_id = 0
        chart = PatientChart.objects.filter(practice_id=obj.practice_id, pk=patient_id).first()
        if chart is None or obj.status != EnrollmentRequestStatus.PENDING:
            messages.error(request, "Choose one of this practice's charts for a pending request.")
            return redirect(reverse("admin:enrollment_enrollmentrequest_change", args=[obj.pk]))
        enrollment_request_approve(enrollment_request=obj, patient=chart, staff=request.user,
                                   request=request)
        messages.success(request, f"Approved and matched to {chart}. The requester has been "
                                  "emailed.")
        return redirect(reverse("admin:enrollment_enrollmentrequest_changelist"))

    def reject_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        obj = self._pending(request, object_id)
        form = RejectRequestForm(request.POST)
        if not form.is_valid() or obj.status != EnrollmentRequestStatus.PENDING:
            messages.error(request, "Give a reason to reject a pending request.")
            return redirect(reverse("admin:enrollment_enrollmentrequest_change", args=[obj.pk]))
        enrollment_request_reject(enrollment_request=obj, reason=form.cleaned_data["reason"],
                                  staff=request.user, request=request)
        messages.success(request, "Request rejected. The requester has been emailed.")
        return redirect(reverse("admin:enrollment_enrollmentrequest_changelist"))
