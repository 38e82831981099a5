"""A lead officer asks to invite a provider's new member of staff, the provider's administrator
approves, and the newcomer makes their account from the e-mail's link and starts on their home
page: on a desktop and on a phone, axe-core clean."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.e2e.conftest import Session

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("width", [1280, 390])
def test_an_invited_person_makes_their_account_and_lands_on_home(
    browser, demo_live, assert_accessible, width
):
    from django.conf import settings

    officer = Session(browser, demo_live.url, width=width)
    officer.sign_in("officer", settings.DEMO_PASSWORD)
    page = officer.page
    officer.goto("/people/")
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    assert_accessible(page)
    page.get_by_role("link", name="Invite someone").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invite someone")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter their e-mail address")
    assert_accessible(page)
    page.get_by_label("First name").fill("Nia")
    page.get_by_label("Last name").fill("Adeyemi")
    page.get_by_label("E-mail address").fill(f"nia.{width}@example.org")
    page.get_by_label("Organisation").select_option(label="Kettering Volunteer Centre")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invitations")
    expect(page.get_by_role("status")).to_contain_text(
        f"asked to approve your invitation to nia.{width}@example.org"
    )
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    officer.context.close()
    assert not any(f"nia.{width}@example.org" in m.to for m in mail.outbox)

    administrator = Session(browser, demo_live.url, width=width)
    administrator.sign_in("provider2", settings.DEMO_PASSWORD)
    page = administrator.page
    expect(page.get_by_role("status").filter(has_text="A council asks")).to_contain_text(
        "approve or decline the invitation"
    )
    assert_accessible(page)
    page.get_by_role("link", name="approve or decline the invitation").click()
    expect(page.get_by_role("heading", level=2, name="Waiting for your approval")).to_be_visible()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.get_by_role(
        "button", name=f"Approve and send the invitation to nia.{width}@example.org"
    ).click()
    expect(page.get_by_role("status")).to_contain_text(
        f"The invitation was sent to nia.{width}@example.org"
    )
    assert_accessible(page)
    administrator.context.close()

    link = re.search(r"http://\S+/invitation/\S+/", mail.outbox[-1].body).group(0)
    newcomer = Session(browser, demo_live.url, width=width)
    page = newcomer.page
    newcomer.goto("/" + link.split("://", 1)[1].split("/", 1)[1])
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose your password")
    assert_accessible(page)
    page.get_by_label("Choose a password").fill("short")
    page.get_by_label("Type the password again").fill("short")
    page.get_by_role("button", name="Make my account").click()
    expect(page.get_by_role("alert")).to_contain_text("too short")
    assert_accessible(page)
    page.get_by_label("Choose a password").fill("a-long-and-unusual-passphrase")
    page.get_by_label("Type the password again").fill("a-long-and-unusual-passphrase")
    page.get_by_role("button", name="Make my account").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Nia Adeyemi")
    assert page.url == demo_live.url + "/"
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    newcomer.context.close()
