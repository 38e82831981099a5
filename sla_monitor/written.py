"""What councils write, in the reader's language or, where that is blank, in the other.

Each text a council writes has a column for each language (docs/welsh.md, "What councils write").
A reader sees their own language's text; where it is blank they see the other's, marked with its
language so that a screen reader speaks it rightly and with a short note saying it is only in
that language. Only the row already fetched is read: showing a text never asks the database.
"""

from dataclasses import dataclass

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

ENGLISH = "en-gb"
WELSH = "cy"
# As the page's lang attribute names each language.
HTML_LANG = {ENGLISH: "en", WELSH: "cy"}


def reader_language() -> str:
    """The language the current request is read in: Welsh or English."""
    return WELSH if (get_language() or "").startswith(WELSH) else ENGLISH


def other_language(language: str) -> str:
    return ENGLISH if language == WELSH else WELSH


@dataclass(frozen=True)
class Written:
    """A text as it is shown: in `language`, and `fallback` when that is not the reader's."""

    text: str
    language: str
    fallback: bool

    @property
    def html_lang(self) -> str:
        return HTML_LANG[self.language]

    @property
    def note(self) -> str:
        if not self.fallback:
            return ""
        return _("Only in Welsh") if self.language == WELSH else _("Only in English")


def written(obj, field: str, language: str | None = None) -> Written:
    """The text of `obj.field` for a reader of `language` (the request's, unless given)."""
    language = language or reader_language()
    own_field = build_localized_fieldname(field, language)
    if not hasattr(obj, own_field):
        # A field kept in one language only.
        return Written(str(getattr(obj, field, "") or ""), language, fallback=False)
    own = getattr(obj, own_field)
    if own:
        return Written(own, language, fallback=False)
    other = other_language(language)
    theirs = getattr(obj, build_localized_fieldname(field, other), None)
    if theirs:
        return Written(theirs, other, fallback=True)
    return Written("", language, fallback=False)


def english(name: str) -> str:
    """The English column of a text kept in both languages."""
    return build_localized_fieldname(name, ENGLISH)


def welsh(name: str) -> str:
    """The Welsh column of a text kept in both languages."""
    return build_localized_fieldname(name, WELSH)


def column(record, name: str) -> str:
    """The column a service writes `name` to: a text kept in both languages is written to its
    English column (its Welsh one is named `<name>_cy`), whatever language the writer reads in;
    any other field to itself."""
    return english(name) if hasattr(record, english(name)) else name


def in_columns(model, values: dict) -> dict:
    """The values for a new row of `model`, where a text kept in both languages is given in
    English under its own name and in Welsh, if at all, under `<name>_cy`: each language's column
    is named, so the row is the same whatever language its writer reads in."""
    columns = dict(values)
    for name, value in values.items():
        if hasattr(model, english(name)):
            columns[english(name)] = value
            # None, not an empty text: a name unique in each language is kept as none when blank.
            columns.setdefault(welsh(name), None)
    return columns


def saved_with(record, column: str) -> list[str]:
    """The columns to save when `column` changed: for either language's column of a text kept in
    both, the text's own name too (so the change history names it, as it did before the text had
    two languages) and both languages' columns, so that saving the text's own name never copies
    it into the column of whatever language the writer reads in."""
    for name in (column.removesuffix("_" + suffix) for suffix in ("en_gb", "cy")):
        if name != column and hasattr(record, english(name)):
            return [name, english(name), welsh(name)]
    return [column]


def columns_of(model, name: str) -> list[str]:
    """The columns that hold the field `name`: for a text kept in both languages, its own and
    each language's."""
    if hasattr(model, english(name)):
        return [name, english(name), welsh(name)]
    return [name]


class WrittenSelect(forms.Select):
    """A list of records named by a text kept in both languages (`field`): an option shown in the
    other language, where the reader's is not written, says so with its `lang`, as the
    `in_language` tag marks text on a page."""

    def __init__(self, *args, field: str = "title", **kwargs):
        super().__init__(*args, **kwargs)
        self.field = field

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            shown = written(instance, self.field)
            if shown.fallback:
                option["attrs"]["lang"] = shown.html_lang
        return option
