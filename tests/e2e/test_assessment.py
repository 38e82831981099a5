"""An equality impact assessment walked from screening to publication in a real browser, at a
desk's width and a phone's, with axe-core on every page: Kingston's plan manager finds the
demo's Dementia Strategy screened as needing a full assessment, is refused a half-finished one
beside its fields, completes it and sends it for sign-off; Kingston's senior officer, a second
person, signs it off; the plan manager publishes it, and anyone reads it on the council's public
page of assessments."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from equality_plans.models import Assessment

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("width", [1280, 390])
def test_an_assessment_from_screening_to_publication(
    open_session, assert_accessible, browser, demo_live, width
):
    assessment = Assessment.objects.get(council__short_code="RBK", title__startswith="Dementia")
    path = f"/assessments/{assessment.pk}/"
    review = timezone.localdate() + dt.timedelta(days=365)

    manager = open_session("planmanager", "", width=width)
    page = manager.page
    manager.goto("/plans/")
    page.get_by_role("link", name="Equality impact assessments").first.click()
    assert_accessible(page)
    page.get_by_role("link", name=assessment.reference, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Dementia Strategy for Kingston upon Thames"
    )
    assert_accessible(page)
    page.get_by_role("link", name="Change the full assessment").click()
    page.get_by_label("Evidence").fill(
        "The Joint Strategic Needs Assessment, the memory clinic's referrals and Census 2021."
    )
    page.get_by_role("button", name="Save the full assessment").click()
    summary = page.locator("[data-error-summary], .alert-danger").first
    expect(summary).to_contain_text("Choose the likely impact on age")
    expect(summary).to_contain_text("Choose the outcome of the assessment")
    assert_accessible(page)

    page.get_by_label("Consultation and engagement").fill(
        "Three listening events with people living with dementia and their carers."
    )
    for group in ("age", "disability", "sex", "carers"):
        fieldset = page.locator("fieldset", has=page.get_by_text(f"Likely impact on {group}"))
        fieldset.get_by_label("Positive").check()
        fieldset.get_by_label("Explanation").fill("Earlier diagnosis and support closer to home.")
    page.get_by_label("Adjust the policy").check()
    page.locator("[name=review_date_day]").fill(str(review.day))
    page.locator("[name=review_date_month]").fill(str(review.month))
    page.locator("[name=review_date_year]").fill(str(review.year))
    page.get_by_role("button", name="Save the full assessment").click()
    expect(page.get_by_role("status").first).to_contain_text("The full assessment was saved.")
    page.get_by_label("Group it is for").select_option(label="Carers")
    page.get_by_role("button", name="Add the mitigation").click()
    expect(page.locator("[data-error-summary], .alert-danger").first).to_contain_text(
        "Describe what will be done"
    )
    page.get_by_role("textbox", name="What will be done").fill(
        "A carers' assessment offered at diagnosis."
    )
    page.get_by_role("button", name="Add the mitigation").click()
    expect(page.get_by_role("status").first).to_contain_text("The mitigation was added.")
    assert_accessible(page)
    page.get_by_role("link", name="Done: back to the assessment").click()
    page.get_by_role("button", name="Send for sign-off").click()
    expect(page.get_by_role("status").first).to_contain_text("for sign-off")
    assert_accessible(page)

    senior = open_session("senior", "", width=width)
    senior.goto(path)
    senior.page.get_by_role("link", name="Sign off or return it").click()
    assert_accessible(senior.page)
    senior.page.get_by_role("button", name="Sign it off").click()
    expect(senior.page.get_by_role("status").first).to_contain_text("was signed off")
    assert_accessible(senior.page)

    manager.goto(path)
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status").first).to_contain_text("was published")

    visitor = browser.new_context(viewport={"width": width, "height": 900})
    public = visitor.new_page()
    public.goto(demo_live.url + "/open-data/RBK/assessments/")
    assert_accessible(public)
    public.get_by_role("link", name="Dementia Strategy for Kingston upon Thames").click()
    main = public.locator("main")
    expect(main).to_contain_text("Adjust the policy")
    expect(main).to_contain_text("Earlier diagnosis and support closer to home.")
    expect(main).to_contain_text("A carers' assessment offered at diagnosis.")
    expect(main).not_to_contain_text("Grace Adeyemi")
    assert_accessible(public)
    visitor.close()
    assessment.refresh_from_db()
    assert assessment.status == "published"
