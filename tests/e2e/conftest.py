"""Browser tests: Debian's Chromium driven by Playwright, with axe-core checking each page."""

from __future__ import annotations

import os

import pytest

from tests.conftest import chromium_or_skip

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser():
    executable = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the Django ORM calls made by the
    # test itself are still synchronous.
    saved = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=ARGS)
            yield browser
            browser.close()
    finally:
        if saved is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = saved


class Page:
    """A Playwright page that records Content-Security-Policy violations and console errors."""

    def __init__(self, page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.console_errors: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))

    def goto(self, path: str) -> None:
        self.page.goto(self.base_url + path)

    def goto_response(self, path: str):
        """Open ``path``; the final response (after redirects), or None."""
        return self.page.goto(self.base_url + path)

    def __getattr__(self, name):
        return getattr(self.page, name)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield Page(context.new_page(), live_server.url)
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    yield Page(context.new_page(), live_server.url)
    context.close()


def assert_accessible(page: Page) -> None:
    """No serious or critical axe-core violation, and nothing the CSP had to block."""
    from axe_playwright_python.sync_playwright import Axe

    # preload off: on pages with the admin's forms.css, axe would fetch its @import
    # ('widgets.css') relative to the page, and the 404 would show as a console error.
    results = Axe().run(page.page, options={"resultTypes": ["violations"], "preload": False})
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"{page.page.url}: " + "; ".join(bad)
    assert not page.console_errors, page.console_errors


def sign_in(page: Page, username: str, password: str, code_to: str) -> None:
    """The sign-in page, then the code page with the code that was sent to ``code_to``."""
    from tests.signin import latest_code

    page.goto("/account/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Verification code").wait_for()
    page.get_by_label("Verification code").fill(latest_code(code_to))
    page.get_by_role("button", name="Verify").click()
    page.wait_for_load_state()


def newest_email(page: Page, to: str) -> str:
    """The newest email to ``to``, as the development outbox page shows it (in any language)."""
    page.goto("/dev/outbox/")
    return page.locator(
        f'article.outbox-message[data-channel="email"][data-recipient="{to}"]').first.inner_text()
