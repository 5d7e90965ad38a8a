"""Views that exist only for the door's tests: one per kind of requirement."""

from django.http import HttpResponse
from django.urls import include, path

from accounts.access import patient_object_or_404, patient_required
from accounts.models import PortalAccess, Right
from enrollment.models import Invitation
from portal.models import AuditEvent, OutboxMessage

# The patient-owned models, and one that is not (the door must refuse it loudly).
MODELS = {"access": PortalAccess, "invitation": Invitation, "event": AuditEvent,
          "outbox": OutboxMessage}


@patient_required(Right.MESSAGES)
def needs_messages(request):
    return HttpResponse(f"messages of {request.patient.pk}")


@patient_required(Right.APPOINTMENTS)
def needs_appointments(request):
    return HttpResponse(f"appointments of {request.patient.pk}")


@patient_required(Right.HEALTH_RECORD)
def access_detail(request, pk):
    access = patient_object_or_404(request, PortalAccess, pk=pk)
    return HttpResponse(f"access {access.pk} of {request.patient.pk}")


@patient_required(Right.HEALTH_RECORD)
def object_detail(request, kind, pk):
    obj = patient_object_or_404(request, MODELS[kind], pk=pk)
    return HttpResponse(f"{kind} {obj.pk} of {request.patient.pk}")


urlpatterns = [
    path("test/<str:kind>/<int:pk>/", object_detail),
    path("test/messages/", needs_messages),
    path("test/appointments/", needs_appointments),
    path("test/access/<int:pk>/", access_detail),
    path("", include("portal.urls")),
]
