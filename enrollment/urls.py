from django.urls import path

from enrollment import views

app_name = "enrollment"

urlpatterns = [
    path("sign-up/<str:key>/", views.sign_up, name="sign_up"),
    path("identify/", views.identify, name="identify"),
    path("welcome/", views.welcome, name="welcome"),
    path("token/", views.enroll_with_token, name="token"),
    path("request/", views.request_access, name="request_access"),
    path("request/sent/", views.request_sent, name="request_sent"),
    path("new-account/", views.new_account, name="new_account"),
    path("register/", views.register, name="register"),
    path("security-details/", views.security_details, name="security_details"),
    path("verify/", views.verify, name="verify"),
]
