"""A variation walked from draft to applied in a real browser, at a desk's width and a phone's,
with axe-core on every page: the lead officer drafts an extension and sends it for approval;
the council's administrator, a second person, approves it; the provider accepts it; the
agreement then runs a year longer and keeps both versions of its terms."""

import pytest
from playwright.sync_api import expect

from grants.models import Agreement, Variation
from sla_monitor.periods import financial_year_label

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("width", [1280, 390])
def test_a_variation_from_draft_to_applied(open_session, assert_accessible, width):
    agreement = Agreement.objects.get(reference="KBC-CCE-01")
    end = agreement.end_date
    last_year = end.year - 1
    agreement_path = f"/agreements/{agreement.pk}/"

    officer = open_session("officer", "", width=width)
    page = officer.page
    officer.goto(agreement_path)
    page.get_by_role("link", name="Draft a variation").click()
    assert_accessible(page)
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_role("status")).to_contain_text("Variation 1 was saved as a draft.")
    page.get_by_role("button", name="Send for approval").click()
    summary = page.locator("[data-error-summary], .alert-danger")
    expect(summary.first).to_contain_text("Say why the terms change")
    page.get_by_role("link", name="Change the draft").click()
    page.get_by_label("Why do the terms change?").fill(
        "The service started a quarter late: it runs a year longer, with no more money."
    )
    page.get_by_label("Takes effect from").select_option(
        label=f"Q1 {financial_year_label(last_year)}"
    )
    page.locator("[name=new_end_date_day]").fill(str(end.day))
    page.locator("[name=new_end_date_month]").fill(str(end.month))
    page.locator("[name=new_end_date_year]").fill(str(end.year + 1))
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_role("status")).to_contain_text("Variation 1 was saved.")
    expect(
        page.locator(
            "#changes-heading + * table, section[aria-labelledby=changes-heading] table"
        ).first
    ).to_contain_text(f"31 March {end.year + 1}")
    assert_accessible(page)
    page.get_by_role("button", name="Send for approval").click()
    expect(page.get_by_role("status")).to_contain_text("sent for approval")
    expect(page.get_by_role("button", name="Approve the variation")).to_have_count(0)
    variation_path = page.url.split(str(officer.base_url))[-1]

    admin = open_session("counciladmin", "", width=width)
    admin.goto(variation_path)
    admin.page.get_by_role("button", name="Approve the variation").click()
    expect(admin.page.get_by_role("status")).to_contain_text("You approved variation 1")
    assert_accessible(admin.page)

    provider = open_session("provider", "", width=width)
    provider.goto(agreement_path)
    provider.page.get_by_role("link", name="Variation 1").click()
    assert_accessible(provider.page)
    provider.page.get_by_role("button", name="Accept the varied terms").click()
    expect(provider.page.get_by_role("status")).to_contain_text("You accepted variation 1")
    assert_accessible(provider.page)

    provider.goto(agreement_path)
    expect(provider.page.locator("main")).to_contain_text(f"31 March {end.year + 1}")
    provider.page.get_by_role("link", name="Compare the 2 versions of the terms").click()
    expect(provider.page.get_by_role("table").first).to_contain_text(f"31 March {end.year + 1}")
    assert_accessible(provider.page)
    assert Variation.objects.get(agreement=agreement).status == "applied"
