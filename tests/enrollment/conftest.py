from __future__ import annotations

import re

import pytest

from enrollment.models import InvitationKind
from enrollment.services import invitation_issue_and_send
from portal.models import OutboxMessage

GOOD_DETAILS = {
    "username": "Alice.Archer",
    "password1": "Blue-Harbor-42",
    "password2": "Blue-Harbor-42",
    "email": "alice@example.com",
    "mobile_phone": "(617) 555-0123",
    "question1": "first_pet",
    "answer1": "Biscuit",
    "question2": "first_school",
    "answer2": "Lincoln Elementary",
    "code_channel": "email",
}


@pytest.fixture
def new_patient(practice):
    """A chart with no account yet."""
    from tests import factories

    return factories.make_chart(practice, "Nora", "North", zip_code="02139",
                                notification_email="nora@example.com",
                                mobile_phone="+16175550111")


@pytest.fixture
def emailed_invitation(new_patient, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # deliver, as after a commit
        return invitation_issue_and_send(patient=new_patient, kind=InvitationKind.LINK,
                                         created_by=staff, email="nora@example.com",
                                         mobile_phone="+16175550111")


def latest_code(to: str) -> str:
    message = OutboxMessage.objects.filter(recipient=to, template="verification-code").first()
    return re.search(r"\b(\d{6})\b", message.body_text).group(1)


def sign_up_path_from_outbox(to: str) -> str:
    message = OutboxMessage.objects.filter(recipient=to, template="invitation",
                                           channel="email").first()
    return re.search(r"https?://[^/\s]+(/enroll/sign-up/[^\s]+/)", message.body_text).group(1)
