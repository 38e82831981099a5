"""The inbox in a browser, on a desktop and on a phone: found from the header with its count,
each notification opened and read, all marked read, and the e-mails chosen; axe clean."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from sla_monitor.models import User
from tests.e2e.conftest import Session

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("username", ["provider", "officer"])
def test_a_person_reads_their_inbox_and_chooses_their_e_mails(
    browser, demo_live, assert_accessible, width, username
):
    person = User.objects.get(username=username)
    unread = person.notifications.filter(read_at__isnull=True).count()
    assert unread
    session = Session(browser, demo_live.url, width=width)
    session.sign_in(username, settings.DEMO_PASSWORD)
    page = session.page

    header_link = page.get_by_role("link", name=f"Inbox, {unread} unread")
    expect(header_link).to_be_visible()
    header_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your inbox")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_accessible(page)

    first = page.locator(".inbox-item-unread").first
    sentence = first.get_by_role("link").inner_text()
    first.get_by_role("link").click()
    expect(page).not_to_have_url(re.compile(r"/inbox/$"))
    if unread > 1:
        expect(page.get_by_role("link", name=f"Inbox, {unread - 1} unread")).to_be_visible()
    else:
        expect(page.get_by_role("link", name="Inbox", exact=True)).to_be_visible()

    session.goto("/inbox/")
    opened = page.locator(".inbox-item", has_text=sentence).first
    expect(opened).not_to_contain_text("Unread")
    if unread > 1:
        page.get_by_role("button", name="Mark all as read").click()
        expect(page.get_by_role("status")).to_contain_text("marked as read")
    expect(page.get_by_text("You have read everything in your inbox.")).to_be_visible()
    expect(page.get_by_role("link", name="Inbox", exact=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Choose which e-mails you have about your inbox").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("E-mails about your inbox")
    assert_accessible(page)
    page.get_by_label("One e-mail a day listing them").check()
    page.get_by_role("button", name="Save your choice").click()
    expect(page.get_by_role("status")).to_contain_text("one e-mail a day")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    assert_accessible(page)
    person.refresh_from_db()
    assert person.email_choice == User.EmailChoice.DAILY_DIGEST
    session.context.close()
