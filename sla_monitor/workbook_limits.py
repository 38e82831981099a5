"""The limits a workbook is held to before openpyxl opens it.

An .xlsx file is a zip of XML parts: a file of a few hundred KB can unpack to gigabytes, or
describe millions of cells, and openpyxl reads a part whole (a sheet to find its size, the shared
texts, the styles) before it gives a first row. Here every part is unpacked a chunk at a time
and its XML parsed as it comes, counting as it goes, and the file is refused at the first limit it
passes. A part is judged by what it holds, never by its name or by the sizes the zip states:
a sheet stored anywhere is counted as a sheet, and a part is as large as what it unpacks to.
"""

import io
import posixpath
import re
import zipfile
from contextlib import suppress

from defusedxml.ElementTree import DefusedXMLParser, ParseError
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl.utils.cell import get_column_letter

# Limits, generous for a council's workbook of agreements or of a plan's actions: a few thousand
# rows of a few dozen columns, some formatting, a picture or two.
MAX_UNPACKED = 50 * 1024 * 1024  # bytes, all parts together
MAX_RATIO = 500  # unpacked to packed: thousands of identical styles pack about 350 to 1
RATIO_FROM = 1024 * 1024  # bytes a part may unpack to whatever its ratio
MAX_PARTS = 1000
MAX_COLUMNS = 200
MAX_SHEET_CELLS = 200_000  # about 5,000 rows of 40 columns
MAX_BOOK_CELLS = 300_000
MAX_STRINGS = MAX_BOOK_CELLS  # a cell holds one shared text at most: more are not needed
MAX_TEXT = 32_767  # characters: the most Excel puts in a cell
# Elements other than rows, cells and their values and texts: styles, merged cells, links,
# names, formatted runs of text. openpyxl builds an object for each, slowly.
MAX_OTHER_ELEMENTS = 100_000
# Every element of every part: what the checks themselves read is bounded too.
MAX_ELEMENTS = 1_000_000

CHUNK = 64 * 1024
# Names as expat gives them, each namespace and its name joined by "}".
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
ROW, CELL, VALUE, FORMULA = f"{MAIN}row", f"{MAIN}c", f"{MAIN}v", f"{MAIN}f"
SHARED_TEXT, INLINE_TEXT, TEXT = f"{MAIN}si", f"{MAIN}is", f"{MAIN}t"
SHEET = f"{MAIN}sheet"
RELATIONSHIP = "http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
RELATIONSHIP_ID = "http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
# Where Excel keeps the sheets' names and parts; read first, so a refusal can name its sheet.
WORKBOOK, WORKBOOK_RELATIONSHIPS = "xl/workbook.xml", "xl/_rels/workbook.xml.rels"
REFERENCE = re.compile(r"\$?([A-Za-z]{1,3})\$?\d+")
COLUMNS = {get_column_letter(n): n for n in range(1, MAX_COLUMNS + 1)}


def unreadable() -> ValidationError:
    return ValidationError(_("The file is not an Excel workbook that can be read."))


def check_workbook(content: bytes, *, max_rows: int) -> None:
    """Refuse the workbook, saying which limit it passes and where, or as unreadable; return if
    openpyxl may open it. Sheets may have `max_rows` rows under their header row."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = archive.infolist()
            if len(parts) > MAX_PARTS:
                raise ValidationError(
                    _(
                        "The file is made of more than %(limit)s parts, more than a workbook "
                        "holds: is it the right file?"
                    )
                    % {"limit": number_format(MAX_PARTS, force_grouping=True)}
                )
            book = _Book(max_rows)
            for part in sorted(parts, key=_reading_order):
                book.read(archive, part)
    except ValidationError:
        raise
    except Exception as error:  # not a zip, a damaged part, an encrypted one, a DTD
        raise unreadable() from error


def _reading_order(part: zipfile.ZipInfo) -> int:
    return {WORKBOOK_RELATIONSHIPS: 0, WORKBOOK: 1}.get(part.filename, 2)


class _Book:
    """What the workbook's parts have held so far."""

    def __init__(self, max_rows: int):
        self.max_rows = max_rows
        self.unpacked = self.cells = self.strings = self.other_elements = self.elements = 0
        self.sheet_parts: dict[str, str] = {}  # relationship id: part
        self.sheet_names: dict[str, str] = {}  # part: sheet name

    def read(self, archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> None:
        """Unpack the part a chunk at a time, parsing it as XML until it proves not to be (a
        picture, a macro): only its size counts then."""
        scan = _Part(self, part.filename)
        parser = DefusedXMLParser(target=scan, forbid_dtd=True)
        # defusedxml's parser refuses DTDs and entities; the scan takes expat's events as they
        # come, without the element and attributes ElementTree would build for each.
        expat = parser.parser
        expat.ordered_attributes = False
        expat.StartElementHandler = scan.start
        expat.EndElementHandler = scan.end
        unpacked, ratio_limit = 0, max(RATIO_FROM, part.compress_size * MAX_RATIO)
        with archive.open(part) as stream:
            while chunk := stream.read(CHUNK):
                unpacked += len(chunk)
                self.unpacked += len(chunk)
                if self.unpacked > MAX_UNPACKED:
                    raise ValidationError(
                        _(
                            "The workbook unpacks to more than %(limit)s MB, more than an import "
                            "reads: is it the right file?"
                        )
                        % {"limit": MAX_UNPACKED // (1024 * 1024)}
                    )
                if unpacked > ratio_limit:
                    raise ValidationError(
                        _(
                            "The workbook is packed more tightly than a spreadsheet can be, so it "
                            "was not opened: is it the right file?"
                        )
                    )
                if parser is not None:
                    try:
                        parser.feed(chunk)
                    except ParseError:
                        parser = None
        if parser is not None:
            with suppress(ParseError):
                parser.close()

    def add_cell(self) -> None:
        self.cells += 1
        if self.cells > MAX_BOOK_CELLS:
            raise ValidationError(
                _("The workbook has more than %(limit)s cells.")
                % {"limit": number_format(MAX_BOOK_CELLS, force_grouping=True)}
            )

    def add_string(self) -> None:
        self.strings += 1
        if self.strings > MAX_STRINGS:
            raise ValidationError(
                _("The workbook holds more than %(limit)s different texts.")
                % {"limit": number_format(MAX_STRINGS, force_grouping=True)}
            )

    def add_other_element(self) -> None:
        self.other_elements += 1
        if self.other_elements > MAX_OTHER_ELEMENTS:
            raise ValidationError(
                _(
                    "The workbook holds more formatting, links and other settings than an import "
                    "reads: copy its rows into a new workbook, or save it as CSV, and upload that."
                )
            )

    def refuse_elements(self) -> None:
        raise ValidationError(
            _(
                "The workbook is more complex than an import reads: copy its rows into a new "
                "workbook, or save it as CSV, and upload that."
            )
        )

    def name_sheet(self, relationship_id: str, name: str) -> None:
        part = self.sheet_parts.get(relationship_id)
        if part:
            self.sheet_names[part] = name

    def relate(self, relationship_id: str, target: str) -> None:
        """A part the workbook names, its path as openpyxl finds it."""
        if target.startswith("/"):
            part = target[1:]
        else:
            part = posixpath.normpath(posixpath.join(posixpath.dirname(WORKBOOK), target))
        self.sheet_parts[relationship_id] = part


class _Part:
    """The handlers of the XML parser for one part: counts rows, cells, texts and every other
    element as they start, and the characters of each text as they come."""

    def __init__(self, book: _Book, name: str):
        self.book = book
        self.name = name
        self.sheet = book.sheet_names.get(name, name)
        self.depth = 0
        self.rows = self.row = self.column = self.cells = self.cells_in_row = 0
        self.row_depths: list[int] = [-1]  # of the rows open, innermost last
        self.characters = 0  # since the last tag
        self.string: int | None = None  # characters of the shared or inline text being read
        self.cell_depth = 0  # of the cell open
        self.reference = self.cell_type = ""
        self.formula = self.value = self.in_value = False

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        book = self.book
        book.elements += 1
        if book.elements > MAX_ELEMENTS:
            book.refuse_elements()
        self.depth += 1
        self.characters = 0
        # openpyxl takes every child of a row for a cell, whatever it is called.
        if self.depth == self.row_depths[-1] + 1:
            self._cell(tag, attributes)
        if tag == VALUE:
            self.in_value = True
        elif tag == ROW:
            self._row(attributes)
        elif tag == SHARED_TEXT:
            book.add_string()
            self.string = 0
        elif tag == INLINE_TEXT:
            self.string = 0
        elif tag == FORMULA:
            self.formula = True
        elif tag not in (CELL, TEXT):  # a cell outside a row lists formulas, for Excel only
            book.add_other_element()
            if tag == RELATIONSHIP and self.name == WORKBOOK_RELATIONSHIPS:
                book.relate(attributes.get("Id", ""), attributes.get("Target", ""))
            elif tag == SHEET and self.name == WORKBOOK:
                book.name_sheet(attributes.get(RELATIONSHIP_ID, ""), attributes.get("name", ""))

    def end(self, tag: str) -> None:
        self.characters = 0
        if tag == VALUE:
            self.in_value = False
        elif tag in (SHARED_TEXT, INLINE_TEXT):
            self.string = None
        if self.depth == self.cell_depth:
            self._end_cell()
        elif self.depth == self.row_depths[-1]:
            self.row_depths.pop()
        self.depth -= 1

    def data(self, text: str) -> None:
        self.characters += len(text)
        if self.characters > MAX_TEXT:
            self._refuse_long_text()
        if self.string is not None:
            self.string += len(text)
            if self.string > MAX_TEXT:
                self._refuse_long_text()
        if self.in_value:
            self.value = True

    def close(self) -> None:
        """The part is parsed; nothing is built from it."""

    def _row(self, attributes: dict[str, str]) -> None:
        self.rows += 1
        self.row = _row_number(attributes.get("r")) or self.row + 1
        self.row_depths.append(self.depth)
        self.column = self.cells_in_row = 0
        if max(self.rows, self.row) > self.book.max_rows + 1:
            raise ValidationError(
                _("The sheet “%(sheet)s” has more than %(limit)s rows.")
                % {"sheet": self.sheet, "limit": f"{self.book.max_rows:,}"}
            )

    def _cell(self, tag: str, attributes: dict[str, str]) -> None:
        self.cells += 1
        self.cells_in_row += 1
        self.reference = attributes.get("r", "")
        self.column = _column_number(self.reference) or self.column + 1
        if self.column > MAX_COLUMNS or self.cells_in_row > MAX_COLUMNS:
            raise ValidationError(
                _("Row %(row)s of the sheet “%(sheet)s” has more than %(limit)s columns.")
                % {"row": f"{self.row:,}", "sheet": self.sheet, "limit": MAX_COLUMNS}
            )
        if self.cells > MAX_SHEET_CELLS:
            raise ValidationError(
                _("The sheet “%(sheet)s” has more than %(limit)s cells.")
                % {
                    "sheet": self.sheet,
                    "limit": number_format(MAX_SHEET_CELLS, force_grouping=True),
                }
            )
        self.book.add_cell()
        if tag == CELL:
            self.cell_depth = self.depth
            self.cell_type = attributes.get("t", "n")
            self.formula = self.value = False

    def _end_cell(self) -> None:
        self.cell_depth = 0
        # A formula a program wrote that no spreadsheet has calculated would read as an empty
        # cell. A text formula may have calculated an empty text; a number is never empty.
        if self.formula and not self.value and self.cell_type == "n":
            raise ValidationError(
                _(
                    "Cell %(cell)s holds a formula that has no value calculated for it: open the "
                    "workbook in Excel or another spreadsheet, save it, and upload it again."
                )
                % {"cell": self._cell_name()}
            )

    def _cell_name(self) -> str:
        """The cell as its reference names it, or as openpyxl places a cell without one."""
        return self.reference or f"{get_column_letter(self.column)}{self.row}"

    def _refuse_long_text(self) -> None:
        if self.cell_depth and self.string is not None:
            raise ValidationError(
                _(
                    "Cell %(cell)s of the sheet “%(sheet)s” holds a text longer than %(limit)s "
                    "characters, more than a spreadsheet cell can hold."
                )
                % {
                    "cell": self._cell_name(),
                    "sheet": self.sheet,
                    "limit": number_format(MAX_TEXT, force_grouping=True),
                }
            )
        raise ValidationError(
            _(
                "The workbook holds a text longer than %(limit)s characters, more than a "
                "spreadsheet cell can hold."
            )
            % {"limit": number_format(MAX_TEXT, force_grouping=True)}
        )


def _row_number(text: str | None) -> int | None:
    """A row's number as openpyxl reads it ("7", or "7.0"), or None for none it can read."""
    try:
        number = float(text or "")
    except ValueError:
        return None
    return int(number) if number.is_integer() and number > 0 else None


def _column_number(reference: str) -> int | None:
    """The column of a cell reference ("AB12": 28), or None for none openpyxl can read."""
    number = COLUMNS.get(reference.rstrip("0123456789"))
    if number:
        return number
    match = REFERENCE.fullmatch(reference)
    if not match:
        return None
    number = 0
    for letter in match[1].upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number
