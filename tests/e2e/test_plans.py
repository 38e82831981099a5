"""Equality plans in a real browser: the owner records progress; axe-core on every new page."""

import re

import pytest
from playwright.sync_api import expect

from equality_plans.demo import KINGSTON_CSV
from equality_plans.models import Action

pytestmark = pytest.mark.e2e


def test_the_action_owner_records_progress(open_session, assert_accessible):
    owner = open_session("equality", "")
    page = owner.page
    page.get_by_role("link", name="Equality plans").click()
    page.get_by_role("link", name=re.compile("Equality Objectives and Community Cohesion")).click()
    page.get_by_role("link", name="Equality strand coverage").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Equality strand coverage")
    assert_accessible(page)
    page.go_back()
    page.get_by_role("link", name="Action 2", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Action 2")
    assert_accessible(page)

    page.get_by_role("button", name="Record progress").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose a RAG status")
    assert_accessible(page)
    page.get_by_label("Quarter").select_option(label="Q3 2015/16")
    page.get_by_label("Amber").check()
    page.get_by_role("textbox", name="Progress").fill(
        "Report drafted; goes to the Equalities Board in January."
    )
    page.get_by_role("button", name="Record progress").click()
    expect(page.get_by_role("status")).to_contain_text("Progress for Q3 2015/16 recorded.")
    expect(page.get_by_role("region", name="Progress", exact=True)).to_contain_text(
        "Report drafted"
    )
    assert_accessible(page)
    action = Action.objects.get(plan__title__startswith="Equality Objectives", number="2")
    assert action.progress_updates.filter(financial_year=2015, quarter=3).exists()


def test_an_administrator_previews_an_import(open_session, assert_accessible):
    admin = open_session("admin", "")
    page = admin.page
    page.get_by_role("link", name="Equality plans").click()
    page.get_by_role("link", name=re.compile("Equality Objectives and Community Cohesion")).click()
    page.get_by_role("link", name="Import actions from a spreadsheet").click()
    assert_accessible(page)
    page.get_by_label("Spreadsheet of actions").set_input_files(str(KINGSTON_CSV))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("region", name="What importing this file would do")).to_contain_text(
        "63 unchanged"
    )
    assert_accessible(page)
