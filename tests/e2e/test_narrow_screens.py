"""A phone's and a desktop's screen: the menu within reach, the header and wide tables laid out.
Every page as every role, at both widths, fitting the screen and axe clean, is swept in Welsh
(tests/e2e/test_welsh.py): Welsh words are the longer, so it is the stricter fit."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.access.test_return_urls import CASES, PUBLIC, ROLES, _expected
from tests.e2e.conftest import Session

pytestmark = pytest.mark.e2e

PHONE = 390
DESKTOP = 1280
# Everyone the access matrix signs in as.
SIGNED_IN = [role for role in ROLES if role != "anonymous"]


def pages_of(role: str, objects) -> list[tuple[str, str]]:
    """The pages the access matrix lets this role open, and the public ones for everyone."""
    if role == "anonymous":
        return [("sign in", "/accounts/login/")] + [(name, url(objects)) for name, url in PUBLIC]
    return [
        (name, url(objects))
        for name, method, url, _, expected in CASES
        if method == "get" and _expected(expected, role) == 200
    ]


def test_on_a_phone_the_menu_opens_from_its_button_and_reaches_sign_out(browser, demo_live):
    session = Session(browser, demo_live.url, width=PHONE)
    session.sign_in("officer", settings.DEMO_PASSWORD)
    page = session.page
    menu = page.get_by_role("button", name="Menu")
    sign_out = page.get_by_role("button", name="Sign out")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(sign_out).to_be_hidden()
    expect(page.get_by_role("link", name="Review returns")).to_be_hidden()

    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#" + menu.get_attribute("aria-controls"))).to_be_visible()
    page.get_by_role("link", name="Review returns").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Review")

    menu.click()
    page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()
    menu.click()
    sign_out.click()
    expect(page.get_by_label("Username")).to_be_visible()
    session.context.close()


def test_without_scripts_a_phone_shows_the_links_and_sign_out(browser, demo_live):
    session = Session(browser, demo_live.url, width=PHONE)
    session.sign_in("provider", settings.DEMO_PASSWORD)
    page = session.context.new_page()
    page.route("**/*.js", lambda route: route.abort())
    page.goto(demo_live.url + "/")

    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.get_by_role("link", name="Your returns", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    session.context.close()


def test_on_a_desktop_the_links_show_without_a_menu(browser, demo_live):
    session = Session(browser, demo_live.url)
    session.sign_in("officer", settings.DEMO_PASSWORD)
    page = session.page
    account = page.get_by_role("button", name="Priya Shah: your account")

    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.get_by_role("link", name="Open data")).to_be_visible()
    # One row: the links and the account share the brand's line.
    brand = page.get_by_role("link", name="SLA Monitor").bounding_box()
    button = account.bounding_box()
    assert abs(button["y"] + button["height"] / 2 - (brand["y"] + brand["height"] / 2)) < 8
    account.click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_label("Username")).to_be_visible()
    session.context.close()


@pytest.mark.parametrize("username", ["counciladmin", "admin"])
def test_the_header_is_one_row_from_1024px(browser, demo_live, username):
    """A council administrator has the most links: at 1200px and more they share one row with
    the account's button, and below 1200px they fold behind the Menu button."""
    session = Session(browser, demo_live.url)
    session.sign_in(username, settings.DEMO_PASSWORD)
    page = session.page
    brand = page.get_by_role("link", name="SLA Monitor")

    heights, overflow = {}, {}
    for width in (1024, 1200, 1280, 1440):
        page.set_viewport_size({"width": width, "height": 900})
        # The bar of links, below the language link where Welsh is offered.
        heights[width] = page.locator("header.site-header nav.site-nav").bounding_box()["height"]
        overflow[width] = page.evaluate("document.documentElement.scrollWidth") - width

    # One row is the brand's height and the bar's padding (56px); a second row would double it.
    assert max(heights.values()) < 2 * brand.bounding_box()["height"], heights
    # and the row fits the window: nothing is pushed past its right edge.
    assert set(overflow.values()) == {0}, overflow
    session.context.close()


def test_the_account_menu_opens_and_closes_from_the_keyboard(browser, demo_live, assert_accessible):
    session = Session(browser, demo_live.url)
    session.sign_in("counciladmin", settings.DEMO_PASSWORD)
    page = session.page
    account = page.get_by_role("button", name="Dana Reid: your account")
    sign_out = page.get_by_role("button", name="Sign out")
    expect(account).to_have_attribute("aria-expanded", "false")
    expect(sign_out).to_be_hidden()

    account.focus()
    page.keyboard.press("Enter")
    expect(account).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_text("Signed in as Dana Reid")).to_be_visible()
    assert_accessible(page)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Your account")).to_be_focused()
    page.keyboard.press("Escape")
    expect(account).to_have_attribute("aria-expanded", "false")
    expect(account).to_be_focused()
    expect(sign_out).to_be_hidden()

    account.click()
    page.get_by_role("heading", level=1).click()
    expect(account).to_have_attribute("aria-expanded", "false")
    session.context.close()


def test_a_wide_table_scrolls_in_its_own_region_with_a_hint(browser, demo_live):
    session = Session(browser, demo_live.url, width=PHONE)
    session.sign_in("officer", settings.DEMO_PASSWORD)
    session.goto("/results/")
    page = session.page
    region = page.get_by_role("region", name="Indicator results")
    hint = page.get_by_text("Scroll the table sideways to see more.")

    expect(hint).to_be_visible()
    assert region.evaluate("r => r.scrollWidth > r.clientWidth")
    region.focus()
    page.keyboard.press("ArrowRight")
    expect(region).not_to_have_js_property("scrollLeft", 0)

    page.set_viewport_size({"width": 1280, "height": 900})
    expect(hint).to_be_hidden()
    # A table that fits is not a stop on the way through the page.
    expect(region).not_to_have_attribute("tabindex", "0")
    session.context.close()


@pytest.mark.parametrize("role", ["admin", "officer"])
def test_on_a_desktop_the_search_box_shares_the_headers_row(browser, demo_live, role):
    session = Session(browser, demo_live.url)
    session.sign_in(role, settings.DEMO_PASSWORD)
    page = session.page
    brand = page.get_by_role("link", name="SLA Monitor").bounding_box()
    box = page.get_by_label("Search for").bounding_box()
    account = page.get_by_role("button", name=re.compile(": your account$")).bounding_box()
    for item in (box, account):
        assert abs(item["y"] + item["height"] / 2 - (brand["y"] + brand["height"] / 2)) < 8

    page.get_by_label("Search for").fill("KBC-CCE-01")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    expect(page.get_by_role("link", name="KBC-CCE-01", exact=True)).to_be_visible()
    session.context.close()


def test_on_a_phone_the_search_box_is_in_the_menu(browser, demo_live, assert_accessible):
    session = Session(browser, demo_live.url, width=PHONE)
    session.sign_in("leicester", settings.DEMO_PASSWORD)
    page = session.page
    page.get_by_role("button", name="Menu").click()
    page.get_by_label("Search for").fill("KBC")
    page.get_by_role("search", name="Site search").get_by_role("button", name="Search").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    expect(page.get_by_text("Nothing you can see matches “KBC”.")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    assert_accessible(page)
    session.context.close()
