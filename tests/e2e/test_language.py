"""The language link in a real browser: with scripts and without, on a phone and a desktop."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from sla_monitor.models import User
from tests.e2e.conftest import Session
from tests.factories import AgreementFactory, CouncilFactory, UserFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def welsh_live(transactional_db, live_server):
    council = CouncilFactory(welsh_offer=True)
    agreement = AgreementFactory(funder=council)
    UserFactory(username="dafydd", organisation=agreement.provider)
    return live_server


@pytest.mark.parametrize("scripts", [True, False], ids=["with scripts", "without scripts"])
def test_a_visitor_switches_the_sign_in_page_to_welsh_and_back(
    browser, welsh_live, assert_accessible, scripts
):
    session = Session(browser, welsh_live.url, width=390)
    page = session.page
    if not scripts:
        page.route("**/*.js", lambda route: route.abort())
    session.goto("/accounts/password/reset/")

    page.get_by_role("button", name="Cymraeg").click()

    expect(page.locator("html")).to_have_attribute("lang", "cy")
    assert page.url == welsh_live.url + "/accounts/password/reset/"
    assert_accessible(page)
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")
    session.context.close()


def test_a_provider_chooses_welsh_and_it_is_kept_on_their_account(browser, welsh_live):
    session = Session(browser, welsh_live.url)
    session.sign_in("dafydd", settings.DEMO_PASSWORD)
    page = session.page

    page.get_by_role("button", name="Cymraeg").click()

    expect(page.locator("html")).to_have_attribute("lang", "cy")
    assert page.url == welsh_live.url + "/"
    assert User.objects.get(username="dafydd").language == "cy"
    session.context.close()
