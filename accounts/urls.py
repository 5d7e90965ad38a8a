from django.urls import path

from accounts import views

urlpatterns = [
    path("switch/", views.switch_patient, name="switch_patient"),
    path("sessions/sign-out-other-devices/", views.sign_out_other_devices,
         name="sign_out_other_devices"),
]
