"""Small builders for test data. Each returns saved objects with sensible defaults."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from accounts.models import PortalAccess, Relationship, StaffRole, User
from accounts.staff import staff_membership_create
from portal.models import PatientChart, Practice

PASSWORD = "Correct-Horse-9!"
_seq = itertools.count(1)


def make_practice(name: str = "Harbor Family Practice", **fields: Any) -> Practice:
    n = next(_seq)
    return Practice.objects.create(name=name, slug=f"practice-{n}", **fields)


def make_chart(practice: Practice, first: str, last: str, **fields: Any) -> PatientChart:
    defaults: dict[str, Any] = {
        "record_number": f"MRN-{next(_seq):05d}",
        "date_of_birth": datetime.date(1985, 6, 15),
        "zip_code": "02139",
    }
    defaults.update(fields)
    return PatientChart.objects.create(
        practice=practice, first_name=first, last_name=last, **defaults
    )


def make_user(username: str, **fields: Any) -> User:
    user = User(username=username, **fields)
    user.set_password(PASSWORD)
    user.save()
    return user


def add_code_method(user: User, destination: str, channel: str = "email") -> Any:
    """A confirmed way to receive sign-in codes."""
    from accounts.devices import OneTimeCodeDevice

    return OneTimeCodeDevice.objects.create(user=user, name=channel, channel=channel,
                                            destination=destination, confirmed=True)


def grant(user: User, patient: PatientChart, relationship: str = Relationship.SELF,
          **fields: Any) -> PortalAccess:
    # Started long ago, so that tests may travel back in time (age-out dates) with it in force.
    fields.setdefault("starts_at", datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))
    return PortalAccess.objects.create(
        user=user, patient=patient, relationship=relationship, **fields
    )


def make_staff(username: str, practice: Practice, role: str = StaffRole.FRONT_DESK) -> User:
    user = make_user(username)
    add_code_method(user, f"{username}@practice.example")
    staff_membership_create(user=user, practice=practice, role=StaffRole(role))
    return user
