"""The frame around every page of the portal (templates/base.html): the main navigation, and the
people whose records the signed-in person may open, for the banner and switching.

Composition: the navigation shows a section only where the door (accounts.access) would let the
person in, so this asks each section's view what it declares to the door; the base template only
renders what this hands it. A template context processor (settings.TEMPLATES), so every page
gets it; it costs no query of its own (the accesses are the door's, resolved once a request).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import resolve, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.access import available_accesses, get_active_access, view_lets_in
from accounts.models import PortalAccess, Relationship
from portal.models import PatientChart

# How many colours the initials' circles have (portal.css: .person-badge.colour-1 … colour-8,
# each with white text at 4.5:1 or more).
PALETTE_SIZE = 8


@dataclass(frozen=True)
class Section:
    """A section of the main navigation: its page, and the pages that belong to it (URL names,
    or their beginnings followed by "_"), on which its link is marked as the current one."""

    url_name: str
    label: str | Promise
    pages: tuple[str, ...]

    def holds(self, url_name: str) -> bool:
        return any(url_name == page or url_name.startswith(page + "_") for page in self.pages)


SECTIONS = (
    Section("home", _("Home"), ("home",)),
    Section("representatives", _("Representatives"), ("representatives", "representative")),
    Section("activity", _("Activity"), ("activity",)),
    Section("account_settings", _("Account Settings"), (
        "account_settings", "account_change_password", "account_reauthenticate",
        "account_confirm_email", "sign_out_other_devices",
    )),
)


@dataclass(frozen=True)
class NavLink:
    label: str | Promise
    url: str
    current: bool


@dataclass(frozen=True)
class RecordHolder:
    """Someone whose record the signed-in person may open, as the banner and switching show
    them: their name, their initials in a circle of their own colour."""

    access: PortalAccess
    initials: str
    colour: int  # 1 … PALETTE_SIZE
    active: bool

    @property
    def name(self) -> str:
        return self.access.patient.display_name

    @property
    def is_self(self) -> bool:
        return self.access.relationship == Relationship.SELF


def nav_links(*, access: PortalAccess | None, url_name: str) -> list[NavLink]:
    """The sections the person may open, the one holding the page ``url_name`` marked."""
    links = []
    for section in SECTIONS:
        url = reverse(section.url_name)
        if view_lets_in(access, resolve(url).func):
            links.append(NavLink(section.label, url, section.holds(url_name)))
    return links


def initials(patient: PatientChart) -> str:
    """The initials in the person's circle: "LN" for Liam Nguyen (by the first name they go by,
    as the banner names them)."""
    first = (patient.preferred_name or patient.first_name).strip()[:1]
    last = patient.last_name.strip()[:1]
    return (first + last).upper() or "?"


def badge_colours(keys: Iterable[int]) -> dict[int, int]:
    """A colour (1 … PALETTE_SIZE) for each key (an access's primary key), different for up to
    PALETTE_SIZE keys and stable: each key prefers colour ``key % PALETTE_SIZE + 1`` and, when an
    older key (a smaller one) already has it, takes the next free one. So an access keeps its
    colour from page to page and visit to visit; a new access (a larger key) changes nobody
    else's, and only the end of an older one can move a colour that had to give way."""
    colours: dict[int, int] = {}
    for key in sorted(set(keys)):
        preferred = key % PALETTE_SIZE
        taken = set(colours.values())
        for step in range(PALETTE_SIZE):
            colour = (preferred + step) % PALETTE_SIZE + 1
            if colour not in taken:
                break
        else:
            colour = preferred + 1  # more people than colours: the initials still differ
        colours[key] = colour
    return colours


def record_holders(*, accesses: list[PortalAccess], active: PortalAccess | None
                   ) -> list[RecordHolder]:
    colours = badge_colours(a.pk for a in accesses)
    return [RecordHolder(access=a, initials=initials(a.patient), colour=colours[a.pk],
                         active=active is not None and a.pk == active.pk)
            for a in accesses]


def frame(request: HttpRequest) -> dict[str, Any]:
    """The navigation and whose records may be opened, for templates/base.html."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    access = get_active_access(request)
    match = getattr(request, "resolver_match", None)
    url_name = (match.url_name or "") if match is not None else ""
    holders = record_holders(accesses=available_accesses(request), active=access)
    return {
        "nav_links": nav_links(access=access, url_name=url_name),
        "record_holders": holders,
        "active_holder": next((h for h in holders if h.active), None),
    }
