from django.urls import include, path

from accounts import account_settings_views as settings_views
from accounts import language_views, login_code_views, public_views, views

urlpatterns = [
    path("login/verify-code/", login_code_views.verify_code, name="account_verify_code"),
    path("login/start-again/", login_code_views.start_again, name="account_login_start_again"),
    path("new/", public_views.new_here, name="account_new_here"),
    path("language/", language_views.choose_language, name="account_language"),
    path("switch/", views.switch_patient, name="switch_patient"),
    path("recovery/", include("accounts.recovery_urls")),
    path("settings/", settings_views.account_settings, name="account_settings"),
    path("settings/username/", settings_views.change_username,
         name="account_settings_username"),
    path("settings/email/", settings_views.change_email, name="account_settings_email"),
    path("settings/mobile/", settings_views.change_mobile, name="account_settings_mobile"),
    path("settings/mobile/verify/", settings_views.verify_mobile,
         name="account_settings_mobile_verify"),
    path("settings/authenticator/", settings_views.authenticator_app,
         name="account_settings_authenticator"),
    path("settings/methods/remove/", settings_views.remove_method,
         name="account_settings_remove_method"),
    path("settings/security-questions/", settings_views.change_security_questions,
         name="account_settings_questions"),
    path("settings/notifications/", settings_views.notification_preferences,
         name="account_settings_notifications"),
    path("sessions/sign-out-other-devices/", views.sign_out_other_devices,
         name="sign_out_other_devices"),
    path("sessions/keepalive/", views.session_keepalive, name="session_keepalive"),
]
