"""Nobody in the staff console, not even a superuser, reads a person's authenticator-app seed:
with it they could make that person's codes. django-otp's own device pages are not part of the
console."""

from __future__ import annotations

import base64

import pytest
from django.conf import settings
from django.contrib import admin
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator() -> Client:
    client = Client()
    client.force_login(factories.make_user("root-admin", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def device(alice) -> TOTPDevice:
    return TOTPDevice.objects.create(user=alice.user, name="Authenticator app", confirmed=True)


def seeds(device: TOTPDevice) -> list[str]:
    return [device.key, base64.b32encode(device.bin_key).decode().rstrip("=")]


def test_no_console_page_shows_an_authenticator_seed(operator, alice, device):
    base = "/staff/otp_totp/totpdevice"
    pages = ["/staff/", f"/staff/accounts/user/{alice.user.pk}/change/", f"{base}/",
             f"{base}/{device.pk}/change/", f"{base}/{device.pk}/config/",
             f"{base}/{device.pk}/qrcode/", f"{base}/add/"]
    for page in pages:
        response = operator.get(page, follow=True)
        assert response.status_code in {200, 404}, (page, response.status_code)
        body = response.content.decode()
        for seed in seeds(device):
            assert seed not in body, page
    assert TOTPDevice not in admin.site._registry


def test_an_unknown_device_is_a_404_not_a_500(operator):
    for page in ("config", "qrcode", "change"):
        response = operator.get(f"/staff/otp_totp/totpdevice/999999/{page}/")
        assert response.status_code == 404, (page, response.status_code)


def test_django_otp_is_told_to_hide_seeds_wherever_it_shows_devices():
    assert settings.OTP_ADMIN_HIDE_SENSITIVE_DATA is True
