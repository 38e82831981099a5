"""CSV and Excel downloads of a list page: a header row, then the rows the page shows.

The two formats carry the same values. In Excel a number is a number cell, a date a date cell
(shown like "1 October 2026") and a `Figure` a number shown as the app shows it (a count whole,
a percentage with "%"); the header row is bold, stays in view and has filters, and each column
is as wide as its contents, within reason. In CSV a date is written yyyy-mm-dd and a time
yyyy-mm-dd hh:mm in the council's time zone, which is what spreadsheets read as dates, and a
`Figure` as the text a spreadsheet reads back as the same number.

Text a spreadsheet would run as a formula (it starts with = + - @, a tab or a carriage return)
is written as text: in CSV with a leading apostrophe, in Excel as a text cell. Numbers and dates
stay numbers and dates. `sla_monitor.tables` reads both back as they were typed.
"""

import csv
import datetime as dt
import io
import itertools
from collections.abc import Iterable, Sequence

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from sla_monitor.figures import Figure
from sla_monitor.tables import escape_formula

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
DATE_FORMAT = "d mmmm yyyy"
TIME_FORMAT = "d mmmm yyyy hh:mm"
# Column widths, in characters: what the widest of the first rows needs, within these bounds.
MIN_WIDTH, MAX_WIDTH, SAMPLED_ROWS = 8, 60, 200
FILTER_BUTTON = 3  # characters the header's filter button takes


def table_response(
    *, fmt: str, filename: str, headers: Sequence[str], rows: Iterable[Sequence], sheet: str
) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("Exports are CSV or XLSX.")
    # Headings may be translated lazily: the writers want text.
    headers = [str(header) for header in headers]
    body = _csv(headers, rows) if fmt == "csv" else _xlsx(headers, rows, str(sheet))
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def _local(moment: dt.datetime) -> dt.datetime:
    """A moment as the council's clock showed it, without a time zone, which Excel lacks."""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.replace(tzinfo=None, second=0, microsecond=0)


def _csv_cell(value):
    if isinstance(value, Promise):
        value = str(value)
    if value is None:
        return ""
    if isinstance(value, str):
        return escape_formula(value)
    if isinstance(value, Figure):
        return value.csv_text
    if isinstance(value, dt.datetime):
        return _local(value).strftime("%Y-%m-%d %H:%M")
    return value


def _csv(headers, rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_csv_cell(str(h)) for h in headers])
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    # A byte-order mark, so Excel opens the file as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx(headers, rows, sheet: str) -> bytes:
    return _workbook({sheet: (headers, rows)})


def _workbook(sheets: dict[str, tuple[Sequence[str], Iterable[Sequence]]]) -> bytes:
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for name, (headers, rows) in sheets.items():
        worksheet = workbook.create_sheet(name[:31])
        rows = iter(rows)
        sample = list(itertools.islice(rows, SAMPLED_ROWS))
        # A write-only sheet writes its columns and panes before its first row.
        for number, width in enumerate(_widths(headers, sample), start=1):
            worksheet.column_dimensions[get_column_letter(number)].width = width
        worksheet.freeze_panes = "A2"
        header_cells = []
        for header in headers:
            cell = _xlsx_cell(worksheet, header)
            cell.font = bold
            header_cells.append(cell)
        worksheet.append(header_cells)
        count = 0
        for row in itertools.chain(sample, rows):
            worksheet.append([_xlsx_cell(worksheet, v) for v in row])
            count += 1
        if headers:
            worksheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{count + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def workbook_response(*, filename: str, sheets: dict) -> HttpResponse:
    """An Excel workbook of several sheets: {name: (headers, rows)}."""
    response = HttpResponse(_workbook(sheets), content_type=FORMATS["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def _xlsx_cell(worksheet, value) -> WriteOnlyCell:
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, Figure):
        cell = WriteOnlyCell(worksheet, value=value.cell_value)
        cell.number_format = value.number_format
        return cell
    if isinstance(value, dt.datetime):
        cell = WriteOnlyCell(worksheet, value=_local(value))
        cell.number_format = TIME_FORMAT
        return cell
    cell = WriteOnlyCell(worksheet, value=value)
    if isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT
    elif isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
    return cell


def _shown_width(value) -> int:
    """About how many characters the cell shows."""
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return len("30 September 2026 12:00")
    if isinstance(value, dt.date):
        return len("30 September 2026")
    return max(len(line) for line in str(value).splitlines() or [""])


def _widths(headers: Sequence[str], rows: list[Sequence]) -> list[int]:
    widths = []
    for number, header in enumerate(headers):
        widest = max((_shown_width(row[number]) for row in rows if number < len(row)), default=0)
        wanted = max(len(header) + FILTER_BUTTON, widest) + 2
        widths.append(min(MAX_WIDTH, max(MIN_WIDTH, wanted)))
    return widths


def export_links(request, url_name: str, *args) -> list[tuple[str, str]]:
    """Links to download the list as shown: the same filters, in each format."""
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    return [
        (label, reverse(url_name, args=[*args, fmt]) + query)
        for fmt, label in [("csv", "CSV"), ("xlsx", "Excel")]
    ]
