"""A lead officer sets up an agreement in the browser, page by page, each page axe-clean."""

import pytest
from playwright.sync_api import expect

from grants.models import Agreement
from tests.dates import fill_date

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
    fill_date(page, "Start date", "31/2/2027")
    fill_date(page, "End date", "31/3/2030")
    page.get_by_label("Total allocation (£)").fill("45000")
    page.get_by_label("What the grant is for").fill(
        "A third-party centre for reporting hate crime."
    )
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("Start date must be a real date")
    expect(page.get_by_role("group", name="Start date")).to_contain_text(
        "Start date must be a real date"
    )
    assert_accessible(page)
    fill_date(page, "Start date", "1/4/2027")
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
    first.get_by_label("What it counts").fill("incidents")
    expect(page.get_by_role("group", name="Indicator 4")).to_have_count(0)
    page.get_by_role("button", name="Add another indicator").click()
    fourth = page.get_by_role("group", name="Indicator 4")
    expect(fourth).to_be_visible()
    expect(first.get_by_label("Code")).to_have_value("a")
    assert_accessible(page)
    fourth.get_by_label("Code").fill("b")
    fourth.get_by_label("Indicator").fill("Volunteers trained to take reports")
    fourth.get_by_label("Measure").select_option("milestone")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Payments and reporting quarters")
    assert_accessible(page)
    expect(page.get_by_role("table", name="Payment instalments")).to_contain_text("£7,500.00")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    expect(page.get_by_role("main")).to_contain_text("1 April 2027 to 31 March 2030")
    expect(page.get_by_text("target 10 incidents per quarter")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Volunteers trained to take reports")
    expect(page.get_by_role("main")).to_contain_text("A third-party centre for reporting")
    expect(page.get_by_role("button", name="Change what the grant is for")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Create the agreement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hate crime reporting centre")
    assert_accessible(page)
    agreement = Agreement.objects.get(reference="KBC-HATE-01")
    assert agreement.instalments.count() == 6
    assert [i.code for i in agreement.indicators.all()] == ["a", "b"]
    assert agreement.indicators.get(code="a").target_wording == "10 incidents per quarter"
