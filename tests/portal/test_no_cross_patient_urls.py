"""Signed in as demo-other, nothing of demo-patient can be reached by any URL.

The URLs come from the URL configuration itself, so every page added later joins this test;
each argument a pattern takes is filled with the ids and codes of demo-patient's own objects.
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.models import PortalAccess, Relationship, User
from enrollment.models import Invitation
from enrollment.representatives import representative_invite
from tests import factories
from tests.pages import assert_page

pytestmark = pytest.mark.django_db

SECRETS = ["Emily", "Carter", "DFM-100231", "emily.carter@example.com", "1984"]


def all_routes(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    routes = []
    for entry in (resolver or get_resolver()).url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            routes += all_routes(entry, pattern)
        elif isinstance(entry, URLPattern):
            routes.append(pattern)
    return routes


def concrete_urls(route: str, ids: list[str]) -> list[str]:
    """Turn a route (path() or regex syntax) into URLs, each argument filled with an id."""
    route = route.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\/", "/")
    if not re.search(r"<[^>]+>|\(\?P<", route):
        return [f"/{route}"]
    urls = []
    for value in ids:
        filled = re.sub(r"<(?:[^:>]+:)?[^>]+>", str(value), route)
        filled = re.sub(r"\(\?P<[^>]+>[^)]*\)", str(value), filled)
        if not re.search(r"[\\()\[\]*+?]", filled):
            urls.append(f"/{filled}")
    return urls


def test_demo_other_cannot_reach_demo_patient(client):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    patient = User.objects.get(username="demo-patient")
    chart = patient.portal_accesses.get().patient
    # Someone acting for her, and someone invited to: objects the Representatives page addresses.
    factories.grant(factories.make_user("emilys-helper"), chart,
                    Relationship.TRUSTED_REPRESENTATIVE)
    representative_invite(patient=chart, relationship=Relationship.CARE_MANAGER,
                          first_name="Carl", last_name="Case", email="carl@example.com",
                          rights=["billing"], ends_at=None, invited_by=patient)
    accesses = list(patient.portal_accesses.all())
    proxies = list(PortalAccess.objects.filter(patient__in=[a.patient_id for a in accesses]))
    invitations = list(Invitation.objects.filter(patient__in=[a.patient_id for a in accesses]))
    ids = sorted({str(patient.pk)} | {str(a.pk) for a in accesses}
                 | {str(a.patient_id) for a in accesses}
                 | {str(o.code) for o in [*accesses, *proxies, *invitations]})
    # What the walk looks for is on demo-patient's own pages: its absence below means something.
    owner = Client()
    owner.force_login(patient)
    assert_page(owner.get("/"), "portal/home.html", *SECRETS[:3])
    client.force_login(User.objects.get(username="demo-other"))
    checked = opened = 0
    for route in all_routes():
        for url in concrete_urls(route, ids):
            response = client.get(url, follow=True)
            opened += response.status_code == 200
            raw = (b"".join(response.streaming_content) if response.streaming
                   else response.content)
            body = raw.decode(errors="replace")
            for secret in SECRETS:
                assert secret not in body, f"{url} shows {secret!r}"
            checked += 1
    assert checked > 40  # the URL configuration was really walked
    assert opened > 20  # and demo-other really got in: not a wall of error pages
