"""Demo data for a first look: two practices, providers, staff and patients with sign-ins.

Idempotent: objects are found by their natural keys and created only when missing, so running it
again changes nothing (and never resets a password someone has changed).
"""

from __future__ import annotations

import datetime
from typing import Any

from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.access_changes import portal_access_grant
from accounts.devices import OneTimeCodeDevice
from accounts.models import Relationship, StaffRole, User
from accounts.staff import staff_membership_create
from portal.models import PatientChart, Practice, Provider

DEMO_PASSWORD = "Portal-Demo-2026!"  # noqa: S105 - published in the README on purpose

PRACTICES = [
    {
        "slug": "demo-family-medicine",
        "name": "Demo Family Medicine",
        "record_number_prefix": "DFM-",
        "time_zone": "America/New_York",
        "phone": "+16175550100",
        "email": "frontdesk@demofamilymedicine.example",
        "address": "200 Harbor Street, Suite 3, Cambridge, MA 02139",
        "providers": [
            ("Maya", "Patel", "MD", "Family Medicine"),
            ("James", "O'Connor", "DO", "Family Medicine"),
            ("Grace", "Kim", "NP", "Pediatrics"),
        ],
    },
    {
        "slug": "riverside-pediatrics",
        "name": "Riverside Pediatrics",
        "record_number_prefix": "RP-",
        "time_zone": "America/Chicago",
        "phone": "+13125550188",
        "email": "office@riversidepeds.example",
        "address": "48 River Road, Evanston, IL 60201",
        "providers": [("Ana", "Morales", "MD", "Pediatrics")],
    },
]

# record number, first, last, date of birth, sex, street, city, state, ZIP, mobile, email,
# guarantor's record number
PATIENTS = {
    "demo-family-medicine": [
        ("DFM-100231", "Emily", "Carter", "1984-03-14", "F", "17 Elm Street", "Cambridge", "MA",
         "02139", "+16175550123", "emily.carter@example.com", None),
        ("DFM-100458", "Marcus", "Bennett", "1979-11-02", "M", "9 Prospect Hill Road",
         "Somerville", "MA", "02143", "+16175550187", "marcus.bennett@example.com", None),
        ("DFM-100502", "Sarah", "Nguyen", "1986-07-21", "F", "42 Maple Avenue", "Medford", "MA",
         "02155", "+17815550144", "nguyen.family@example.com", None),
        ("DFM-100503", "Liam", "Nguyen", "2015-05-09", "M", "42 Maple Avenue", "Medford", "MA",
         "02155", "", "nguyen.family@example.com", "DFM-100502"),
        ("DFM-100504", "Ava", "Nguyen", "2019-09-30", "F", "42 Maple Avenue", "Medford", "MA",
         "02155", "", "nguyen.family@example.com", "DFM-100502"),
        ("DFM-100611", "Robert", "Hughes", "1950-01-27", "M", "3 Linden Court", "Arlington", "MA",
         "02474", "+17815550162", "", None),
        ("DFM-100645", "Olivia", "Martinez", "2009-12-03", "F", "88 Cedar Street", "Cambridge",
         "MA", "02140", "+16175550171", "martinez.home@example.com", "DFM-100646"),
        ("DFM-100646", "Daniel", "Martinez", "1975-04-18", "M", "88 Cedar Street", "Cambridge",
         "MA", "02140", "+16175550172", "martinez.home@example.com", None),
        ("DFM-100702", "Priya", "Shah", "1992-08-11", "F", "510 Beacon Street", "Boston", "MA",
         "02115", "+16175550119", "priya.shah@example.com", None),
    ],
    "riverside-pediatrics": [
        ("RP-2001", "Noah", "Johnson", "2016-02-14", "M", "12 Lake Shore Drive", "Evanston",
         "IL", "60202", "", "johnson.family@example.com", "RP-2002"),
        ("RP-2002", "Karen", "Johnson", "1983-10-05", "F", "12 Lake Shore Drive", "Evanston",
         "IL", "60202", "+13125550145", "johnson.family@example.com", None),
    ],
}

# username, first, last, email, [(record number, relationship)]
PATIENT_USERS = [
    ("demo-patient", "Emily", "Carter", "emily.carter@example.com",
     [("DFM-100231", Relationship.SELF)]),
    ("demo-other", "Marcus", "Bennett", "marcus.bennett@example.com",
     [("DFM-100458", Relationship.SELF)]),
    ("demo-guardian", "Sarah", "Nguyen", "nguyen.family@example.com",
     [("DFM-100502", Relationship.SELF), ("DFM-100503", Relationship.GUARDIAN),
      ("DFM-100504", Relationship.GUARDIAN)]),
]

# username, first, last, practice slug, role, job title, email for sign-in codes
STAFF_USERS = [
    ("demo-staff", "Tina", "Brooks", "demo-family-medicine", StaffRole.FRONT_DESK,
     "Front desk coordinator", "tina.brooks@demofamilymedicine.example"),
    ("demo-staff-2", "Luis", "Ortega", "riverside-pediatrics", StaffRole.FRONT_DESK,
     "Front desk", "luis.ortega@riversidepeds.example"),
]
ADMIN_EMAIL = "admin@portal.example"


class Command(BaseCommand):
    help = "Create the demo practices, providers, staff, patients and sign-ins (idempotent)."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        practices = {p["slug"]: self._practice(p) for p in PRACTICES}
        charts: dict[str, PatientChart] = {}
        for slug, rows in PATIENTS.items():
            for row in rows:
                charts[row[0]] = self._chart(practices[slug], row)
            for row in rows:
                if row[-1] and charts[row[0]].guarantor_id is None:
                    charts[row[0]].guarantor = charts[row[-1]]
                    charts[row[0]].save(update_fields=["guarantor"])

        for username, first, last, email, links in PATIENT_USERS:
            user = self._user(username, first, last, email)
            for record_number, relationship in links:
                # The grant keeps a live access as it is, and enrolls the patient's own chart.
                portal_access_grant(user=user, patient=charts[record_number],
                                    relationship=relationship, granted_by=None)

        for username, first, last, slug, role, title, email in STAFF_USERS:
            user = self._user(username, first, last, email)
            staff_membership_create(user=user, practice=practices[slug], role=role,
                                    job_title=title)

        admin = self._user("demo-admin", "Dana", "Admin", ADMIN_EMAIL)
        if not admin.is_superuser:
            admin.is_staff = admin.is_superuser = True
            admin.save(update_fields=["is_staff", "is_superuser"])

        self.stdout.write(self.style.SUCCESS(
            f"Demo data ready: {len(practices)} practices, {len(charts)} charts. "
            f"Sign in as demo-patient, demo-other, demo-guardian, demo-staff, demo-staff-2 or "
            f"demo-admin with the password {DEMO_PASSWORD}; the sign-in code arrives in the "
            f"development outbox (/dev/outbox/)."
        ))

    def _practice(self, data: dict[str, Any]) -> Practice:
        practice, _ = Practice.objects.get_or_create(
            slug=data["slug"],
            defaults={k: data[k] for k in ("name", "time_zone", "phone", "email", "address",
                                           "record_number_prefix")},
        )
        for first, last, credentials, specialty in data["providers"]:
            Provider.objects.get_or_create(
                practice=practice, first_name=first, last_name=last,
                defaults={"credentials": credentials, "specialty": specialty},
            )
        return practice

    def _chart(self, practice: Practice, row: tuple[Any, ...]) -> PatientChart:
        (record_number, first, last, born, sex, street, city, state, zip_code, mobile, email,
         _guarantor) = row
        chart, _ = PatientChart.objects.get_or_create(
            practice=practice,
            record_number=record_number,
            defaults={
                "first_name": first, "last_name": last,
                "date_of_birth": datetime.date.fromisoformat(born), "sex": sex,
                "address_line1": street, "city": city, "state": state, "zip_code": zip_code,
                "mobile_phone": mobile, "notification_email": email,
            },
        )
        return chart

    def _user(self, username: str, first: str, last: str, email: str) -> User:
        """The demo user, with a verified email that receives sign-in codes (readable in the
        development outbox)."""
        user = User.objects.with_username(username).first()
        if user is None:
            user = User(username=username, first_name=first, last_name=last, email=email)
            user.set_password(DEMO_PASSWORD)
            user.save()
        EmailAddress.objects.get_or_create(user=user, email=email,
                                           defaults={"verified": True, "primary": True})
        OneTimeCodeDevice.objects.get_or_create(
            user=user, channel="email", destination=email,
            defaults={"name": "email", "confirmed": True},
        )
        return user
