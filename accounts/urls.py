from django.urls import path

from accounts import login_code_views, views

urlpatterns = [
    path("login/verify-code/", login_code_views.verify_code, name="account_verify_code"),
    path("switch/", views.switch_patient, name="switch_patient"),
    path("sessions/sign-out-other-devices/", views.sign_out_other_devices,
         name="sign_out_other_devices"),
]
