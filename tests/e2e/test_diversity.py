"""A provider tells the councils that fund it about its leadership and mission, in a real
browser at a desktop's and a phone's width, with axe-core on every page."""

import json

import pytest
from playwright.sync_api import expect

from grants.models import OrganisationDiversity

pytestmark = pytest.mark.e2e

PHONE = 390


def check_both_widths(page, check):
    """Axe-clean at 1280px and at 390px, and nothing wider than the phone's screen."""
    check(page)
    page.set_viewport_size({"width": PHONE, "height": 844})
    check(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_provider_answers_and_its_funders_officer_reads_what_it_said(
    open_session, assert_accessible, browser, demo_live
):
    volunteers = open_session("provider2", "")
    page = volunteers.page
    page.get_by_role("link", name="tell the councils that fund you").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your organisation's diversity")
    check_both_widths(page, assert_accessible)

    page.get_by_role("button", name="Save your answers").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link")).to_have_count(3)
    check_both_widths(page, assert_accessible)

    leadership = page.get_by_role("group", name="Is your organisation led by people")
    leadership.get_by_role("radio", name="Yes").check()
    page.locator("#leadership-heading ~ fieldset summary", has_text="Disabled people").click()
    disabled = page.get_by_role("group", name="Leadership: Disabled people")
    disabled.get_by_role("radio", name="Neurodivergent").check()
    summary = page.locator("#leadership-heading ~ fieldset summary", has_text="Disabled people")
    expect(summary).to_have_text("Disabled people: Neurodivergent")
    disabled.get_by_role("radio", name="Not this community").check()
    expect(summary).to_have_text("Disabled people")
    disabled.get_by_role("radio", name="Neurodivergent").check()
    page.get_by_role("group", name="Is your organisation's mission focused").get_by_role(
        "radio", name="I prefer not to say"
    ).check()
    page.get_by_role("radio", name="No, only the councils that fund us may see them").check()
    page.get_by_role("button", name="Save your answers").click()

    expect(page.get_by_role("status")).to_contain_text("were saved")
    expect(page.locator("summary", has_text="Disabled people").first).to_contain_text(
        "Neurodivergent"
    )
    check_both_widths(page, assert_accessible)
    answers = OrganisationDiversity.objects.get(organisation__name="Kettering Volunteer Centre")
    assert (answers.leadership_codes, answers.mission_reply) == (["DEI020330"], "RS202")

    officer = open_session("officer", "")
    review = officer.page
    review.get_by_role("region", name="Agreements", exact=True).get_by_role(
        "link", name="KBC-VOL-01"
    ).click()
    review.get_by_role("link", name="its leadership and mission").click()
    expect(review.get_by_role("heading", level=1)).to_have_text("Leadership and mission")
    expect(review.get_by_role("main")).to_contain_text("Disabled people: Neurodivergent")
    expect(review.get_by_role("main")).to_contain_text("Not to be published")
    check_both_widths(review, assert_accessible)

    public = browser.new_context()
    visitor = public.new_page()
    visitor.goto(demo_live.url + "/open-data/KBC/360giving.json")
    package = json.loads(visitor.inner_text("body"))
    volunteering = next(g for g in package["grants"] if g["id"].endswith("KBC-VOL-01"))
    assert volunteering["deiDetails"]["leadership"]["replyStatus"] == "RS203"
    assert "DEI020330" not in json.dumps(package)
    public.close()
