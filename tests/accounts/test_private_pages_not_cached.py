"""Pages shown to a signed-in person are never stored by a browser or a shared cache (DESIGN
invariant 3): the back button on a shared computer, or a proxy, must not replay a patient's
record after sign-out."""

from __future__ import annotations

import pytest

from tests.pages import assert_page

pytestmark = pytest.mark.django_db


def assert_not_stored(response) -> None:
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"no-store", "private", "no-cache", "max-age=0"} <= directives, directives


def test_a_patient_page_is_not_stored(client, alice):
    client.force_login(alice.user)
    response = client.get("/")
    assert_page(response, "portal/home.html")
    assert_not_stored(response)
    assert_not_stored(client.get("/activity/"))


def test_an_account_settings_page_is_not_stored(client, alice):
    client.force_login(alice.user)
    response = client.get("/account/settings/")
    assert response.status_code == 200
    assert_not_stored(response)


def test_a_console_page_is_not_stored(client, staff, alice):
    client.force_login(staff)
    response = client.get(f"/staff/portal/patientchart/{alice.chart.pk}/change/")
    assert_page(response, "admin/change_form.html", "Archer")
    assert_not_stored(response)


def test_a_redirect_to_a_signed_in_person_is_not_stored_either(client, alice):
    client.force_login(alice.user)
    response = client.get("/account/login/")
    assert response.status_code == 302
    assert_not_stored(response)


def test_static_files_stay_cacheable(client):
    response = client.get("/static/css/portal.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
