"""Assertions that name the page a test expects.

A status code alone passes on the wrong page: a 200 from another view, a 302 to anywhere, a 404
from an address that matches no route (a typo, or a route whose arguments changed) rather than
from the door or a scoped lookup. These helpers check the page itself as well.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import Resolver404


def templates_of(response: HttpResponse) -> list[str]:
    return [t.name for t in getattr(response, "templates", []) if t.name]


def assert_page(response: HttpResponse, template: str, *texts: str, status: int = 200) -> str:
    """The page rendered ``template`` (and shows each of ``texts``); returns its text."""
    assert response.status_code == status, (response.status_code, templates_of(response))
    assert template in templates_of(response), templates_of(response)
    body = response.content.decode()
    for text in texts:
        assert text in body, text
    return body


def assert_redirect(response: HttpResponse, to: str) -> None:
    assert response.status_code == 302, response.status_code
    assert response["Location"] == to, response["Location"]


def routed_view(response: HttpResponse) -> str:
    """The name of the view the request's address reached; fails when the address reaches none
    (or only the staff console's catch-all, which answers any address under /staff/)."""
    try:
        match = response.resolver_match
        name, func = match.view_name, match.func.__name__
    except Resolver404:
        name = func = ""
    path = response.request["PATH_INFO"]
    assert name and func != "catch_all_view", f"{path} matches no page: the 404 proves nothing"
    return name


def assert_not_found(response: HttpResponse, view: str | None = None) -> None:
    """A 404 from a page the address does reach (``view``: that page's URL name)."""
    assert response.status_code == 404, response.status_code
    name = routed_view(response)
    if view is not None:
        assert name == view, name


def assert_refused(response: HttpResponse, status: int = 403, view: str | None = None) -> None:
    """A 403 (or, with ``status=405``, a wrong method) from a page the address reaches."""
    assert response.status_code == status, response.status_code
    name = routed_view(response)
    if view is not None:
        assert name == view, name
