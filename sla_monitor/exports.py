"""CSV and Excel downloads of a list page: a header row, then the rows the page shows.

Text a spreadsheet would run as a formula (it starts with = + - @, a tab or a carriage return)
is written as text: in CSV with a leading apostrophe, in Excel as a text cell. Numbers and dates
stay numbers and dates. `sla_monitor.tables` reads both back as they were typed.
"""

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import Http404, HttpResponse
from django.urls import reverse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from sla_monitor.tables import escape_formula

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def table_response(
    *, fmt: str, filename: str, headers: Sequence[str], rows: Iterable[Sequence], sheet: str
) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("Exports are CSV or XLSX.")
    body = _csv(headers, rows) if fmt == "csv" else _xlsx(headers, rows, sheet)
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def _csv_cell(value):
    if value is None:
        return ""
    return escape_formula(value) if isinstance(value, str) else value


def _csv(headers, rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    # A byte-order mark, so Excel opens the file as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx(headers, rows, sheet: str) -> bytes:
    return _workbook({sheet: (headers, rows)})


def _workbook(sheets: dict[str, tuple[Sequence[str], Iterable[Sequence]]]) -> bytes:
    workbook = Workbook(write_only=True)
    for name, (headers, rows) in sheets.items():
        worksheet = workbook.create_sheet(name[:31])
        worksheet.append([_xlsx_cell(worksheet, h) for h in headers])
        for row in rows:
            worksheet.append([_xlsx_cell(worksheet, v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def workbook_response(*, filename: str, sheets: dict) -> HttpResponse:
    """An Excel workbook of several sheets: {name: (headers, rows)}."""
    response = HttpResponse(_workbook(sheets), content_type=FORMATS["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def _xlsx_cell(worksheet, value):
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(worksheet, value=value)
    cell.data_type = "s"  # never a formula, whatever the text starts with
    return cell


def export_links(request, url_name: str, *args) -> list[tuple[str, str]]:
    """Links to download the list as shown: the same filters, in each format."""
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    return [
        (label, reverse(url_name, args=[*args, fmt]) + query)
        for fmt, label in [("csv", "CSV"), ("xlsx", "Excel")]
    ]
