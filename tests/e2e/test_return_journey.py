"""The journey that is the product, in a real browser, with axe-core on every page."""

import re

import pytest
from playwright.sync_api import expect

from grants.models import BeneficiaryCount, QuarterlyReturn
from sla_monitor import accounts
from sla_monitor.models import User
from tests.e2e.conftest import Session

pytestmark = pytest.mark.e2e
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def fill_current_return(page, check, tmp_path):
    """As the provider: start this quarter's return and answer every section."""
    page.get_by_role("link", name="Your returns", exact=True).click()
    check(page)
    page.get_by_role("button", name=re.compile(r"^Start")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("return")
    # The demo's milestone f was achieved in an earlier quarter: shown, and not asked again.
    expect(page.get_by_role("region", name="Milestones already achieved")).to_contain_text(
        "Indicator f"
    )
    check(page)

    evidence = tmp_path / "market-event.pdf"
    evidence.write_bytes(PDF)
    page.get_by_role("link", name=re.compile(r"^Indicator a:")).click()
    answers = {
        "a": lambda: page.get_by_label("Describe the work this quarter").fill(
            "Shared lunch for 60 residents from 12 backgrounds."
        ),
        "b": lambda: (
            page.get_by_label("Number achieved this quarter").fill("1"),
            page.get_by_label("Add an evidence file (optional)").set_input_files(str(evidence)),
        ),
        "c": lambda: page.get_by_label("Number achieved this quarter").fill("3"),
        "d": lambda: page.get_by_label("Describe the work this quarter").fill("14 cases."),
        "e": lambda: page.get_by_label("Describe the work this quarter").fill("Tension group."),
        "g": lambda: page.get_by_label("Percentage achieved").fill("78"),
    }
    for code, answer in answers.items():
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Indicator {code}")
        check(page)
        answer()
        page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Minimum requirements")
    check(page)
    for radio in page.get_by_role("radio", name="Yes").all():
        radio.check()
    page.get_by_role("button", name="Save and continue").click()
    answer_fund_questions(page, check)
    fill_support(page, check)
    fill_spending(page, check)
    fill_people(page, check)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check your answers")
    check(page)


def answer_fund_questions(page, check):
    """As the provider, the questions Kettering's fund adds: a number that is not one first."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Questions from the fund")
    check(page)
    volunteers = page.get_by_label("How many volunteers helped this quarter?")
    volunteers.fill("a dozen")
    page.get_by_role("button", name="Save and continue").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("Enter the answer as a whole number, like 12")
    volunteers.fill("12")
    page.get_by_role(
        "group", name="Has your safeguarding policy been reviewed this year?"
    ).get_by_label("Yes").check()
    page.get_by_role("button", name="Save and continue").click()


def fill_support(page, check):
    """As the provider, on "Added value and support in kind": a negative value first."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Added value and support in kind")
    check(page)
    page.get_by_label(re.compile(r"shows for added value I\b")).fill(
        "Joint stall with the police at the market event."
    )
    page.get_by_label("What was used").nth(1).fill("12 volunteer parking days")
    page.get_by_label("Its value in pounds").nth(1).fill("-54")
    page.get_by_role("button", name="Save and continue").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("The value cannot be negative")
    check(page)
    page.get_by_label("Its value in pounds").nth(1).fill("54.00")
    page.get_by_role("button", name="Save and continue").click()


def fill_spending(page, check):
    """As the provider, the spend to date on each budget line: a negative amount first."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Spending")
    check(page)
    spent = page.get_by_label(re.compile(r"^Spent on "))
    spent.first.fill("-10")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("[data-error-summary]")).to_contain_text("cannot be less than £0")
    check(page)
    for box in spent.all():
        box.fill("1000")
    for box in page.get_by_label(re.compile(r"^Why the spend on ")).all():
        box.fill("Spend follows the plan agreed at the last monitoring meeting.")
    page.get_by_role("button", name="Save and continue").click()


# Who the quarter's service worked with: 40 people, 3 of them women (a count the council sees
# only rounded, as 0 or 5), pregnancy and maternity not asked.
PEOPLE = 40


def fill_people(page, check):
    """As the provider, on "People you worked with": a mistake first, then every section."""
    expect(page.get_by_role("heading", level=1)).to_have_text("People you worked with")
    check(page)
    page.get_by_label("How many people did you work with in the quarter?").fill(str(PEOPLE))
    sex = page.get_by_role("group", name="Sex", exact=True)
    sex.get_by_label("Female").fill("3")
    sex.get_by_label("Male", exact=True).fill("30")
    expect(sex.locator("[data-running-sum]")).to_have_text(
        "These add up to 33 people: 7 fewer than the 40 people you worked with."
    )
    page.get_by_role("button", name="Save and continue").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("Sex: the numbers add up to 33, not the 40 people")
    check(page)
    summary.get_by_role("link", name=re.compile("^Sex: the numbers")).click()
    expect(page).to_have_url(re.compile("#id_sex__female$"))
    sex.get_by_label("Not known").fill("7")
    expect(sex.locator("[data-running-sum]")).to_have_text(
        "These add up to 40 people, the people you worked with."
    )
    pregnancy = page.get_by_role("group", name="Pregnant, or had a baby in the last 26 weeks")
    pregnancy.get_by_label("We did not collect this").check()
    pregnancy.get_by_label("Why you did not collect it").fill("Not asked at drop-ins.")
    for fieldset in page.locator("fieldset.beneficiary-fieldset").all():
        boxes = fieldset.locator("[data-counts] input")
        if boxes.first.is_visible() and not any(b.input_value() for b in boxes.all()):
            fieldset.get_by_label("Not known", exact=True).fill(str(PEOPLE))
    page.get_by_role("button", name="Save and continue").click()


def test_provider_submits_officer_sends_back_provider_resubmits_officer_approves(
    open_session, assert_accessible, tmp_path
):
    provider = open_session("provider", "")
    page = provider.page
    fill_current_return(page, assert_accessible, tmp_path)
    expect(page.get_by_role("link", name="market-event.pdf")).to_be_visible()
    page.get_by_role("button", name="Submit return").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Return submitted")
    expect(page.get_by_role("link", name="Download your return as a PDF")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="View your submitted return").click()
    return_url = page.url
    submitted = QuarterlyReturn.objects.filter(status="submitted").order_by("-pk").first()
    assert submitted.evidence_files.get().original_name == "market-event.pdf"

    officer = open_session("officer", "")
    review = officer.page
    review.get_by_role("link", name="Review returns").click()
    assert_accessible(review)
    review.get_by_label("Status", exact=True).select_option("submitted")
    review.get_by_role("button", name="Filter").click()
    review.get_by_role("link", name=f"{submitted.period} return of KBC-CCE-01").click()
    assert_accessible(review)
    expect(
        review.locator("#indicator-" + str(submitted.agreement.indicators.get(code="c").pk))
    ).to_contain_text("Amber")
    sex = review.get_by_role("region", name="Sex", exact=True)
    published = {
        c.category: c.published
        for c in BeneficiaryCount.objects.filter(
            figures__quarterly_return=submitted, characteristic="sex"
        )
    }
    assert published["female"] in (0, 5)
    expect(sex.get_by_role("row", name=re.compile("^Female"))).to_have_text(
        re.compile(f"{published['female']}$")
    )
    expect(sex.get_by_role("row", name=re.compile("^Not known"))).to_have_text(
        re.compile(f"{published['not-known']}$")
    )
    expect(sex.get_by_role("row", name=re.compile("^Male"))).to_have_text(re.compile("30$"))
    expect(review.get_by_role("region", name="People the service worked with")).to_contain_text(
        "Not collected: Not asked at drop-ins."
    )
    review.get_by_label("Request changes").check()
    review.get_by_label("Comment to the provider").fill("Indicator c is below target: add detail.")
    review.get_by_label("Flag this answer (indicator c)").check()
    review.get_by_label("What needs changing in indicator c").fill("Name the groups you supported.")
    review.get_by_role("button", name="Confirm decision").click()
    expect(review.get_by_role("status")).to_contain_text("sent the")
    assert_accessible(review)

    page.goto(return_url)
    expect(page.get_by_role("region", name=re.compile("asked for changes"))).to_contain_text(
        "Indicator c is below target"
    )
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(r"^Indicator c:")).click()
    expect(page.locator(".alert.flagged-answer")).to_contain_text("Name the groups you supported.")
    page.get_by_label("Comments (optional)").fill(
        "Youth club, faith forum and two residents' groups."
    )
    page.get_by_label("Number achieved this quarter").fill("4")
    page.get_by_role("button", name="Save as draft").click()
    page.get_by_role("link", name="Check your answers and submit").click()
    page.get_by_role("button", name="Submit return").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Return submitted")

    review.goto(return_url)
    expect(review.get_by_text("1 answer changed since the return was sent back")).to_be_visible()
    expect(review.get_by_text("Previously: 3", exact=True)).to_be_visible()
    assert_accessible(review)
    review.get_by_label("Approve the return").check()
    review.get_by_role("button", name="Confirm decision").click()
    expect(review.get_by_role("status")).to_contain_text("You approved")

    page.reload()
    history = page.get_by_role("region", name="History")
    for who, to in [
        ("Sam Okafor", "Submitted"),
        ("Priya Shah", "Changes requested"),
        ("Priya Shah", "Approved"),
    ]:
        expect(
            history.get_by_role("row").filter(has_text=who).filter(has_text=to).first
        ).to_be_visible()
    assert_accessible(page)
    review.reload()
    # Four changes of status, and the flag cleared when the provider changed the answer.
    expect(review.get_by_role("region", name="History").get_by_role("row")).to_have_count(6)

    page.get_by_role("link", name="Answers as submitted in submission 1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"return: submission 1$"))
    expect(page.get_by_text("Changes requested by Priya Shah")).to_be_visible()
    assert_accessible(page)


def tab_to(page, selector: str, limit: int = 80):
    """Move the focus with the Tab key alone until it reaches the element."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def sign_in_with_keyboard(session, username, password):
    page = session.page
    session.goto("/accounts/login/")
    tab_to(page, "#id_login")
    page.keyboard.type(username)
    tab_to(page, "#id_password")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"^{re.escape(session.base_url)}/(accounts/2fa/authenticate/)?$"))
    if page.url.endswith("/accounts/2fa/authenticate/"):
        tab_to(page, "#id_code")
        page.keyboard.type(accounts.current_code(User.objects.get(username=username)))
        page.keyboard.press("Enter")
    page.wait_for_url(session.base_url + "/")


def test_the_return_can_be_filled_in_with_the_keyboard_alone(browser, demo_live, settings):
    session = Session(browser, demo_live.url)
    page = session.page
    sign_in_with_keyboard(session, "provider", settings.DEMO_PASSWORD)
    tab_to(page, "a[href='/returns/']")
    page.keyboard.press("Enter")
    page.wait_for_url(demo_live.url + "/returns/")
    tab_to(page, "form[action^='/returns/start/'] button")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/returns/\d+/$"))
    tab_to(page, "a[href*='/indicators/']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/indicators/\d+/$"))
    tab_to(page, "#id_narrative")
    page.keyboard.type("Typed without a mouse.")
    tab_to(page, "button[name=save_draft]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/returns/\d+/$"))
    expect(page.get_by_role("status")).to_contain_text("Indicator a saved")
    session.context.close()


def test_an_officer_can_decide_with_the_keyboard_alone(browser, demo_live, settings):
    submitted = QuarterlyReturn.objects.get(agreement__reference="KBC-CCE-01", status="submitted")
    session = Session(browser, demo_live.url)
    page = session.page
    sign_in_with_keyboard(session, "officer", settings.DEMO_PASSWORD)
    tab_to(page, "a[href='/review/']")
    page.keyboard.press("Enter")
    page.wait_for_url(demo_live.url + "/review/")
    tab_to(page, f"a[href='/returns/{submitted.pk}/']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/returns/{submitted.pk}/$"))
    tab_to(page, "#id_decision_0")
    page.keyboard.press("Space")
    tab_to(page, "button[type=submit]:not(.btn-outline-light)")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("You approved")
    submitted.refresh_from_db()
    assert submitted.status == "approved"
    session.context.close()


def test_the_people_you_worked_with_fit_a_phone_and_pass_axe(browser, demo_live, assert_accessible):
    """At 390px: the form, its errors, check answers, and the officer's rounded figures."""
    from django.conf import settings

    provider = Session(browser, demo_live.url, width=390)
    provider.sign_in("provider", settings.DEMO_PASSWORD)
    page = provider.page

    def fits():
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url

    provider.goto("/returns/")
    page.get_by_role("button", name=re.compile(r"^Start")).first.click()
    page.get_by_role("link", name="People you worked with").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People you worked with")
    fits()
    assert_accessible(page)
    people = page.get_by_label("How many people did you work with in the quarter?")
    under_25 = page.get_by_role("group", name="Age", exact=True).get_by_label("16 to 24")
    sex = page.get_by_role("group", name="Sex", exact=True)
    people.fill("twelve")
    under_25.fill("-2")
    sex.get_by_label("We did not collect this").check()
    page.get_by_role("button", name="Save as draft").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("People you worked with: enter a whole number, like 12")
    expect(summary).to_contain_text("Age, 16 to 24: the number cannot be less than 0")
    expect(summary).to_contain_text("Sex: say why you did not collect it")
    expect(sex.get_by_label("Why you did not collect it")).to_be_visible()
    fits()
    assert_accessible(page)
    people.fill("0")
    under_25.fill("")
    sex.get_by_label("We did not collect this").uncheck()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check your answers")
    expect(page.get_by_role("region", name="People you worked with")).to_contain_text(
        "People worked with in the quarter"
    )
    fits()
    assert_accessible(page)
    provider.context.close()

    submitted = QuarterlyReturn.objects.get(agreement__reference="KBC-CCE-01", status="submitted")
    officer = Session(browser, demo_live.url, width=390)
    officer.sign_in("officer", settings.DEMO_PASSWORD)
    page = officer.page
    officer.goto(f"/returns/{submitted.pk}/")
    figures = page.get_by_role("region", name="People the service worked with")
    expect(figures).to_contain_text("every count is rounded to a multiple of 5 for each return")
    fits()
    assert_accessible(page)
    officer.context.close()
