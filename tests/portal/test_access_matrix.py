"""The access matrix (issue "Proxy access", SPEC P4/P7): every patient-facing URL, for every kind
of person, gets the status the rules promise.

The URLs come from the URL configuration: any view behind ``patient_required`` (it marks the
view with ``portal_right`` and ``portal_own_record``) joins the matrix by itself. Arguments in a
route are filled with the code of a representative's access of the patient, the one kind of
object that patient pages take today.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from accounts.models import PortalAccess, Relationship, Right
from accounts.proxy_rules import access_in_force, effective_rights, is_own_adult_record
from portal.models import AuditAction, AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db

REACHED = {200, 405}  # 405: a POST-only view, reached with GET: the door let the person in


def patient_routes(resolver: URLResolver | None = None, prefix: str = "") -> list[tuple]:
    routes = []
    for entry in (resolver or get_resolver()).url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            routes += patient_routes(entry, pattern)
        elif isinstance(entry, URLPattern) and hasattr(entry.callback, "portal_right"):
            routes.append((pattern, entry.callback))
    return routes


@dataclass
class Persona:
    name: str
    access: PortalAccess | None  # the person's only access (None: unrelated)


@pytest.fixture
def personas(practice, alice):
    practice.adolescent_confidentiality = True
    practice.save()
    teen = factories.make_chart(practice, "Tia", "Teen", date_of_birth=datetime.date(2012, 2, 2))
    grown = factories.make_chart(practice, "Gus", "Grown", date_of_birth=datetime.date(2001, 1, 1))
    now = timezone.now()

    def person(name: str, patient, relationship, **fields) -> Persona:
        user = factories.make_user(name)
        return Persona(name, factories.grant(user, patient, relationship, **fields))

    no_messages = {"right_messages": False}
    return [
        Persona("self", alice.access),
        person("guardian-of-teen", teen, Relationship.GUARDIAN),
        person("representative", alice.chart, Relationship.TRUSTED_REPRESENTATIVE),
        person("representative-no-messages", alice.chart, Relationship.TRUSTED_REPRESENTATIVE,
               **no_messages),
        person("revoked", alice.chart, Relationship.TRUSTED_REPRESENTATIVE, revoked_at=now),
        person("expired", alice.chart, Relationship.TRUSTED_REPRESENTATIVE,
               ends_at=now - datetime.timedelta(days=1)),
        person("aged-out-guardian", grown, Relationship.GUARDIAN),
        Persona("unrelated", None),
    ]


def expected(persona: Persona, callback) -> set[int]:
    access = persona.access
    if access is None or not access.is_current() or not access_in_force(access):
        return {404}
    if callback.portal_own_record and not is_own_adult_record(access):
        return {404}
    right = callback.portal_right
    if right is not None and Right(right) not in effective_rights(access):
        return {403}
    return REACHED


def test_every_patient_page_answers_every_kind_of_person_as_promised(client, personas, alice):
    routes = patient_routes()
    assert len(routes) >= 5, "the matrix found too few patient pages to mean anything"
    other_access = PortalAccess.objects.filter(patient=alice.chart).exclude(
        relationship=Relationship.SELF).first()
    failures = []
    for persona in personas:
        user = persona.access.user if persona.access else factories.make_user("nobody-here")
        client.force_login(user)
        for route, callback in routes:
            url = "/" + re.sub(r"<(?:[^:>]+:)?[^>]+>", str(other_access.code), route)
            denials = AuditEvent.objects.filter(action=AuditAction.ACCESS_NOT_FOUND, actor=user)
            before = denials.count()
            status = client.get(url).status_code
            if status not in expected(persona, callback):
                failures.append(f"{persona.name} GET {url}: {status}, expected "
                                f"{sorted(expected(persona, callback))}")
            if denials.count() != before + (status == 404):  # every door 404 is audited
                failures.append(f"{persona.name} GET {url}: {status}, "
                                f"{denials.count() - before} denials audited")
    assert not failures, "\n".join(failures)
