"""Every place that asks for a one-time code checks it the same way (accounts.code_check):
throttled per address and per account, audited, with the same words next to the field.
Account Settings used to check codes on their own: no rate limit, no audit, other words."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from accounts.code_check import TOO_MANY, WRONG_CODE
from portal.models import AuditAction, AuditEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

WRONG = "000000"


@pytest.fixture
def signed_in(signed_in):
    cache.clear()  # the sign-in's own code counted toward the shared limit
    return signed_in


@pytest.fixture
def mobile_to_verify(signed_in):
    signed_in.post("/account/settings/mobile/", {"mobile_phone": "(617) 555-0188"})
    return "/account/settings/mobile/verify/"


@pytest.fixture
def authenticator_to_set_up(signed_in):
    assert signed_in.get("/account/settings/authenticator/").status_code == 200
    return "/account/settings/authenticator/"


def _failures(user) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditAction.CODE_FAILED, actor=user))


@pytest.mark.parametrize(("entry", "purpose"), [
    ("mobile_to_verify", "mobile_verification"),
    ("authenticator_to_set_up", "authenticator_setup"),
])
def test_a_wrong_code_in_account_settings_is_audited_and_explained(
        request, signed_in, alice, entry, purpose):
    url = request.getfixturevalue(entry)
    response = signed_in.post(url, {"code": WRONG})
    assert response.status_code == 200
    assert WRONG_CODE.replace("'", "&#x27;") in response.content.decode()
    [failure] = _failures(alice.user)
    assert failure.extra == {"purpose": purpose}


@pytest.mark.parametrize("entry", ["mobile_to_verify", "authenticator_to_set_up"])
def test_account_settings_codes_share_the_sign_in_rate_limit(request, signed_in, alice, entry,
                                                            settings):
    # No per-device delay, so that only the shared rate limit (10 per account) can stop them.
    settings.OTP_CODE_THROTTLE_FACTOR = settings.OTP_TOTP_THROTTLE_FACTOR = 0
    url = request.getfixturevalue(entry)
    for _ in range(10):
        assert WRONG_CODE.replace("'", "&#x27;") in signed_in.post(
            url, {"code": WRONG}).content.decode()
    response = signed_in.post(url, {"code": WRONG})
    assert response.status_code == 200
    assert TOO_MANY in response.content.decode()
    assert len(_failures(alice.user)) == 10  # the eleventh was not even checked


def test_sign_in_says_the_same_words(client, alice):
    client.post("/account/login/", {"login": "alice-archer", "password": PASSWORD})
    client.get("/account/login/verify-code/")
    response = client.post("/account/login/verify-code/", {"code": WRONG})
    assert response.status_code == 200
    assert WRONG_CODE.replace("'", "&#x27;") in response.content.decode()
    [failure] = _failures(alice.user)
    assert failure.extra == {"purpose": "sign_in"}
