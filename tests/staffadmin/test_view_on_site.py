"""The console has no "view on site" redirect: Django's /staff/r/<content type>/<id>/ answers,
for any kind of object and any id, whether it exists (a redirect, or a 404)."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import NoReverseMatch, reverse

from portal.models import PatientChart
from tests.pages import assert_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator() -> Client:
    from tests import factories

    client = Client()
    client.force_login(factories.make_user("root-admin", is_staff=True, is_superuser=True))
    return client


def test_the_redirect_is_not_routed(operator, alice, charlie):
    with pytest.raises(NoReverseMatch):
        reverse("admin:view_on_site", args=[1, 1])
    chart_type = ContentType.objects.get_for_model(PatientChart).pk
    existing, missing = alice.chart.pk, charlie.chart.pk + 1000
    answers = {operator.get(f"/staff/r/{chart_type}/{pk}/").status_code
               for pk in (existing, missing)}
    assert answers == {404}


def test_no_console_page_offers_view_on_site(operator, alice):
    assert all(model_admin.view_on_site is False
               for model_admin in admin.site._registry.values())
    body = assert_page(operator.get(f"/staff/portal/patientchart/{alice.chart.pk}/change/"),
                       "admin/change_form.html")
    assert "viewsitelink" not in body
