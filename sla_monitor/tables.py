"""Reading the spreadsheets people bring: CSV in whatever encoding, line ending and separator
their tool wrote, and Excel workbooks, within limits checked while reading.

Every file that cannot be read gives a `ValidationError` that says why in plain words; no file
gives anything else.
"""

import codecs
import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from sla_monitor.workbook_limits import check_workbook, unreadable

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_CELL = 20_000
READABLE = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm")
SEPARATORS = {",": "commas", ";": "semicolons", "\t": "tabs"}
ZIP_SIGNATURE = b"PK\x03\x04"
OLE_SIGNATURE = bytes.fromhex("d0cf11e0a1b11ae1")
# Characters that make a spreadsheet treat a cell as a formula (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Table:
    """A sheet's header row and the rows under it, each cell as text."""

    headers: list[str]
    rows: list[list[str]]  # the spreadsheet's row numbers are index + 2

    def records(self) -> Iterator[tuple[int, dict[str, str]]]:
        """(row number as the spreadsheet shows it, {header: cell}) for each row."""
        for index, cells in enumerate(self.rows, start=2):
            yield (
                index,
                {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(self.headers)},
            )


def read_table(
    name: str,
    content: bytes,
    *,
    known_headers: Iterable[str] = (),
    max_rows: int = MAX_ROWS,
    sheet: str | None = None,
) -> Table:
    """The first sheet of an .xlsx file, or a CSV file, as text cells.

    `known_headers` (already normalised with `normalise_header`) let the separator of a CSV
    file be found from its header row.
    """
    if not content:
        raise ValidationError(_("The file is empty."))
    if len(content) > MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(megabytes)s MB.")
            % {"megabytes": MAX_BYTES // (1024 * 1024)}
        )
    if not name.lower().endswith(READABLE):
        raise ValidationError(_("Choose a CSV or Excel (.xlsx) file."))
    if content.startswith(OLE_SIGNATURE):
        raise ValidationError(
            _(
                "The file is an old Excel (.xls) workbook or a password-protected one. Save it "
                "from Excel as an Excel Workbook (.xlsx) without a password, or as CSV UTF-8."
            )
        )
    if content.startswith(ZIP_SIGNATURE):
        with _workbook(content, max_rows) as book:
            rows = _sheet_rows(book[sheet] if sheet else book.worksheets[0])
    elif name.lower().endswith((".xlsx", ".xlsm")):
        raise ValidationError(_("The file is not an Excel workbook that can be read."))
    else:
        rows = _csv_rows(_decode(content), set(known_headers), max_rows)
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise ValidationError(_("The file has no rows."))
    headers = [cell.strip() for cell in rows[0]]
    return Table(headers, [[cell.strip() for cell in row] for row in rows[1:]])


def read_book(name: str, content: bytes, *, max_rows: int = MAX_ROWS) -> dict[str, Table]:
    """Every sheet of an .xlsx workbook with a row in it, by the sheet's name."""
    if not content:
        raise ValidationError(_("The file is empty."))
    if len(content) > MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(megabytes)s MB.")
            % {"megabytes": MAX_BYTES // (1024 * 1024)}
        )
    if content.startswith(OLE_SIGNATURE):
        raise ValidationError(
            _(
                "The file is an old Excel (.xls) workbook or a password-protected one. Save it "
                "as an Excel Workbook (.xlsx) without a password."
            )
        )
    if not content.startswith(ZIP_SIGNATURE):
        raise ValidationError(_("Choose an Excel workbook (.xlsx) with a sheet for each kind."))
    tables = {}
    with _workbook(content, max_rows) as book:
        for sheet in book.worksheets:
            rows = _sheet_rows(sheet)
            if rows:
                tables[sheet.title] = Table(
                    [c.strip() for c in rows[0]], [[c.strip() for c in r] for r in rows[1:]]
                )
    if not tables:
        raise ValidationError(_("The workbook has no rows."))
    return tables


# Workbooks -----------------------------------------------------------------------------------


@contextmanager
def _workbook(content: bytes, max_rows: int) -> Iterator[Workbook]:
    """The workbook, open to read a sheet at a time, once it is within every limit
    (`sla_monitor.workbook_limits`); whatever fails in reading it says the file cannot be read."""
    check_workbook(content, max_rows=max_rows)
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # a damaged workbook can fail in any of openpyxl's parsers
        raise unreadable() from error
    try:
        yield book
    except ValidationError:
        raise
    except Exception as error:
        raise unreadable() from error
    finally:
        book.close()


def _sheet_rows(sheet) -> list[list[str]]:
    """The sheet's rows that hold something, as text. Formulas give the value Excel last
    calculated, never a formula."""
    # openpyxl fills every row out to the size the sheet states, which can be wrong or hostile;
    # with the size forgotten, each row is as long as its own cells, which the limits hold.
    sheet.reset_dimensions()
    rows: list[list[str]] = []
    for values in sheet.iter_rows(values_only=True):
        cells = ["" if v is None else cell_text(v) for v in values]
        if any(cells):
            _check_cells(cells, len(rows) + 1)
            rows.append(cells)
    return rows


def cell_text(value) -> str:
    """A cell as the text a person reads in it."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f")
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# CSV -----------------------------------------------------------------------------------------


def _decode(content: bytes) -> str:
    """The text of a CSV file: UTF-8 (with or without a byte-order mark), UTF-16 (with its
    byte-order mark, as Excel's "Unicode text" writes it), Mac Roman (Excel's "CSV (Macintosh)",
    known by its lines ending in CR alone) or Windows-1252 (Excel's "CSV")."""
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError as error:
            raise ValidationError(_("The file says it is UTF-16 text but is not.")) from error
    if _looks_like_utf16(content):
        encoding = "utf-16-le" if content[1:2] == b"\x00" else "utf-16-be"
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            pass
    if _looks_binary(content):
        raise ValidationError(
            _("The file is not a spreadsheet: choose a CSV or an Excel workbook (.xlsx).")
        )
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if b"\r" in content and b"\n" not in content:
        return content.decode("mac_roman")
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError as error:
        raise ValidationError(
            _(
                "The file's text could not be read: it is neither UTF-8 nor Windows text. Save it "
                "from your spreadsheet as “CSV UTF-8”, or as an Excel workbook (.xlsx)."
            )
        ) from error


CONTROL_BYTES = set(range(0, 9)) | set(range(14, 32))
END = "\ufdd0"  # a noncharacter, which no text holds


def _looks_binary(content: bytes) -> bool:
    """Control characters text never holds, more than a stray one: an image, a PDF, a program.
    A stray NUL in a cell is left for the importer to point at."""
    sample = content[:4096]
    return sum(1 for byte in sample if byte in CONTROL_BYTES) > max(3, len(sample) // 100)


def _looks_like_utf16(content: bytes) -> bool:
    """UTF-16 without a byte-order mark: every other byte of plain text is zero."""
    sample = content[:200]
    if len(sample) < 4:
        return False
    evens, odds = sample[0::2], sample[1::2]
    return odds.count(0) > len(odds) * 0.6 or evens.count(0) > len(evens) * 0.6


def _csv_rows(text: str, known_headers: set[str], max_rows: int) -> list[list[str]]:
    separator = _separator(text, known_headers)
    # Python's reader takes a quotation mark never closed to run to the end of the file, as one
    # cell; a line of END after the file's last is a row of its own only if every one closed.
    reader = csv.reader(io.StringIO(f"{text}\n{END}", newline=""), delimiter=separator)
    rows: list[list[str]] = []
    cells: list[str] = []
    begins = next_row = 1  # the lines the row read, and the next, begin on
    try:
        for cells in reader:
            begins, next_row = next_row, reader.line_num + 1
            if cells == [END] or not any(c.strip() for c in cells):
                continue
            _check_cells(cells, reader.line_num)
            rows.append(cells)
            if len(rows) > max_rows + 1:
                raise ValidationError(
                    _("The file has more than %(rows)s rows.")
                    % {"rows": number_format(max_rows, force_grouping=True)}
                )
    except csv.Error as error:
        raise ValidationError(
            _(
                "The file could not be read as CSV near line %(line)s: a cell may be longer than "
                "%(limit)s characters or have an unclosed quotation mark."
            )
            % {"line": reader.line_num, "limit": number_format(MAX_CELL, force_grouping=True)}
        ) from error
    if cells != [END]:
        raise ValidationError(
            _(
                "The file has a quotation mark that is never closed, in row %(row)s: add the "
                "closing quotation mark, or remove the opening one, and upload the file again."
            )
            % {"row": number_format(begins, force_grouping=True)}
        )
    if len(rows) == 1 and separator == "," and len(rows[0]) == 1 and known_headers:
        raise ValidationError(
            _(
                "The file's columns could not be told apart: separate them with commas, "
                "semicolons or tabs."
            )
        )
    return rows


def _separator(text: str, known_headers: set[str]) -> str:
    """Commas, semicolons or tabs: whichever splits the header row into the most columns that
    are recognised (or, with none recognised, the most columns)."""
    header = next(iter(text.splitlines()), "")
    scores = []
    for separator in SEPARATORS:
        cells = next(csv.reader([header], delimiter=separator), [])
        known = sum(1 for cell in cells if normalise_header(cell) in known_headers)
        scores.append((known, len(cells), separator == ",", separator))
    return max(scores)[3]


def _check_cells(cells: list[str], line: int) -> None:
    for cell in cells:
        if len(cell) > MAX_CELL:
            raise ValidationError(
                _(
                    "A cell in row %(row)s is longer than %(limit)s characters: is it the right "
                    "file?"
                )
                % {"row": line, "limit": number_format(MAX_CELL, force_grouping=True)}
            )


# Headers and cells ---------------------------------------------------------------------------


def normalise_header(text: str) -> str:
    """A column heading as compared: case, spacing, punctuation and "&" for "and" ignored, and
    accents, so that a Welsh heading's "ŵ" or "â" counts as a letter, typed with it or without."""
    text = unicodedata.normalize("NFKD", text.replace("\ufeff", ""))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower().replace("&", " and ")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def unescape_formula(text: str) -> str:
    """A cell this app exported with a leading apostrophe against formula injection, as typed."""
    if text.startswith("'") and text[1:2] and text[1] in FORMULA_STARTS:
        return text[1:]
    return text


def escape_formula(text: str) -> str:
    """Text a spreadsheet would run as a formula, made inert with a leading apostrophe."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text
