"""Shared by the account recovery tests (tests/accounts/test_recovery_*.py)."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.test import Client, TestCase

from accounts.devices import OneTimeCodeDevice
from accounts.models import SecurityAnswer, User
from accounts.security_questions import hash_answer
from portal.models import Channel, OutboxMessage
from tests import factories
from tests.conftest import Person

NEW_PASSWORD = "Lighthouse-Keeper-7!"
DANA_MOBILE = "+16175550199"


class CommittingClient(Client):
    """A test client whose every request ends as in production: its transaction commits, so the
    work it hands to Celery after commit (the recovery emails) runs, in-process as without a
    broker. The tests' own transaction otherwise holds that work back."""

    def request(self, **request):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(**request)


def verify_email(user: User, email: str) -> EmailAddress:
    return EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)


def page(response) -> str:
    """The page, without the CSRF token (it is masked afresh for every response)."""
    body = response.content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)


def outbox(template: str):
    return OutboxMessage.objects.filter(template=template)


@pytest.fixture(name="dana")
def dana_fixture(practice):
    """A patient with no email: security questions, and a confirmed mobile number for codes."""
    chart = factories.make_chart(practice, "Dana", "Dunn", record_number="MRN-DANA-1")
    user = factories.make_user("dana-dunn")
    factories.grant(user, chart)
    SecurityAnswer.objects.create(user=user, question="first_pet",
                                  answer_hash=hash_answer("Biscuit"))
    SecurityAnswer.objects.create(user=user, question="first_school",
                                  answer_hash=hash_answer("Lincoln Elementary"))
    OneTimeCodeDevice.objects.create(user=user, name="sms", channel=Channel.SMS,
                                     destination=DANA_MOBILE, confirmed=True)
    return Person(user, chart)


def then_the_sign_in_code(client, response, to: str = DANA_MOBILE):
    """After Reset Password the sign-in code is still asked for; type it and return the
    response that follows (the home page's redirect)."""
    from tests.signin import latest_code

    assert response["Location"] == "/account/login/verify-code/"
    client.get(response["Location"])
    return client.post("/account/login/verify-code/", {"code": latest_code(to)})
