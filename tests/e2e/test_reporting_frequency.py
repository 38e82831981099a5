"""A lead officer sees how often a small grant reports, and may change it while no return
exists, each page axe-clean."""

import pytest
from playwright.sync_api import expect

from grants.models import Agreement

pytestmark = pytest.mark.e2e


def test_a_lead_officer_makes_the_small_annual_grant_six_monthly(open_session, assert_accessible):
    session = open_session("officer", "")
    page = session.page
    small = Agreement.objects.get(reference="KBC-LUN-01")
    session.goto(f"/agreements/{small.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Friendship Lunch Club")
    expect(page.get_by_text("Annual: in Q4, covering the financial year")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Edit agreement").click()
    page.get_by_label("Reporting frequency").select_option(label="Six-monthly")
    assert_accessible(page)
    page.get_by_role("button", name="Save the changes").click()

    # Its second instalment waits for the Q4 return, which a six-monthly grant makes too.
    expect(
        page.get_by_text("Six-monthly: in Q2 and Q4, each covering the six months to its end")
    ).to_be_visible()
    small.refresh_from_db()
    assert small.reporting_frequency == "six_monthly"
