"""Reading a sheet's columns and cells into the values a field holds, the same way for every
importer: a column by its title, its field's name or another name people give it, whatever its
case, spacing or "&"/"and"; a date written any of the ways people write one."""

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from sla_monitor.tables import normalise_header, unescape_formula

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d %B %Y", "%d %b %Y"]


@dataclass(frozen=True)
class Column:
    field: str
    title: str  # as the sample file and the export name it
    aliases: tuple[str, ...] = ()


def by_header(columns: Iterable[Column]) -> dict[str, Column]:
    """Each column under every header that names it, as `normalise_header` writes it."""
    return {
        normalise_header(name): column
        for column in columns
        for name in (column.title, column.field.replace("_", " "), *column.aliases)
    }


def cells(record: Mapping[str, str], columns: Mapping[str, str]) -> dict[str, str]:
    """A row's cells by field ({field: header} in `columns`), trimmed, with Windows line endings
    and the quote that keeps a spreadsheet from reading a formula taken off."""
    return {
        field: unescape_formula(record[header].replace("\r\n", "\n").strip())
        for field, header in columns.items()
    }


# A month named in Welsh, as a file made in Welsh writes a day ("31 Mawrth 2016"), read as the
# English month that `strptime` knows.
WELSH_MONTHS = {
    "ionawr": "January",
    "chwefror": "February",
    "mawrth": "March",
    "ebrill": "April",
    "mai": "May",
    "mehefin": "June",
    "gorffennaf": "July",
    "awst": "August",
    "medi": "September",
    "hydref": "October",
    "tachwedd": "November",
    "rhagfyr": "December",
}


# And as it is shortened ("31 Maw 2017").
WELSH_MONTHS |= {
    "ion": "January",
    "chwef": "February",
    "maw": "March",
    "ebr": "April",
    "meh": "June",
    "gorff": "July",
    "hyd": "October",
    "tach": "November",
    "rhag": "December",
}


def _in_english(text: str) -> str:
    return " ".join(WELSH_MONTHS.get(word.casefold().rstrip("."), word) for word in text.split())


def read_date(text: str) -> tuple[dt.date | None, str]:
    """The day a cell names, or why it names none; an empty cell is no day and no problem. A
    month may be named in English or in Welsh."""
    if not text:
        return None, ""
    for pattern in DATE_FORMATS:
        try:
            day = dt.datetime.strptime(_in_english(text), pattern).date()
        except ValueError:
            continue
        if 1900 <= day.year <= 2200:
            return day, ""
    return None, _("“%(text)s” is not a date: write it like 31/03/2016.") % {"text": text}


def read_choice(text: str, choices) -> tuple[str | None, str]:
    """The choice a cell names, by its value or its label in English or in Welsh (whichever the
    file was made in, whatever the page's language), or why it names none; an empty cell is no
    choice and no problem."""
    if not text:
        return None, ""
    key = text.strip().casefold()
    for value, label in choices:
        if key == value.casefold() or key in _as_written(label):
            return value, ""
    return None, _("“%(text)s” is not one of: %(choices)s.") % {
        "text": text,
        "choices": ", ".join((str(label) for _value, label in choices)),
    }


def _as_written(label) -> set[str]:
    said = {str(label)}
    for language in ("en-gb", "cy"):
        with translation.override(language):
            said.add(str(label))
    return {text.casefold() for text in said}


def date_text(day: dt.date | None) -> str:
    """A day as the preview shows it, as people write it in a sheet."""
    return day.strftime("%d/%m/%Y") if day else ""
