"""A lead officer sets up an agreement in the browser, page by page, each page axe-clean."""

import pytest
from playwright.sync_api import expect

from grants.models import Agreement

pytestmark = pytest.mark.e2e


def test_a_lead_officer_sets_up_an_agreement(open_session, assert_accessible):
    page = open_session("officer", "").page
    page.get_by_role("link", name="Set up an agreement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The agreement")
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    assert_accessible(page)

    page.get_by_label("Reference").fill("KBC-HATE-01")
    page.get_by_label("Title").fill("Hate crime reporting centre")
    page.get_by_label("Provider").select_option(label="Kettering Volunteer Centre")
    page.get_by_label("Lead officer").select_option(index=1)
    page.get_by_label("Start date").fill("2027-04-01")
    page.get_by_label("End date").fill("2030-03-31")
    page.get_by_label("Total allocation (£)").fill("45000")
    page.get_by_label("What the grant is for").fill(
        "A third-party centre for reporting hate crime."
    )
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("What the provider will do")
    assert_accessible(page)
    page.get_by_label("Core service objectives").fill("Run the centre\nTrain volunteers")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Performance indicators")
    assert_accessible(page)
    first = page.get_by_role("group", name="Indicator 1")
    first.get_by_label("Code").fill("a")
    first.get_by_label("Indicator").fill("Hate incidents reported through the centre")
    first.get_by_label("Measure").select_option("count")
    first.get_by_label("Target", exact=True).fill("10")
    first.get_by_label("Target is").select_option("quarter")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Payments and reporting quarters")
    assert_accessible(page)
    expect(page.get_by_role("table", name="Payment instalments")).to_contain_text("£7,500.00")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    assert_accessible(page)
    page.get_by_role("button", name="Create the agreement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hate crime reporting centre")
    assert_accessible(page)
    agreement = Agreement.objects.get(reference="KBC-HATE-01")
    assert agreement.instalments.count() == 6
