from django.urls import path

from accounts import views

urlpatterns = [
    path("switch/", views.switch_patient, name="switch_patient"),
]
