from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class StaffConsoleConfig(admin_apps.AdminConfig):
    """Django's admin, with the practice-scoped staff console as its default site."""

    default = False
    default_site = "staffadmin.sites.StaffConsole"


class StaffAdminConfig(AppConfig):
    default = True
    name = "staffadmin"
    verbose_name = "Staff"
