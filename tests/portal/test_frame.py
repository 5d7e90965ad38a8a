"""The frame of every page (issue 10, item 11; portal/frame.py, templates/base.html): the
navigation shows a section only where the door lets the person in and marks it on its sub-pages
too; the banner says whose record is open, with their initials in a colour of their own, and
opens the list of the other records from any page; phones get a Menu that needs no script."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import resolve

from accounts.access import view_lets_in
from accounts.models import Relationship
from portal.frame import PALETTE_SIZE, SECTIONS, badge_colours, initials
from tests import factories
from tests.pages import assert_page

pytestmark = pytest.mark.django_db


def main_nav(body: str) -> list[tuple[str, bool]]:
    """The wide screen's navigation: each link's words, and whether it is marked current."""
    nav = body.split('<nav class="main-nav"')[1].split("</nav>")[0]
    return [(words, "aria-current" in attrs)
            for attrs, words in re.findall(r"<a ([^>]*)>([^<]*)</a>", nav)]


def menu_nav(body: str) -> list[tuple[str, bool]]:
    """The phone's Menu: the same links, inside the <details>."""
    menu = body.split('<details class="menu"')[1].split("</details>")[0]
    return [(words, "aria-current" in attrs)
            for attrs, words in re.findall(r"<a ([^>]*)>([^<]*)</a>", menu)]


def banner(body: str) -> str:
    return body.split('class="record-banner"')[1].split("<main")[0]


@pytest.mark.parametrize(("url", "current"), [
    ("/", "Home"),
    ("/activity/", "Activity"),
    ("/account/representatives/", "Representatives"),
    ("/account/representatives/invite/", "Representatives"),
    ("/account/settings/", "Account Settings"),
    ("/account/settings/username/", "Account Settings"),
    ("/account/settings/security-questions/", "Account Settings"),
    ("/account/settings/mobile/", "Account Settings"),
    ("/account/password/change/", "Account Settings"),
    ("/account/switch/", None),
])
def test_the_section_of_the_page_is_marked_on_its_sub_pages_too(client, alice, url, current):
    client.force_login(alice.user)
    response = client.get(url)
    if response.status_code == 302:  # behind reauthentication: its page is Account Settings'
        response = client.get(response["Location"])
    body = response.content.decode()
    links = main_nav(body)
    assert [words for words, _ in links] == [
        "Home", "Representatives", "Activity", "Account Settings"]
    assert [words for words, marked in links if marked] == ([current] if current else [])
    assert menu_nav(body) == links


def test_the_navigation_shows_what_the_view_lets_in(client, practice, alice):
    """For each kind of person, a section is in the navigation exactly when its page lets them
    in (the door's answer is the truth; the navigation must not promise more or less)."""
    child = factories.make_chart(practice, "Kim", "Parker",
                                 date_of_birth=datetime.date(2016, 1, 1))
    people = {
        "patient": alice.user,
        "guardian": factories.make_user("guardian"),
        "representative, messages only": factories.make_user("rep-messages"),
        "representative": factories.make_user("rep-all"),
    }
    factories.grant(people["guardian"], child, Relationship.GUARDIAN)
    factories.grant(people["representative, messages only"], alice.chart,
                    Relationship.TRUSTED_REPRESENTATIVE, right_health_record=False)
    factories.grant(people["representative"], alice.chart, Relationship.TRUSTED_REPRESENTATIVE)
    shown = {}
    for who, user in people.items():
        client.force_login(user)
        links = [words for words, _ in main_nav(client.get("/").content.decode())]
        shown[who] = links
        for section, url in (("Representatives", "/account/representatives/"),
                             ("Activity", "/activity/")):
            opens = client.get(url).status_code == 200
            assert (section in links) == opens, (who, section)
    assert shown == {
        "patient": ["Home", "Representatives", "Activity", "Account Settings"],
        "guardian": ["Home", "Activity", "Account Settings"],
        "representative, messages only": ["Home", "Account Settings"],
        "representative": ["Home", "Activity", "Account Settings"],
    }


def test_someone_with_no_record_open_still_reaches_account_settings(client):
    pending = factories.make_user("pending-person")
    client.force_login(pending)
    body = client.get("/account/settings/").content.decode()
    assert main_nav(body) == [("Home", False), ("Account Settings", True)]
    assert 'class="record-banner"' not in body


def test_signed_out_pages_have_no_menu_and_no_banner(client):
    body = client.get("/account/login/").content.decode()
    assert 'class="menu"' not in body and 'class="main-nav"' not in body
    assert 'class="record-banner"' not in body


def test_door_opens_answers_as_the_views_declare(alice, bob):
    activity = resolve("/activity/").func
    representatives = resolve("/account/representatives/").func
    home = resolve("/").func
    assert view_lets_in(alice.access, activity) and view_lets_in(alice.access, representatives)
    assert view_lets_in(bob.access, activity) and not view_lets_in(bob.access, representatives)
    assert view_lets_in(None, home) and not view_lets_in(None, activity)
    bob.access.right_health_record = False
    assert not view_lets_in(bob.access, activity)


def test_every_section_page_exists():
    for section in SECTIONS:
        assert section.holds(section.url_name)
    assert not SECTIONS[0].holds("homework")  # a name, or its beginning and "_"


def test_the_banner_names_the_open_person_with_initials_in_their_colour(client, alice):
    client.force_login(alice.user)
    body = assert_page(client.get("/"), "portal/home.html")
    strip = banner(body)
    assert re.search(r'class="person-badge colour-[1-8]" aria-hidden="true">AA<', strip)
    assert "You are viewing <strong>your own record</strong> (Alice Archer)." in strip
    assert "<details" not in strip and "Switch" not in strip  # one record: nothing to switch


def test_with_several_records_the_banner_opens_the_others_from_any_page(client, practice,
                                                                       alice):
    kid = factories.make_chart(practice, "Kim", "Parker", date_of_birth=datetime.date(2016, 1, 1))
    kid_access = factories.grant(alice.user, kid, Relationship.GUARDIAN)
    client.force_login(alice.user)
    for url in ("/", "/activity/", "/account/settings/", "/account/representatives/"):
        strip = banner(client.get(url).content.decode())
        assert '<details class="switcher" name="frame">' in strip, url
        choices = re.findall(r'name="access" value="([^"]+)"', strip)
        assert choices == [str(kid_access.code)], url  # the others, not the open one
        assert 'action="/account/switch/"' in strip
        assert "Kim Parker" in strip and "Guardian" in strip
    response = client.post("/account/switch/", {"access": kid_access.code})
    assert response["Location"] == "/"
    strip = banner(client.get("/").content.decode())
    assert ("You are viewing the record of <strong>Kim Parker</strong> as their guardian."
            in strip)
    assert re.findall(r'name="access" value="([^"]+)"', strip) == [str(alice.access.code)]
    assert "Your own record" in strip


def test_each_person_keeps_their_colour_on_every_page(client, practice, alice):
    kids = [factories.make_chart(practice, name, "Parker", date_of_birth=datetime.date(2016, 1, 1))
            for name in ("Kim", "Lee", "Max")]
    for kid in kids:
        factories.grant(alice.user, kid, Relationship.GUARDIAN)
    client.force_login(alice.user)

    def colours(url: str) -> dict[str, str]:
        body = client.get(url).content.decode()
        switch = body.split('class="patient-list"')[1] if "patient-list" in body else body
        return dict((initials, colour) for colour, initials in re.findall(
            r'person-badge colour-(\d)" aria-hidden="true">(\w+)<', switch))

    on_switch_page = colours("/account/switch/")
    assert set(on_switch_page) == {"AA", "KP", "LP", "MP"}
    assert len(set(on_switch_page.values())) == 4  # four people, four colours
    for url in ("/", "/activity/"):
        assert colours(url) == on_switch_page


def test_badge_colours_are_distinct_and_stable():
    first = badge_colours([17, 18, 25])
    assert first == {17: 2, 18: 3, 25: 4}  # 25 prefers 2, which 17 has: the next free one
    assert len(set(badge_colours(range(100, 100 + PALETTE_SIZE)).values())) == PALETTE_SIZE
    # A new access does not change anyone's colour unless it is older than them.
    assert {k: v for k, v in badge_colours([17, 18, 25, 40]).items() if k != 40} == first
    assert set(badge_colours(range(20)).values()) <= set(range(1, PALETTE_SIZE + 1))


def test_initials_of_the_name_the_banner_shows(practice):
    assert initials(factories.make_chart(practice, "liam", "nguyen")) == "LN"
    assert initials(factories.make_chart(practice, "William", "Ortiz",
                                         preferred_name="Bill")) == "BO"
    assert initials(factories.make_chart(practice, "Élodie", "Ünal")) == "ÉÜ"


def test_the_phone_menu_needs_no_script(client, alice):
    client.force_login(alice.user)
    body = client.get("/").content.decode()
    assert '<details class="menu" name="frame">' in body
    assert '<summary class="menu-button">Menu</summary>' in body
    assert "<script>" not in body and " on" + "click=" not in body and "style=" not in body
    # Both "Sign out" buttons submit the one sign-out form (the time-out warning's too).
    assert body.count('form="sign-out-form"') == 3
    assert body.count('id="sign-out-form"') == 1


def test_the_page_says_its_language(client, alice):
    client.force_login(alice.user)
    assert '<html lang="en">' in client.get("/").content.decode()
    alice.user.language = "es"
    alice.user.save()
    assert '<html lang="es">' in client.get("/").content.decode()
