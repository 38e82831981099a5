"""The equality information report in a real browser, on a desktop and on a phone: axe-core
clean, no wider than the screen, and its PDF downloads with the figures rounded."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from equality_plans.models import PopulationProfile, PopulationShare
from grants.models import BeneficiaryFigures, QuarterlyReturn
from sla_monitor.models import Organisation, User
from tests.factories import BeneficiaryFiguresFactory
from tests.pdf_text import read_pdf

pytestmark = pytest.mark.e2e


def _figures():
    """Beneficiary figures on Kettering's reported returns, in place of the demo's own, and its
    population profile."""
    BeneficiaryFigures.objects.all().delete()
    provider = User.objects.get(username="provider")
    returns = QuarterlyReturn.objects.filter(agreement__funder__short_code="KBC").reported()
    for quarterly_return in returns:
        BeneficiaryFiguresFactory(
            quarterly_return=quarterly_return,
            people_reached=40,
            updated_by=provider,
            counts={
                "sex": {"female": 22, "male": 15, "prefer-not-to-say": 3},
                "race": {"white-british": 30, "asian-indian": 7, "black-african": 3},
                "disability": {"limited-a-lot": 6, "not-disabled": 30, "not-known": 4},
            },
        )
    profile = PopulationProfile.objects.create(
        council=Organisation.objects.get(short_code="KBC"),
        area="Kettering",
        source="2021 Census",
        year=2021,
    )
    PopulationShare.objects.create(
        profile=profile, characteristic="sex", category="male", share=Decimal("49.2")
    )
    return returns.order_by("-period__financial_year").first().period.financial_year


def test_an_officer_reads_the_report_on_a_desktop_and_a_phone_and_downloads_it(
    open_session, assert_accessible
):
    year = _figures()
    page = open_session("officer", "").page
    page.get_by_role("link", name="Home").click()
    page.get_by_role("link", name=re.compile("annual equality information report")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Equality information report")
    expect(page.get_by_role("heading", name="Who the funded services reached")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Financial year").select_option(str(year))
    page.get_by_role("button", name="Show year").click()
    label = f"{year}/{(year + 1) % 100:02d}"
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Equality information report {label}"
    )
    expect(page.get_by_role("region", name="Sex: people reached")).to_contain_text("Male")
    assert_accessible(page)

    page.set_viewport_size({"width": 390, "height": 900})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the report (PDF)").click()
    _, text = read_pdf(Path(download.value.path()).read_bytes())
    assert f"Equality information report {label}" in text
    assert "rounded to a multiple of 5" in text
