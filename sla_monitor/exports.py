"""CSV and Excel downloads of a list page: a header row, then the rows the page shows."""

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import Http404, HttpResponse
from django.urls import reverse
from openpyxl import Workbook

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


def _cell(value):
    return "" if value is None else value


def _csv(headers, rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    # A byte-order mark, so Excel opens the file as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx(headers, rows, sheet: str) -> bytes:
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet[:31])
    worksheet.append(headers)
    for row in rows:
        worksheet.append([_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_links(request, url_name: str, *args) -> list[tuple[str, str]]:
    """Links to download the list as shown: the same filters, in each format."""
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    return [
        (label, reverse(url_name, args=[*args, fmt]) + query)
        for fmt, label in [("csv", "CSV"), ("xlsx", "Excel")]
    ]
