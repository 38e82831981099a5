"""The send-back as a conversation, both ways, in a real browser at a desk's width and a
phone's, with axe-core on every page: the officer flags two answers; the provider replies to
one and the officer answers; the provider changes one answer, leaves the other, and confirms
that on purpose; the officer sees which changed, resolves the other and approves."""

import re

import pytest
from playwright.sync_api import expect

from grants.models import AnswerFlag, QuarterlyReturn

pytestmark = pytest.mark.e2e
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.parametrize("width", [1280, 390])
def test_flag_reply_change_resolve_resubmit_approve(
    open_session, assert_accessible, tmp_path, width
):
    submitted = QuarterlyReturn.objects.get(agreement__reference="KBC-CCE-01", status="submitted")
    indicators = {i.code: i.pk for i in submitted.agreement.indicators.all()}
    return_path = f"/returns/{submitted.pk}/"

    officer = open_session("officer", "", width=width)
    review = officer.page
    officer.goto(return_path)
    review.get_by_label("Flag this answer (indicator c)").check()
    review.get_by_label("What needs changing in indicator c").fill("Name the groups you supported.")
    review.get_by_label("What needs changing in indicator b").fill("Which events were these?")
    review.get_by_label("Request changes").check()
    review.get_by_label("Comment to the provider").fill("Two answers need more detail.")
    review.get_by_role("button", name="Confirm decision").click()
    expect(review.get_by_role("status")).to_contain_text("sent the")
    flags = {f.label: f.pk for f in AnswerFlag.objects.filter(quarterly_return=submitted)}
    assert set(flags) == {"Indicator b", "Indicator c"}
    assert_accessible(review)

    provider = open_session("provider", "", width=width)
    page = provider.page
    provider.goto(return_path)
    status_c = page.locator(f"#task-status-{indicators['c']}")
    expect(status_c).to_have_text("Change requested")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(r"^Indicator c:")).click()
    thread = page.locator(f"#flag-{flags['Indicator c']}")
    expect(thread).to_contain_text("Name the groups you supported.")
    assert_accessible(page)
    log = tmp_path / "groups-log.pdf"
    log.write_bytes(PDF)
    thread.get_by_label("Your reply about Indicator c").fill("Do you need their names or kinds?")
    thread.get_by_label("Attach files (optional)").set_input_files(str(log))
    thread.get_by_role("button", name="Send reply").click()
    expect(page.get_by_role("status")).to_contain_text("Your message was sent.")
    expect(thread).to_contain_text("Do you need their names or kinds?")
    expect(thread.get_by_role("link", name="groups-log.pdf")).to_be_visible()
    assert_accessible(page)

    officer.goto(return_path)
    thread = review.locator(f"#flag-{flags['Indicator c']}")
    expect(thread).to_contain_text("Do you need their names or kinds?")
    thread.locator("summary").click()
    thread.get_by_label("Your reply about Indicator c").fill("Their kinds are enough.")
    thread.get_by_role("button", name="Send reply").click()
    expect(review.get_by_role("status")).to_contain_text("Your message was sent.")
    assert_accessible(review)

    provider.goto(return_path)
    page.get_by_role("link", name=re.compile(r"^Indicator c:")).click()
    expect(page.locator(f"#flag-{flags['Indicator c']}")).to_contain_text("Their kinds are enough.")
    page.get_by_label("Comments (optional)").fill(
        "Youth club, faith forum and two residents' groups."
    )
    page.get_by_role("button", name="Save as draft").click()
    expect(page.locator(f"#task-status-{indicators['c']}")).not_to_have_text("Change requested")
    page.get_by_role("link", name="Check your answers and submit").click()
    page.get_by_role("button", name="Submit return").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("Confirm that you are submitting the answers")
    assert_accessible(page)
    page.get_by_label("I am submitting these answers unchanged on purpose").check()
    page.get_by_role("button", name="Submit return").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Return submitted")

    officer.goto(return_path)
    banner = review.get_by_role("region", name=re.compile("^Resubmitted"))
    expect(banner).to_contain_text("1 answer changed since the return was sent back")
    expect(banner).to_contain_text("Indicator b: unchanged since you flagged it")
    thread_b = review.locator(f"#flag-{flags['Indicator b']}")
    expect(thread_b).to_contain_text("Unchanged since you flagged it on")
    expect(review.locator(f"#flag-{flags['Indicator c']}")).to_contain_text(
        "Changed since it was flagged"
    )
    assert_accessible(review)
    thread_b.locator("summary").click()
    thread_b.get_by_label("Your reply about Indicator b").fill("The report names them.")
    thread_b.get_by_role("button", name="Resolve the flag").click()
    expect(review.get_by_role("status")).to_contain_text("The flag on Indicator b is resolved.")
    review.get_by_label("Approve the return").check()
    review.get_by_role("button", name="Confirm decision").click()
    expect(review.get_by_role("status")).to_contain_text("You approved")
    assert_accessible(review)

    provider.goto(return_path)
    history = page.get_by_role("region", name="History")
    expect(history).to_contain_text("Message about the flag on Indicator c")
    expect(history).to_contain_text("Flag on Indicator c cleared: the answer was changed")
    expect(history).to_contain_text("Flag on Indicator b resolved")
    expect(history).to_contain_text("The report names them.")
    assert_accessible(page)
    if width < 576:
        assert page.evaluate("document.documentElement.scrollWidth") <= width
