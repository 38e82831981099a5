"""The report and list pages in a real browser: axe-core clean, and the downloads work."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
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


def test_a_large_report_is_prepared_in_the_background_then_downloaded_once(
    open_session, assert_accessible, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.REPORT_WORKER_ROWS = 10
    page = open_session("equality", "").page
    page.get_by_role("link", name="Equality plans").click()
    page.get_by_role("link", name=re.compile("Equality Objectives and Community Cohesion")).click()

    page.get_by_role("link", name="Download the progress report (PDF)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your report is being prepared")
    assert_accessible(page)
    preparing = page.url
    with page.expect_download(timeout=20_000) as download:
        call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO())
    _, text = read_pdf(Path(download.value.path()).read_bytes())
    page.goto(preparing)

    assert "Equality Objectives and Community Cohesion Action Plan 2015-2016" in text
    expect(page.get_by_role("heading", level=1)).to_have_text("There is no report to download here")
    assert_accessible(page)


def test_without_a_worker_a_large_report_is_refused_on_an_accessible_page(
    open_session, assert_accessible, settings
):
    settings.REPORT_WORKER_ROWS = 10
    page = open_session("equality", "").page
    page.get_by_role("link", name="Equality plans").click()
    page.get_by_role("link", name=re.compile("Equality Objectives and Community Cohesion")).click()

    page.get_by_role("link", name="Download the progress report (PDF)").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "This report is too large to make while you wait"
    )
    assert_accessible(page)
