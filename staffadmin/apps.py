from django.apps import AppConfig, apps
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _

# The console's sections are named after the apps. Two of the libraries' names would confuse
# staff: allauth's "Accounts" (a second section of that name, beside the portal's own) and
# django-otp's "Otp_Totp". Their apps keep their labels; only the names shown change.
LIBRARY_SECTIONS = {
    "account": _("Sign-in email addresses"),
    "otp_totp": _("Authenticator apps"),
    "auth": _("Groups"),
}


class StaffConsoleConfig(admin_apps.AdminConfig):
    """Django's admin, with the practice-scoped staff console as its default site."""

    default = False
    default_site = "staffadmin.sites.StaffConsole"


class StaffAdminConfig(AppConfig):
    default = True
    name = "staffadmin"
    verbose_name = _("Staff console")

    def ready(self) -> None:
        for label, name in LIBRARY_SECTIONS.items():
            config = apps.app_configs.get(label)
            if config is not None:
                config.verbose_name = name
