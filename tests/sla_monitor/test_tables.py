"""Reading the spreadsheets people bring. A workbook is held to limits before openpyxl opens it,
each part read as a stream and counted as it goes, so that a file past a limit is refused at the
first it passes, having unpacked little of itself."""

import random
import zipfile

import pytest
from django.core.exceptions import ValidationError

from sla_monitor.tables import normalise_header, read_book, read_table
from tests.workbooks import one_long_text, rows_of, wide, workbook

MB = 1024 * 1024
TABLE = [["No", "Action"], ["1", "Pay staff on time"]]


class ReadTooMuch(BaseException):
    """A test unpacked far more than any refusal needs. Not an `Exception`, so that the code
    under test cannot take it for a damaged file and carry on."""


@pytest.fixture
def unpacked(monkeypatch):
    """The bytes unpacked from workbooks' parts, counted where the checks and openpyxl alike get
    them; a test that unpacks more than 60 MB is stopped there."""
    counted = {"bytes": 0}
    read = zipfile.ZipExtFile.read

    def counting_read(self, n=-1):
        data = read(self, n)
        counted["bytes"] += len(data)
        if counted["bytes"] > 60 * MB:
            raise ReadTooMuch(f"{counted['bytes']:,} bytes unpacked")
        return data

    monkeypatch.setattr(zipfile.ZipExtFile, "read", counting_read)
    return counted


def refusal(content: bytes, *, book: bool = False) -> str:
    with pytest.raises(ValidationError) as refused:
        read_book("a.xlsx", content) if book else read_table("a.xlsx", content)
    (message,) = refused.value.messages
    return message


# The workbooks of the security review ------------------------------------------------------------


def test_a_workbook_of_8_million_cells_is_refused_at_its_first_row_having_unpacked_little(
    unpacked,
):
    """4,000 rows of 2,000 cells, under 500 KB on disk: reading it took minutes."""
    message = refusal(wide())

    assert message == "Row 1 of the sheet “Sheet1” has more than 200 columns."
    assert unpacked["bytes"] < MB  # of the sheet's 84 MB


def test_a_text_of_300_mb_is_refused_having_unpacked_little_of_it(unpacked):
    message = refusal(one_long_text())

    assert message == (
        "The workbook holds a text longer than 32,767 characters, more than a spreadsheet "
        "cell can hold."
    )
    assert unpacked["bytes"] < MB


def test_a_zip_bomb_is_refused_before_it_unpacks_past_the_limit(unpacked):
    zeros = b"\x00" * MB
    bomb = workbook({"Actions": rows_of(TABLE)}, parts={"xl/media/image1.png": [zeros] * 100})

    message = refusal(bomb)

    assert message.startswith("The workbook is packed more tightly than a spreadsheet can be")
    assert unpacked["bytes"] <= 50 * MB + 64 * 1024


def test_a_part_packed_a_million_to_one_is_refused_in_its_first_megabyte(unpacked):
    """zip allows bzip2, which packs 20 MB of zeros into 49 bytes."""
    zeros = b"\x00" * MB
    bomb = workbook(
        {"Actions": rows_of(TABLE)},
        parts={"xl/media/image1.png": [zeros] * 20},
        compression=zipfile.ZIP_BZIP2,
    )

    message = refusal(bomb)

    assert message.startswith("The workbook is packed more tightly than a spreadsheet can be")
    assert unpacked["bytes"] < 2 * MB


def test_a_workbook_unpacking_to_more_than_50_mb_is_refused_there(unpacked):
    block = random.Random(1).randbytes(16 * 1024) * 64  # packs 130 to 1, as a sheet can
    big = workbook(
        {"Actions": rows_of(TABLE)}, parts={f"xl/media/{n}.bin": [block] * 20 for n in range(3)}
    )

    message = refusal(big)

    assert message == (
        "The workbook unpacks to more than 50 MB, more than an import reads: is it the right file?"
    )
    assert unpacked["bytes"] <= 50 * MB + 64 * 1024


# Rows, columns and cells ----------------------------------------------------------------------


def test_cells_far_to_the_right_are_refused_by_their_column():
    """One cell a row, in the last column Excel has: openpyxl filled each row out to it."""
    far = (f'<row r="{n}"><c r="XFD{n}" t="s"><v>0</v></c></row>' for n in range(1, 5001))

    assert refusal(workbook({"Actions": far})) == (
        "Row 1 of the sheet “Actions” has more than 200 columns."
    )


def test_a_row_numbered_past_the_limit_is_refused():
    rows = ['<row r="1"><c r="A1" t="s"><v>0</v></c></row>', '<row r="1048576"><c/></row>']

    assert refusal(workbook({"Actions": rows})) == "The sheet “Actions” has more than 5,000 rows."


def test_a_sheet_of_more_than_200000_cells_is_refused():
    row = '<c t="s"><v>0</v></c>' * 200
    rows = (f"<row>{row}</row>" for _ in range(1001))

    assert refusal(workbook({"Actions": rows})) == (
        "The sheet “Actions” has more than 200,000 cells."
    )


def test_a_workbook_of_more_than_300000_cells_is_refused():
    row = '<c t="s"><v>0</v></c>' * 200

    def sheet():
        return (f"<row>{row}</row>" for _ in range(800))

    content = workbook({"Agreements": sheet(), "Indicators": sheet()})

    assert refusal(content, book=True) == "The workbook has more than 300,000 cells."


def test_more_than_300000_shared_texts_are_refused():
    content = workbook({"Actions": rows_of(TABLE)}, strings=["<si><t>a</t></si>"] * 300_001)

    assert refusal(content) == "The workbook holds more than 300,000 different texts."


def test_a_text_in_a_cell_longer_than_a_spreadsheet_holds_is_refused_by_its_cell():
    content = workbook({"Actions": rows_of([["No", "Action"], ["1", "x" * 40_000]])})

    assert refusal(content) == (
        "Cell B2 of the sheet “Actions” holds a text longer than 32,767 characters, more than "
        "a spreadsheet cell can hold."
    )


def test_a_workbook_heavy_with_formatting_is_refused():
    styles = [
        b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
        b"<cellXfs>",
        *([b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>' * 1000] * 101),
        b"</cellXfs></styleSheet>",
    ]
    content = workbook({"Actions": rows_of(TABLE)}, parts={"xl/styles.xml": styles})

    assert refusal(content).startswith(
        "The workbook holds more formatting, links and other settings than an import reads"
    )


def test_a_part_of_a_million_elements_is_refused():
    flood = [b'<x xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">']
    for thousand in range(1001):
        flood.append("".join(f'<v n="{thousand}-{n}"/>' for n in range(1000)).encode())
    flood.append(b"</x>")
    content = workbook({"Actions": rows_of(TABLE)}, parts={"xl/flood.xml": flood})

    assert refusal(content).startswith("The workbook is more complex than an import reads")


def test_a_workbook_of_more_than_1000_parts_is_refused():
    parts = {f"xl/media/image{n}.png": [b"."] for n in range(1000)}

    assert refusal(workbook({"Actions": rows_of(TABLE)}, parts=parts)) == (
        "The file is made of more than 1,000 parts, more than a workbook holds: is it the right "
        "file?"
    )


def test_a_part_declaring_its_own_entities_is_refused():
    part = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><x>&a;&a;&a;</x>'
    content = workbook({"Actions": rows_of(TABLE)}, parts={"customXml/item1.xml": [part]})

    assert refusal(content) == "The file is not an Excel workbook that can be read."


def test_a_sheet_is_held_to_the_limits_whatever_its_part_is_called():
    far = ['<row r="1"><c r="XFD1" t="s"><v>0</v></c></row>']
    content = workbook({"Actions": far}, sheet_paths={"Actions": "xl/elsewhere/data.xml"})

    assert refusal(content) == "Row 1 of the sheet “Actions” has more than 200 columns."


def test_a_sheet_is_read_by_its_cells_whatever_size_it_states():
    """openpyxl fills every row out to the size a sheet states, wrong or hostile as it may be."""
    content = workbook({"Actions": rows_of(TABLE)}, dimension="A1:XFD5000")

    table = read_table("a.xlsx", content)

    assert table.headers == ["No", "Action"]
    assert table.rows == [["1", "Pay staff on time"]]


def test_a_workbook_at_the_limits_is_read():
    row = ["x"] * 200
    content = workbook(
        {"Actions": rows_of([row, row])}, strings=["<si><t>", "y" * 32_767, "</t></si>"]
    )

    table = read_table("a.xlsx", content)

    assert len(table.headers) == 200
    assert table.rows == [row]


# CSV --------------------------------------------------------------------------------------------


def test_a_quotation_mark_never_closed_is_refused_with_the_row_it_opens_in():
    """Python's CSV reader takes it to run to the end of the file, rows and all, as one cell."""
    content = b'No,Action\n1,"Pay staff\n2,Train staff\n3,Audit the accounts\n'

    with pytest.raises(ValidationError) as refused:
        read_table("actions.csv", content)

    assert refused.value.messages == [
        "The file has a quotation mark that is never closed, in row 2: add the closing "
        "quotation mark, or remove the opening one, and upload the file again."
    ]


QUOTED = (
    'No,Action\r\n1,"Pay ""on time"", every month"\r\n2,"Line one\r\nLine two"\r\n'
    '3,5" screens for the £500 budget\r\n4,"Last, closed"'
)


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(QUOTED.encode(), id="utf-8, CRLF"),
        pytest.param(QUOTED.replace("\r\n", "\n").encode(), id="LF"),
        pytest.param(QUOTED.replace("\r\n", "\r").encode("mac_roman"), id="CSV (Macintosh)"),
        pytest.param(QUOTED.encode("utf-16"), id="UTF-16"),
        pytest.param(QUOTED.encode("cp1252"), id="Windows-1252"),
        pytest.param(QUOTED.encode() + b"\r\n", id="ending in a line break"),
    ],
)
def test_quoted_cells_read_whatever_the_line_endings_and_encoding(content):
    table = read_table("actions.csv", content)

    assert table.headers == ["No", "Action"]
    assert [[c.replace("\r\n", "\n").replace("\r", "\n") for c in r] for r in table.rows] == [
        ["1", 'Pay "on time", every month'],
        ["2", "Line one\nLine two"],
        ["3", '5" screens for the £500 budget'],
        ["4", "Last, closed"],
    ]


def test_a_welsh_heading_is_known_typed_with_or_without_its_accents():
    assert normalise_header("Dyddiad cwblhau\u2019r gŵaith") == normalise_header(
        "dyddiad cwblhau'r gwaith"
    )
    assert normalise_header("Rhif â") == "rhif a"
