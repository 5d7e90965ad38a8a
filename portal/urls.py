from django.contrib import admin
from django.urls import include, path

from portal import home
from portal import views as portal_views
from records import views as records_views

urlpatterns = [
    path("", home.home, name="home"),
    path("activity/", records_views.activity, name="activity"),
    path("account/", include("accounts.allauth_urls")),
    path("account/", include("accounts.urls")),
    path("account/representatives/", include("enrollment.representative_urls")),
    path("enroll/", include("enrollment.urls")),
    path("staff/", admin.site.urls),
    path("dev/outbox/", portal_views.dev_outbox, name="dev_outbox"),
    path("healthz", portal_views.healthz, name="healthz"),
    path("favicon.ico", portal_views.favicon),
]
