"""Kettering's equality officer reads who the council's grants reach, in a real browser, at a
desk and on a phone, axe-core clean; the council's administrator records the area's population."""

import re

import pytest
from playwright.sync_api import expect

from grants.models import BeneficiaryCount, BeneficiaryFigures, QuarterlyReturn
from sla_monitor.models import User
from tests.factories import BeneficiaryFiguresFactory

pytestmark = pytest.mark.e2e

KETTERING = "Kettering Borough Council"


def _figures() -> int:
    """Figures on the demo's latest submitted or approved Kettering return, in place of the
    demo's own, so that the page shows these alone; its year."""
    BeneficiaryFigures.objects.all().delete()
    latest = (
        QuarterlyReturn.objects.reported()
        .filter(agreement__funder__short_code="KBC")
        .order_by("-period__start_date")
        .select_related("period")
        .first()
    )
    BeneficiaryFiguresFactory(
        quarterly_return=latest,
        updated_by=User.objects.get(username="provider"),
        people_reached=35,
        counts={
            "sex": {"female": 20, "male": 10, "prefer-not-to-say": 5},
            "race": {"white-british": 25, "asian-indian": 3, "black-african": 5, "not-known": 2},
        },
        not_collected=["age"],
    )
    return latest.period.financial_year


@pytest.mark.parametrize("width", [1280, 390])
def test_the_equality_officer_reads_who_the_grants_reach(
    browser, demo_live, assert_accessible, width
):
    from tests.e2e.conftest import Session

    latest = _figures()
    session = Session(browser, demo_live.url, width=width)
    session.sign_in("cohesion", "sla-monitor-demo")
    page = session.page
    if width < 1200:
        page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Who grants reach").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Who the grants reach")
    expect(page).to_have_title(re.compile(f"{KETTERING}, {latest}/"))
    expect(
        page.get_by_role("heading", name=f"No population profile is recorded for {KETTERING}")
    ).to_be_visible()
    expect(page.get_by_text("Your council's administrator records it")).to_be_visible()
    sex = page.get_by_role("region", name="Sex", exact=True)
    expect(sex.get_by_role("row", name=re.compile("^Female"))).to_contain_text("20")
    race = page.get_by_role("region", name="Race", exact=True)
    indian = BeneficiaryCount.objects.get(category="asian-indian").published
    indian_row = race.get_by_role("row", name=re.compile("Indian"))
    expect(indian_row.get_by_role("cell").first).to_have_text(str(indian))
    expect(page.get_by_text("every count is rounded to a multiple of 5")).to_be_visible()
    expect(page.get_by_text("1 return did not collect it.")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    assert download.value.suggested_filename.startswith("reach-KBC-")
    session.context.close()


def test_the_administrator_records_the_population_and_it_is_set_beside_the_figures(
    browser, demo_live, assert_accessible
):
    from tests.e2e.conftest import Session

    _figures()
    session = Session(browser, demo_live.url)
    session.sign_in("counciladmin", "sla-monitor-demo")
    page = session.page
    page.get_by_role("link", name="Area's population").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Area's population")
    assert_accessible(page)

    page.get_by_label("Area", exact=True).fill("Kettering Borough")
    page.get_by_label("Source of the figures").fill("2021 Census, Office for National Statistics")
    page.get_by_label("Year the figures describe").fill("2021")
    page.get_by_text("Sex", exact=True).click()
    page.get_by_label("Female").fill("51")
    page.get_by_label("Male", exact=True).fill("59")
    page.get_by_role("button", name="Save the area's population").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Sex: Female, Male make 110% of the population")
    assert_accessible(page)

    female = page.get_by_label("Female")
    expect(summary.get_by_role("link")).to_have_attribute("href", "#" + female.get_attribute("id"))
    page.get_by_label("Male", exact=True).fill("49")
    page.get_by_role("button", name="Save the area's population").click()
    expect(page.get_by_role("status")).to_contain_text("area's population is recorded")

    page.get_by_role("link", name="who the grants reach").click()
    sex = page.get_by_role("region", name="Sex", exact=True)
    expect(sex.get_by_role("row", name=re.compile("^Male"))).to_contain_text(
        "Under-reached by 15.7 points"
    )
    expect(page.get_by_role("link", name="Sex: Male")).to_be_visible()
    assert_accessible(page)
    session.context.close()
