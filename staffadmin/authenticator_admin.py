"""The console's page of authenticator app devices: django-otp's own admin, with every opening
of a device audited (DESIGN invariant 5). A device's page and its QR code can show the secret
the person's app shares with the portal, so who looked, at whose, is kept."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.audit import audit_record
from portal.models import AuditAction
from staffadmin.console_admin import ConsoleAdmin


def _opened(request: HttpRequest, device: TOTPDevice, view: str, *, shown: bool) -> None:
    audit_record(action=AuditAction.AUTHENTICATOR_VIEWED, request=request,
                 subject_user=device.user, obj=device, extra={"view": view, "shown": shown})


class AuthenticatorDeviceAdmin(ConsoleAdmin, TOTPDeviceAdmin):
    list_title = _("Authenticator apps")
    # django-otp's help under the search box names the user model's fields; the box's own
    # label says what it does.
    search_help_text = None

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "",
                    extra_context: dict[str, Any] | None = None) -> Any:
        response = super().change_view(request, object_id, form_url, extra_context)
        device = (getattr(response, "context_data", None) or {}).get("original")
        if response.status_code == 200 and device is not None:
            _opened(request, device, "change", shown=True)
        return response

    def config_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._audited(request, pk, "config", super().config_view)

    def qrcode_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._audited(request, pk, "qrcode", super().qrcode_view)

    def _audited(self, request: HttpRequest, pk: int, view: str, show: Any) -> HttpResponse:
        # django-otp's views fail with a 500 on an unknown device: a 404 here.
        device = TOTPDevice.objects.select_related("user").filter(pk=pk).first()
        if device is None:
            raise Http404
        try:
            response: HttpResponse = show(request, pk)
        except PermissionDenied:  # the secret is hidden (OTP_ADMIN_HIDE_SENSITIVE_DATA)
            _opened(request, device, view, shown=False)
            raise
        _opened(request, device, view, shown=response.status_code == 200)
        return response
