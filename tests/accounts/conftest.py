from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress

from tests.signin import sign_in


@pytest.fixture
def signed_in(client, alice):
    """Alice, signed in through the real pages (password, then the code sent to her verified
    email): a fresh sign-in, so changes behind reauthentication go through at once."""
    EmailAddress.objects.create(user=alice.user, email="alice@example.com", verified=True,
                                primary=True)
    sign_in(client, "alice-archer", code_to="alice@example.com")
    return client
