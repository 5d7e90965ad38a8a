"""The django-allauth pages the portal uses, under /account/, each with allauth's own URL name
(the templates in templates/account/ and the code reverse them).

Only these are routed. allauth's other pages would be ways round the portal's own rules:
"Manage email" (``account_email``) adds an address and makes it primary with no password asked,
and a confirmed address takes over sign-in codes by email — so addresses change only in Account
Settings, behind reauthentication. Sign-up is closed (accounts come from enrollment), every
account has a password (no "set password"), sign-in and reauthentication codes are the
portal's own (accounts/login_code.py). tests/portal/test_account_changes_need_reauthentication.py
places every address of the portal.
"""

from allauth.account import views
from django.urls import path, re_path

urlpatterns = [
    path("login/", views.login, name="account_login"),
    path("logout/", views.logout, name="account_logout"),
    path("inactive/", views.account_inactive, name="account_inactive"),
    path("reauthenticate/", views.reauthenticate, name="account_reauthenticate"),
    path("password/change/", views.password_change, name="account_change_password"),
    # "Forgot password?" by email (SPEC A3), the link valid for an hour.
    path("password/reset/", views.password_reset, name="account_reset_password"),
    path("password/reset/done/", views.password_reset_done, name="account_reset_password_done"),
    re_path(r"^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
            views.password_reset_from_key, name="account_reset_password_from_key"),
    path("password/reset/key/done/", views.password_reset_from_key_done,
         name="account_reset_password_from_key_done"),
    # The link sent to an address given at enrollment or asked for in Account Settings.
    re_path(r"^confirm-email/(?P<key>[-:\w]+)/$", views.confirm_email,
            name="account_confirm_email"),
]
