from __future__ import annotations

import pytest
from django.test import Client

from accounts.sessions import sessions_end_all
from portal.models import AuditAction, AuditEvent
from tests.pages import assert_page, assert_redirect, assert_refused
from tests.signin import signed_in_recently

pytestmark = pytest.mark.django_db


def test_signing_out_other_devices_keeps_this_one(alice):
    phone, laptop = Client(), Client()
    phone.force_login(alice.user)
    signed_in_recently(laptop, alice.user)
    response = laptop.post("/account/sessions/sign-out-other-devices/", follow=True)
    assert response.redirect_chain == [("/", 302)]
    assert_page(response, "portal/home.html", "signed out on every other device")
    assert_redirect(phone.get("/"), "/account/login/")  # back to sign-in
    assert_page(laptop.get("/"), "portal/home.html", "Welcome, Alice")
    assert AuditEvent.objects.filter(action=AuditAction.SIGNED_OUT_EVERYWHERE).exists()


def test_it_is_post_only(client, alice):
    client.force_login(alice.user)
    assert_refused(client.get("/account/sessions/sign-out-other-devices/"), 405,
                   "sign_out_other_devices")


def test_without_a_request_to_keep_every_session_ends(alice):
    device = Client()
    device.force_login(alice.user)
    assert_page(device.get("/"), "portal/home.html", "Welcome, Alice")
    sessions_end_all(user=alice.user)
    assert_redirect(device.get("/"), "/account/login/")
