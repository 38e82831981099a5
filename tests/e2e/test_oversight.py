"""The grants manager's Monday morning in a real browser, axe-core clean."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from grants.models import PaymentInstalment
from sla_monitor.models import Organisation
from sla_monitor.periods import financial_year_of
from tests.dates import fill_date

pytestmark = pytest.mark.e2e


def test_officer_reads_the_dashboard_and_releases_an_instalment(open_session, assert_accessible):
    # Kettering lets its lead officers release up to £20,000 without finance sign-off here
    # (tests/e2e/test_payments.py walks the sign-off).
    Organisation.objects.filter(short_code="KBC").update(
        finance_signoff_threshold=Decimal("20000.00")
    )
    # The demo released every instalment already due: this one has not been, yet.
    third = PaymentInstalment.objects.get(agreement__reference="KBC-CCE-01", sequence=3)
    third.transitions.all().delete()
    PaymentInstalment.objects.filter(pk=third.pk).update(
        status="scheduled", decided_by=None, decided_at=None
    )
    officer = open_session("officer", "")
    page = officer.page
    page.get_by_role("link", name="Dashboard", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    assert_accessible(page)
    # The demo's agreements began a year before this financial year; the third instalment of
    # KBC-CCE-01 is due at the start of this one.
    year = financial_year_of(timezone.localdate())
    first_quarter = f"Q1 {year}/{(year + 1) % 100:02d}"
    page.get_by_label("Quarter", exact=True).select_option(label=first_quarter)
    page.get_by_role("button", name="Show quarter").click()
    instalments = page.get_by_role("region", name=f"Instalments due in {first_quarter}")
    expect(instalments).to_contain_text("KBC-CCE-01")
    assert_accessible(page)

    instalments.get_by_role("link", name="KBC-CCE-01", exact=True).click()
    payments = page.get_by_role("region", name=re.compile("^Payments in"))
    assert_accessible(page)
    payments.get_by_role("link", name=f"Withhold the {third.label}").click()
    page.get_by_role("button", name="Withhold £12,500.00").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter why the instalment is withheld")
    assert_accessible(page)
    page.get_by_role("link", name="Cancel").click()
    payments.get_by_role("link", name=f"Release the {third.label}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Release £12,500.00 to Kettering Community Cohesion Network?"
    )
    assert_accessible(page)
    assert PaymentInstalment.objects.get(pk=third.pk).status == "scheduled"
    page.get_by_role("button", name="Release £12,500.00").click()
    expect(page.get_by_role("status")).to_contain_text(f"The {third.label} was released.")
    expect(payments).to_contain_text("Released by Priya Shah")
    assert_accessible(page)
    instalment = PaymentInstalment.objects.get(agreement__reference="KBC-CCE-01", sequence=3)
    assert instalment.status == "released"
    assert instalment.transitions.get().by.username == "officer"

    page.get_by_role("link", name="Record a monitoring meeting").click()
    assert_accessible(page)
    page.get_by_role("button", name="Record the meeting").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the date of the meeting")
    assert_accessible(page)
    fill_date(page, "Date of the meeting", f"{third.due_date:%d/%m/%Y}")
    page.get_by_label("Attendees").fill("Priya Shah, Sam Okafor")
    page.get_by_role("button", name="Record the meeting").click()
    held_on = f"{third.due_date.day} {third.due_date:%B %Y}"
    page.get_by_role("link", name=f"Change the meeting of {held_on}").click()
    assert_accessible(page)
    page.get_by_label("Attendees").fill("Priya Shah, Sam Okafor, Dana Reid")
    page.get_by_role("button", name="Save the changes").click()
    expect(page.get_by_role("status")).to_contain_text(f"The meeting of {held_on} was changed.")
    page.get_by_role("link", name=f"Delete the meeting of {held_on}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Delete the meeting of {held_on}?")
    assert_accessible(page)
    page.get_by_role("button", name="Delete the meeting").click()
    expect(page.get_by_role("status")).to_contain_text(f"The meeting of {held_on} was deleted.")

    page.get_by_role("link", name="Funds").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Funds")
    assert_accessible(page)
    page.get_by_role("link", name="Voluntary and Community Sector Service Specifications").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Voluntary and Community")
    assert_accessible(page)
