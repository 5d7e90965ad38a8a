"""The enrollment requests queue (SPEC E3, T5): match a request to a chart, create a chart from
it (staffadmin/request_chart.py), or reject it."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.http import signed_in_user
from enrollment.access_requests import enrollment_request_approve, enrollment_request_reject
from enrollment.forms import ApproveRequestForm, RejectRequestForm
from enrollment.models import EnrollmentRequest, EnrollmentRequestStatus
from enrollment.services import InvitationRefused
from portal.models import PatientChart
from portal.record_numbers import record_number_preview
from staffadmin.minor_contact_warning import minor_contact_warnings_show
from staffadmin.request_chart import ChartFromRequestForm, RequestDecided, chart_from_request_create
from staffadmin.scoped_admin import PracticeScopedAdmin


class PendingFilter(admin.SimpleListFilter):
    title = gettext_lazy("status")
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("all", _("All"))] + [(s.value, s.label) for s in EnrollmentRequestStatus
                                      if s != EnrollmentRequestStatus.PENDING]

    def choices(self, changelist: Any) -> Any:
        yield {"selected": self.value() is None, "display": _("Pending"),
               "query_string": changelist.get_query_string(remove=[self.parameter_name])}
        for value, label in self.lookup_choices:
            yield {"selected": self.value() == value, "display": label,
                   "query_string": changelist.get_query_string({self.parameter_name: value})}

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "all":
            return queryset
        return queryset.filter(status=self.value() or EnrollmentRequestStatus.PENDING)


class EnrollmentRequestQueueMixin(PracticeScopedAdmin):
    """Read-only request pages with "Approve with this chart", "Create a chart from this
    request" and "Reject" actions."""

    list_title = gettext_lazy("Enrollment requests")
    list_display = ["created_at", "last_name", "first_name", "date_of_birth", "zip_code",
                    "status", "has_account"]
    list_display_links = ["last_name", "first_name"]
    list_filter = [PendingFilter]
    search_fields = ["last_name", "first_name", "email"]
    change_form_template = "staffadmin/enrollment_request.html"

    @admin.display(boolean=True, description=gettext_lazy("Has an account"))
    def has_account(self, obj: EnrollmentRequest) -> bool:
        return obj.user_id is not None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in EnrollmentRequest._meta.fields]

    def get_urls(self) -> list:
        wrap = self.admin_site.admin_view
        return [
            path("<path:object_id>/approve/", wrap(require_POST(self.approve_view)),
                 name="enrollment_enrollmentrequest_approve"),
            path("<path:object_id>/reject/", wrap(require_POST(self.reject_view)),
                 name="enrollment_enrollmentrequest_reject"),
            path("<path:object_id>/create-chart/", wrap(require_POST(self.create_chart_view)),
                 name="enrollment_enrollmentrequest_create_chart"),
            *super().get_urls(),
        ]

    def _pending(self, request: HttpRequest, object_id: str) -> EnrollmentRequest:
        return self.get_object_for(request, object_id)

    def candidates(self, obj: EnrollmentRequest, search: str = "") -> QuerySet[PatientChart]:
        charts = PatientChart.objects.filter(practice_id=obj.practice_id)
        search = search.replace("\x00", "").strip()  # PostgreSQL refuses NUL in a query
        if search:
            return charts.filter(last_name__icontains=search)[:20]
        return charts.filter(last_name__iexact=obj.last_name) | charts.filter(
            date_of_birth=obj.date_of_birth)

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "",
                    extra_context: dict | None = None) -> HttpResponse:
        obj = self.get_object(request, object_id)
        search = request.GET.get("q", "")[:100]
        can_create = request.user.has_perm("portal.add_patientchart", obj.practice)
        extra = {"title": _("Enrollment request"),
                 "candidates": self.candidates(obj, search), "search": search,
                 "reject_form": RejectRequestForm(), "request_obj": obj,
                 "can_create_chart": can_create,
                 "chart_form": ChartFromRequestForm(enrollment_request=obj)}
        if can_create:
            extra["next_record_number"] = record_number_preview(practice=obj.practice)
        return super().change_view(request, object_id, form_url,
                                   {**extra, **(extra_context or {})})

    def _request_page(self, request: HttpRequest, object_id: str, **forms: BaseForm
                      ) -> HttpResponse:
        """The request's page again, showing an action's form with its errors next to the
        field. It is shown as a GET would show it, so the admin's own form saves nothing."""
        page_request = copy.copy(request)
        page_request.method = "GET"
        return self.change_view(page_request, object_id, extra_context=forms)

    def _decided(self, request: HttpRequest, obj: EnrollmentRequest) -> HttpResponse | None:
        """A page left open while someone else decided: say so on the request's page."""
        if obj.status == EnrollmentRequestStatus.PENDING:
            return None
        messages.error(request, _("This request has already been decided."))
        return redirect(reverse("admin:enrollment_enrollmentrequest_change", args=[obj.pk]))

    def approve_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        obj = self._pending(request, object_id)
        if decided := self._decided(request, obj):
            return decided
        form = ApproveRequestForm(request.POST, enrollment_request=obj)
        if form.is_valid():
            chart = form.cleaned_data["patient"]
            try:
                enrollment_request_approve(enrollment_request=obj, patient=chart,
                                           staff=signed_in_user(request), request=request)
            except InvitationRefused as refused:
                form.add_error("patient", str(refused))
            else:
                messages.success(request, _("Approved and matched to %(chart)s. The requester "
                                            "has been emailed.") % {"chart": chart})
                minor_contact_warnings_show(request, chart=chart)
                return redirect(reverse("admin:enrollment_enrollmentrequest_changelist"))
        return self._request_page(request, object_id, approve_form=form)

    def reject_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        obj = self._pending(request, object_id)
        if decided := self._decided(request, obj):
            return decided
        form = RejectRequestForm(request.POST)
        if not form.is_valid():
            return self._request_page(request, object_id, reject_form=form)
        enrollment_request_reject(enrollment_request=obj, reason=form.cleaned_data["reason"],
                                  staff=signed_in_user(request), request=request)
        messages.success(request, _("Request rejected. The requester has been emailed."))
        return redirect(reverse("admin:enrollment_enrollmentrequest_changelist"))

    def create_chart_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        obj = self._pending(request, object_id)
        if not request.user.has_perm("portal.add_patientchart", obj.practice):
            raise PermissionDenied
        if decided := self._decided(request, obj):
            return decided
        form = ChartFromRequestForm(request.POST, enrollment_request=obj)
        if form.is_valid():
            try:
                chart = chart_from_request_create(
                    enrollment_request=obj, details=form.cleaned_data,
                    staff=signed_in_user(request), request=request)
            except RequestDecided:  # decided by someone else a moment ago
                messages.error(request, _("This request has already been decided."))
                return redirect(reverse("admin:enrollment_enrollmentrequest_change",
                                        args=[obj.pk]))
            except InvitationRefused as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, _(
                    "Chart %(chart)s created and the request approved with it. The requester "
                    "has been emailed.") % {"chart": chart})
                minor_contact_warnings_show(request, chart=chart)
                return redirect(reverse("admin:enrollment_enrollmentrequest_changelist"))
        return self._request_page(request, object_id, chart_form=form)
