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

    page.get_by_role("link", name="Correct the Q3 2015/16 update").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Correct the Q3 2015/16 update")
    assert_accessible(page)
    page.get_by_label("Green").check()
    page.get_by_role("button", name="Save the correction").click()
    expect(page.get_by_role("status")).to_contain_text("The Q3 2015/16 update was corrected.")
    expect(page.get_by_role("region", name="Progress", exact=True)).to_contain_text("Corrected")
    assert action.progress_updates.get(financial_year=2015, quarter=3).rag_status == "green"


def test_an_administrator_imports_a_changed_plan_and_undoes_it(
    open_session, assert_accessible, tmp_path
):
    admin = open_session("admin", "")
    page = admin.page
    page.get_by_role("link", name="Equality plans").click()
    page.get_by_role("link", name=re.compile("Equality Objectives and Community Cohesion")).click()
    page.get_by_role("link", name="Import actions from a spreadsheet").click()
    assert_accessible(page)
    page.get_by_label("Spreadsheet of actions").set_input_files(str(KINGSTON_CSV))
    page.get_by_role("button", name="Check the file").click()
    expect(
        page.get_by_role("region", name=f"What importing “{KINGSTON_CSV.name}” would do")
    ).to_contain_text("Nothing to change")
    assert_accessible(page)

    changed = tmp_path / "kingston-changed.csv"
    changed.write_text(
        "No,Action,Lead Responsibility\n3,Equalities training for all staff and members,\n",
        encoding="utf-8",
    )
    page.get_by_label("Spreadsheet of actions").set_input_files(str(changed))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("region", name="1 field would be emptied")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Import 1 change").click()
    expect(page.get_by_role("status").first).to_contain_text("1 updated")
    action = Action.objects.get(plan__title__startswith="Equality Objectives", number="3")
    assert action.wording == "Equalities training for all staff and members"
    assert action.lead_responsibility  # kept: the box was not ticked

    page.get_by_role("link", name="Import history").click()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Undo")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Undo the import")
    assert_accessible(page)
    page.get_by_role("button", name="Undo the import").click()
    expect(page.get_by_text("was undone")).to_be_visible()
    action.refresh_from_db()
    assert action.wording != "Equalities training for all staff and members"
