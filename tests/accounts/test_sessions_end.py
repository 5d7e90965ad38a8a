from __future__ import annotations

import pytest
from django.test import Client

from accounts.sessions import sessions_end_all
from portal.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def test_signing_out_other_devices_keeps_this_one(alice):
    phone, laptop = Client(), Client()
    phone.force_login(alice.user)
    laptop.force_login(alice.user)
    response = laptop.post("/account/sessions/sign-out-other-devices/", follow=True)
    assert b"signed out on every other device" in response.content
    assert phone.get("/").status_code == 302  # back to sign-in
    assert laptop.get("/").status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.SIGNED_OUT_EVERYWHERE).exists()


def test_it_is_post_only(client, alice):
    client.force_login(alice.user)
    assert client.get("/account/sessions/sign-out-other-devices/").status_code == 405


def test_without_a_request_to_keep_every_session_ends(alice):
    device = Client()
    device.force_login(alice.user)
    sessions_end_all(user=alice.user)
    assert device.get("/").status_code == 302
