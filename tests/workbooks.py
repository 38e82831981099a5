"""Excel workbooks built part by part as the zip they are, as no spreadsheet writes them: huge
once unpacked yet small on disk, or odd in ways a hostile file can be. Each part is written a
chunk at a time, so even a part of hundreds of megabytes never sits in memory."""

import functools
import io
import zipfile
from collections.abc import Iterable

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006"
TYPES = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def workbook(
    sheets: dict[str, Iterable[str]],
    *,
    strings: Iterable[str] = ("<si><t>No</t></si>",),
    parts: dict[str, Iterable[bytes]] | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
    sheet_paths: dict[str, str] | None = None,
    dimension: str = "",
) -> bytes:
    """A workbook of `sheets` (name: the XML of its rows, in chunks), its shared texts (`<si>`
    elements, in chunks) and any other `parts` (path: bytes, in chunks). Each sheet may be
    stored elsewhere than Excel stores it (`sheet_paths`) and state a size (`dimension`)."""
    paths = {name: f"xl/worksheets/sheet{n}.xml" for n, name in enumerate(sheets, start=1)}
    paths.update(sheet_paths or {})
    stated = f'<dimension ref="{dimension}"/>' if dimension else ""
    overrides = "".join(
        f'<Override PartName="/{path}" ContentType="{TYPES}.worksheet+xml"/>'
        for path in paths.values()
    )
    sheet_list = "".join(
        f'<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>'
        for n, name in enumerate(sheets, start=1)
    )
    sheet_rels = "".join(
        f'<Relationship Id="rId{n}" Type="{RELATIONSHIPS}/worksheet" '
        f'Target="{path.removeprefix("xl/")}"/>'
        for n, path in enumerate(paths.values(), start=1)
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as book:
        book.writestr(
            "[Content_Types].xml",
            f'<Types xmlns="{PACKAGE}/content-types">'
            f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{TYPES}.sheet.main+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{TYPES}.sharedStrings+xml"/>'
            f"{overrides}</Types>",
        )
        book.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{PACKAGE}/relationships"><Relationship Id="rId1" '
            f'Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        book.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><sheets>{sheet_list}</sheets>'
            "</workbook>",
        )
        book.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{PACKAGE}/relationships">{sheet_rels}<Relationship '
            f'Id="rIdStrings" Type="{RELATIONSHIPS}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>",
        )
        _write(book, "xl/sharedStrings.xml", _text(f'<sst xmlns="{MAIN}">', strings, "</sst>"))
        for name, rows in sheets.items():
            _write(
                book,
                paths[name],
                _text(
                    f'<worksheet xmlns="{MAIN}">{stated}<sheetData>',
                    rows,
                    "</sheetData></worksheet>",
                ),
            )
        for path, chunks in (parts or {}).items():
            _write(book, path, chunks)
    return out.getvalue()


def _text(first: str, middle: Iterable[str], last: str) -> Iterable[bytes]:
    yield first.encode()
    for chunk in middle:
        yield chunk.encode()
    yield last.encode()


def _write(book: zipfile.ZipFile, path: str, chunks: Iterable[bytes]) -> None:
    with book.open(path, "w", force_zip64=True) as part:
        for chunk in chunks:
            part.write(chunk)


def rows_of(cells: Iterable[Iterable[str]]) -> Iterable[str]:
    """The XML of rows of text cells, each text stored in the cell."""
    for number, row in enumerate(cells, start=1):
        inline = "".join(f'<c t="inlineStr"><is><t>{text}</t></is></c>' for text in row)
        yield f'<row r="{number}">{inline}</row>'


# The workbooks of the security review: each once per test run, as they take a moment to pack.


@functools.cache
def wide() -> bytes:
    """4,000 rows of 2,000 cells each, 8 million cells: under 500 KB on disk."""
    row = '<c t="s"><v>0</v></c>' * 2000
    return workbook({"Sheet1": (f'<row r="{n}">{row}</row>' for n in range(1, 4001))})


@functools.cache
def one_long_text() -> bytes:
    """One shared text of 300 MB, which packs to a few hundred KB."""
    megabyte = "x" * (1024 * 1024)
    return workbook(
        {"Sheet1": ['<row r="1"><c r="A1" t="s"><v>0</v></c></row>']},
        strings=["<si><t>", *(megabyte for _ in range(300)), "</t></si>"],
    )
