"""Nobody in the staff console, not even a superuser, reads a person's authenticator-app seed:
with it they could make that person's codes. A superuser may still see that a device exists and
remove a lost one (each opening is audited: tests/staffadmin/test_console_reads_audited.py)."""

from __future__ import annotations

import base64

import pytest
from django.conf import settings
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
        assert response.status_code in {200, 403, 404}, (page, response.status_code)
        body = response.content.decode()
        for seed in seeds(device):
            assert seed not in body, page


def test_a_superuser_can_remove_a_lost_authenticator_app(operator, device):
    url = f"/staff/otp_totp/totpdevice/{device.pk}/delete/"
    assert operator.get(url).status_code == 200
    assert operator.post(url, {"post": "yes"}).status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()


def test_an_unknown_device_is_a_404_not_a_500(operator):
    for page in ("config", "qrcode"):
        response = operator.get(f"/staff/otp_totp/totpdevice/999999/{page}/")
        assert response.status_code == 404, (page, response.status_code)
    # The admin's own change page says so and goes back to the console's home.
    response = operator.get("/staff/otp_totp/totpdevice/999999/change/")
    assert response.status_code == 302


def test_django_otp_is_told_to_hide_seeds_wherever_it_shows_devices():
    assert settings.OTP_ADMIN_HIDE_SENSITIVE_DATA is True
