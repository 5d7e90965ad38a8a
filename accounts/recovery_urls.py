"""Account recovery (SPEC A2, A3b, A3c), under /account/recovery/: "Forgot username or
password?" first, which leads to each way. "Forgot password?" by email is allauth's
/account/password/reset/."""

from django.urls import path

from accounts import recovery_views as views

app_name = "recovery"

urlpatterns = [
    path("", views.recovery_start, name="start"),
    path("username/", views.forgot_username, name="forgot_username"),
    path("username/sent/", views.username_sent, name="username_sent"),
    path("security-questions/", views.security_questions_start,
         name="security_questions_start"),
    path("security-questions/answers/", views.security_questions, name="security_questions"),
    path("token/", views.reset_token, name="reset_token"),
    path("reset-password/", views.reset_password, name="reset_password"),
]
