"""End-to-end tests: Debian's Chromium, driven by Playwright, against a live server."""

import io
import os
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
# What Playwright says when the page is replaced while a script reads it.
NAVIGATED = ("reading 'documentElement'", "Execution context was destroyed", "navigation")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


@pytest.fixture(scope="module")
def browser(django_db_setup):
    """Chromium for one test module. Playwright's sync API keeps an event loop running in this
    thread while it is open; the ORM calls the tests make beside it are still synchronous, so
    Django's async guard is lifted until the module's browser is closed. Assertions wait up to
    20 seconds for a page to show what they expect: the suite runs in a process per core."""
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=20_000)
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not at {CHROMIUM}; `make test` installs Debian's chromium.")
    guard = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield from _launch(sync_playwright)
    finally:
        if guard is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = guard


def _launch(sync_playwright):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def demo_live(transactional_db, live_server, settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    return live_server


class Session:
    """One person's browser tab on the live server."""

    def __init__(self, browser, base_url: str, width: int = 1280):
        self.context = browser.new_context(viewport={"width": width, "height": 900})
        # The suite runs in a process per core, so a page may take longer than a quiet machine
        # would: each wait is generous, and a test still fails if the page never comes.
        self.context.set_default_timeout(60_000)
        self.page = self.context.new_page()
        self.base_url = base_url

    def goto(self, path: str):
        self.page.goto(self.base_url + path)

    def sign_in(self, username: str, password: str):
        """Sign in, giving the code of the demo's authenticator app when asked for one."""
        from django.core.cache import cache

        from sla_monitor import accounts
        from sla_monitor.models import User

        self.goto("/accounts/login/")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_url(
            re.compile(rf"^{re.escape(self.base_url)}/(accounts/2fa/authenticate/)?$")
        )
        if self.page.url.endswith("/accounts/2fa/authenticate/"):
            # A code is accepted once; several sessions of one person sign in within its 30 s.
            cache.clear()
            self.page.get_by_label("Code").fill(
                accounts.current_code(User.objects.get(username=username))
            )
            self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_url(self.base_url + "/")


@pytest.fixture
def open_session(browser, demo_live):
    sessions = []

    def open_(username: str, password: str, width: int = 1280) -> Session:
        from django.conf import settings

        session = Session(browser, demo_live.url, width=width)
        session.sign_in(username, password or settings.DEMO_PASSWORD)
        sessions.append(session)
        return session

    yield open_
    for session in sessions:
        session.context.close()


@pytest.fixture
def assert_accessible():
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page):
        """axe reads the page that is showing. A click that leads elsewhere may still be
        loading when the check begins, so a check cut short by that navigation is run again
        on the page it reached; a violation is never retried."""
        from playwright.sync_api import Error

        options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}}
        page.wait_for_load_state()
        try:
            results = axe.run(page, options=options)
        except Error as error:
            if not any(sign in str(error) for sign in NAVIGATED):
                raise
            page.wait_for_load_state()
            results = axe.run(page, options=options)
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"

    return check
