"""The page assertions of tests/pages.py refuse what a bare status code would let through."""

from __future__ import annotations

import pytest

from tests.pages import assert_not_found, assert_page, assert_redirect

pytestmark = pytest.mark.django_db


def test_a_404_from_an_address_that_matches_no_page_proves_nothing(client, alice):
    client.force_login(alice.user)
    with pytest.raises(AssertionError, match="matches no page"):
        assert_not_found(client.get("/account/swich/"))


def test_the_staff_consoles_catch_all_is_no_page_either(client, staff):
    client.force_login(staff)
    response = client.get("/staff/no-such-page/")
    with pytest.raises(AssertionError, match="matches no page"):
        assert_not_found(response)


def test_a_404_of_another_page_than_the_one_named_fails(client, practice):
    from tests import factories

    client.force_login(factories.make_user("lonely-user"))
    response = client.get("/account/switch/")
    assert_not_found(response, "switch_patient")
    with pytest.raises(AssertionError):
        assert_not_found(response, "home")


def test_an_error_page_is_not_the_page_expected(client, practice):
    from tests import factories

    client.force_login(factories.make_user("lonely-user"))
    with pytest.raises(AssertionError):
        assert_page(client.get("/account/switch/"), "accounts/switch_patient.html")


def test_a_redirect_elsewhere_fails(client):
    with pytest.raises(AssertionError):
        assert_redirect(client.get("/account/switch/"), "/")
