from django.urls import path

from enrollment import (
    invitation_views,
    registration_views,
    request_views,
    security_views,
    welcome_views,
)

app_name = "enrollment"

urlpatterns = [
    path("sign-up/<str:key>/", invitation_views.sign_up, name="sign_up"),
    path("identify/", invitation_views.identify, name="identify"),
    path("welcome/", welcome_views.welcome, name="welcome"),
    path("token/", invitation_views.enroll_with_token, name="token"),
    path("request/", request_views.request_access, name="request_access"),
    path("request/sent/", request_views.request_sent, name="request_sent"),
    path("new-account/", request_views.new_account, name="new_account"),
    path("register/", registration_views.register, name="register"),
    path("security-details/", security_views.security_details, name="security_details"),
    path("verify/", security_views.verify, name="verify"),
]
