"""The report and list pages in a real browser: axe-core clean, and the downloads work."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.pdf_text import read_pdf

pytestmark = pytest.mark.e2e


def test_officer_downloads_the_year_report_and_exports_from_the_pages(
    open_session, assert_accessible
):
    officer = open_session("officer", "")
    page = officer.page
    page.get_by_role("link", name="Home").click()
    page.get_by_role("link", name="KBC-CCE-01", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Community Cohesion and Equalities Service Specification"
    )
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"Download the .* report \(PDF\)")).click()
    _, text = read_pdf(Path(download.value.path()).read_bytes())
    assert "Community Cohesion and Equalities Service Specification" in text

    page.get_by_role("link", name="Indicator results").click()
    assert_accessible(page)
    page.get_by_label("Agreement", exact=True).select_option(
        label="KBC-VOL-01: Volunteering and Community Groups Support Service Specification"
    )
    page.get_by_role("button", name="Filter").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    body = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "KBC-VOL-01" in body and "KBC-CCE-01" not in body

    page.get_by_role("link", name="Review returns").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel").click()
    assert download.value.suggested_filename == "returns.xlsx"


def test_action_owner_reads_the_plan_and_downloads_its_progress_report(
    open_session, assert_accessible
):
    owner = open_session("equality", "")
    page = owner.page
    page.get_by_role("link", name="Equality plans").click()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Equality Objectives and Community Cohesion")).click()
    assert_accessible(page)
    page.get_by_label("Equality strand").select_option(label="D: Disability")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("table").get_by_role("row")).not_to_have_count(0)
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the progress report (PDF)").click()
    _, text = read_pdf(Path(download.value.path()).read_bytes())
    assert "as filtered on the plan page" in text
