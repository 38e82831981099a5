"""A payment from release to paid in a real browser, axe-core clean: Kettering's lead officer
releases an instalment, which needs finance sign-off; its finance officer authorises it,
exports it in a payment run, downloads the file for the finance system and marks the run paid;
the provider is sent a remittance advice."""

import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from grants.models import PaymentInstalment, PaymentRun
from sla_monitor.models import Notification
from tests.dates import fill_date

pytestmark = pytest.mark.e2e


def test_release_authorise_export_and_pay(open_session, assert_accessible):
    # The demo paid every instalment already due: this one is released again, from the start.
    third = PaymentInstalment.objects.get(agreement__reference="KBC-CCE-01", sequence=3)
    third.transitions.all().delete()
    PaymentInstalment.objects.filter(pk=third.pk).update(
        status="scheduled", decided_by=None, decided_at=None, requested_by=None, paid_on=None
    )
    label = third.label

    officer = open_session("officer", "")
    page = officer.page
    officer.goto(f"/agreements/{third.agreement_id}/?year={third.financial_year}")
    payments = page.get_by_role("region", name=re.compile("^Payments in"))
    payments.get_by_role("link", name=f"Ask finance to release the {label}").click()
    expect(
        page.get_by_text("A finance officer of the council authorises this payment")
    ).to_be_visible()
    expect(page.get_by_text("No money leaves the council yet.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Ask finance to release £12,500.00").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"The {label} is waiting for a finance officer to authorise it."
    )
    expect(payments).to_contain_text("Waiting for finance sign-off, requested by")
    assert_accessible(page)

    finance = open_session("finance", "")
    page = finance.page
    # The demo leaves its latest cohesion instalment waiting for the finance officer too.
    page.get_by_role("link", name="2 payments waiting for your authorisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Payments")
    assert_accessible(page)
    page.get_by_role("link", name=f"KBC-CCE-01, {label}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Pay £12,500.00 to Kettering Community Cohesion Network?"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Reject the request").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter why the request is rejected")
    assert_accessible(page)
    page.get_by_role("button", name="Authorise £12,500.00").click()
    expect(page.get_by_role("status")).to_contain_text(f"You authorised the {label}")
    expect(page.get_by_role("region", name="Payments waiting for a run")).to_contain_text(
        "SUP-10482"
    )
    assert_accessible(page)

    page.get_by_role("button", name="Export a payment run").click()
    expect(page.get_by_role("status")).to_contain_text("Payment run 1 was exported")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the file (CSV)").click()
    content = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert content.splitlines()[0] == (
        "Supplier reference,Cost centre,Account code,Amount,Payment reference,Description,Due date"
    )
    assert content.splitlines()[1].startswith(
        "SUP-10482,CD410,5120,12500.00,KBC-PR0001-KBC-CCE-01-3,"
    )

    page.get_by_role("button", name="Mark paid").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the date the run was paid")
    assert_accessible(page)
    fill_date(page, "Date paid", f"{timezone.localdate():%d/%m/%Y}")
    page.get_by_role("button", name="Mark paid").click()
    expect(page.get_by_role("status")).to_contain_text("Payment run 1 was marked paid.")
    assert_accessible(page)
    finance.goto(f"/agreements/{third.agreement_id}/?year={third.financial_year}")
    expect(page.locator(f"#instalment-{third.pk}")).to_contain_text("in payment run KBC-PR0001")

    run = PaymentRun.objects.get()
    assert (run.status, run.paid_on) == ("paid", timezone.localdate())
    third.refresh_from_db()
    assert (third.status, third.paid_on) == ("released", timezone.localdate())
    assert [t.by.username for t in third.transitions.order_by("pk")] == ["officer", "finance"]
    assert Notification.objects.filter(
        kind=Notification.Kind.REMITTANCE_ADVICE, recipient__username="provider"
    ).exists()
