"""Excel exports open ready to work with (a bold, frozen header with filters, fitted columns,
numbers and dates as numbers and dates), and the CSV of the same list carries the same values."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from grants import services
from grants.models import ReportingPeriod
from sla_monitor.exports import MAX_WIDTH

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_quarters(funded):
    """2025/26 to Q3: one event and 80% each quarter, Q1 and Q2 approved, Q3 submitted."""
    for quarter in (1, 2, 3):
        qr = funded.submitted(quarter)
        if quarter < 3:
            services.approve_return(quarterly_return=qr, by=funded.officer)
    return funded


def _export(client, url_name, fmt, *args, query=None):
    return client.get(reverse(url_name, args=[*args, fmt]), query or {})


def _sheet(response):
    return load_workbook(io.BytesIO(response.content)).active


def _csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def _records(sheet) -> list[dict]:
    rows = list(sheet.iter_rows())
    headers = [c.value for c in rows[0]]
    return [dict(zip(headers, row, strict=True)) for row in rows[1:]]


def test_the_header_is_bold_frozen_and_filtered_and_columns_fit(three_quarters, client):
    client.force_login(three_quarters.officer)

    sheet = _sheet(_export(client, "grants:indicator_results_export", "xlsx"))

    header = next(sheet.iter_rows(max_row=1))
    assert all(cell.font.bold for cell in header)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:O{sheet.max_row}"
    widths = {c.value: sheet.column_dimensions[c.column_letter].width for c in header}
    assert widths["Wording"] == MAX_WIDTH  # long text, capped
    assert widths["Indicator"] < 20  # a code: a, b, c
    assert widths["Target period"] >= len("Target period")
    body = next(sheet.iter_rows(min_row=2, max_row=2))
    assert not any(cell.font.bold for cell in body)


def test_counts_and_percentages_are_numbers_shown_as_the_app_shows_them(three_quarters, client):
    client.force_login(three_quarters.officer)
    query = {"period": ReportingPeriod.objects.get(financial_year=2025, quarter=3).pk}

    sheet = _sheet(_export(client, "grants:indicator_results_export", "xlsx", query=query))
    rows = _csv(_export(client, "grants:indicator_results_export", "csv", query=query))

    cells = {r["Indicator"].value: r for r in _records(sheet)}
    texts = {r["Indicator"]: r for r in rows}
    events, groups, share = cells["b"], cells["c"], cells["g"]
    # Counts: whole numbers.
    assert (events["Actual"].value, events["Year to date"].value) == (1, 3)
    assert type(events["Actual"].value) is int
    assert events["Actual"].number_format == "#,##0"
    # 3 a year is 2.25 by the end of Q3, shown as the whole 2 the pages show.
    assert (events["Target"].value, events["Target to date"].value) == (3, 2)
    assert groups["Actual"].value == 4
    # A percentage is the fraction Excel means by "80%", formatted so.
    assert share["Actual"].value == pytest.approx(0.8)
    assert share["Actual"].number_format == "0%"
    assert share["Target"].value == pytest.approx(0.75)
    # The CSV has the same values, as a spreadsheet reads them.
    assert (texts["b"]["Actual"], texts["b"]["Target to date"], texts["b"]["Year to date"]) == (
        "1",
        "2",
        "3",
    )
    assert (texts["g"]["Actual"], texts["g"]["Target"]) == ("80%", "75%")
    assert texts["d"]["Actual"] == "" and cells["d"]["Actual"].value is None


def test_dates_and_times_are_date_cells_and_iso_in_csv(three_quarters, client):
    client.force_login(three_quarters.officer)

    every_status = {"status": ""}
    sheet = _sheet(_export(client, "grants:review_queue_export", "xlsx", query=every_status))
    rows = _csv(_export(client, "grants:review_queue_export", "csv", query=every_status))

    records = _records(sheet)
    first, text = records[0], rows[0]
    assert isinstance(first["Due date"].value, dt.datetime)
    assert first["Due date"].is_date and first["Due date"].number_format == "d mmmm yyyy"
    assert text["Due date"] == first["Due date"].value.date().isoformat()
    submitted = first["Submitted at"].value
    assert isinstance(submitted, dt.datetime)
    assert text["Submitted at"] == submitted.strftime("%Y-%m-%d %H:%M")
    qr = three_quarters.agreement.returns.order_by("period__due_date").first()
    local = timezone.localtime(qr.submitted_at)
    assert submitted == local.replace(tzinfo=None, second=0, microsecond=0)
    assert first["Decided at"].is_date


def test_the_agreements_workbook_has_whole_targets_and_the_same_header(three_quarters, client):
    client.force_login(three_quarters.officer)

    book = load_workbook(io.BytesIO(client.get(reverse("grants:agreements_export")).content))

    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref.startswith("A1:")
        assert all(c.font.bold for c in next(sheet.iter_rows(max_row=1)))
    indicators = {r["Code"].value: r for r in _records(book["Indicators"])}
    assert indicators["b"]["Target"].value == 3 and type(indicators["b"]["Target"].value) is int
    agreement = _records(book["Agreements"])[0]
    assert agreement["Start date"].is_date


def test_a_csv_files_headings_cannot_start_a_formula():
    """A council names the columns of its payment files: a heading such as "=HYPERLINK(...)"
    reaches the file as text, like every other cell."""
    from sla_monitor.exports import _csv

    text = _csv(['=HYPERLINK("http://x","y")', "+cmd", "Amount"], [["a", "b", 1]])
    headers = next(csv.reader(io.StringIO(text.decode("utf-8-sig"))))

    assert [h[:1] for h in headers[:2]] == ["'", "'"]
    assert headers[2] == "Amount"
