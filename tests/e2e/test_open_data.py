"""Publishing grants as open data, and reading them without signing in, in a real browser."""

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_an_officer_takes_a_grant_down_and_the_public_page_follows(
    open_session, assert_accessible, browser, demo_live
):
    officer = open_session("officer", "")
    page = officer.page
    page.get_by_role("link", name="Open data").click()
    assert_accessible(page)
    page.get_by_role("button", name="Take down KBC-VOL-01").click()
    expect(page.get_by_role("status")).to_contain_text("KBC-VOL-01 is no longer published.")
    assert_accessible(page)

    public = browser.new_context(viewport={"width": 390, "height": 844})
    visitor = public.new_page()
    visitor.goto(demo_live.url + "/open-data/")
    assert_accessible(visitor)
    visitor.get_by_role("link", name="Kettering Borough Council").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(
        "Grants published by Kettering Borough Council"
    )
    assert_accessible(visitor)
    expect(visitor.get_by_role("table")).not_to_contain_text("Kettering Volunteer Centre")
    with visitor.expect_download() as download:
        visitor.get_by_role("link", name="360Giving data (Excel)").click()
    assert Path(download.value.path()).stat().st_size > 0
    visitor.goto(demo_live.url + "/open-data/KBC/360giving.json")
    package = json.loads(visitor.inner_text("body"))
    assert [g["id"] for g in package["grants"]] == [
        "360G-demo-KBC-KBC-CCE-01",
        "360G-demo-KBC-KBC-LUN-01",
    ]
    public.close()
