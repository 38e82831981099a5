"""The Welsh catalogue: every entry translated and none left fuzzy, so that no page mixes the two
languages, and each translation with the placeholders of its English, so that none fails to be
filled or shows a figure where a name should be (docs/welsh.md says how to refresh it)."""

import re
from pathlib import Path

import polib
import pytest

CATALOGUE = Path(__file__).resolve().parents[1] / "locale" / "cy" / "LC_MESSAGES"
FILES = sorted(CATALOGUE.glob("*.po"))

# Python's and Django's JavaScript interpolation: %s, %d, %(name)s, with any flags and width.
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifr]")


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text.replace("%%", "")))


def where(entry: polib.POEntry) -> str:
    return f"{entry.msgid[:70]!r} ({', '.join(f'{f}:{n}' for f, n in entry.occurrences[:2])})"


@pytest.fixture(params=FILES, ids=[path.name for path in FILES])
def catalogue(request) -> polib.POFile:
    return polib.pofile(str(request.param))


def unfinished(catalogue: polib.POFile) -> list[str]:
    """Entries not translated, or marked fuzzy (a guess awaiting review)."""
    left = catalogue.untranslated_entries() + catalogue.fuzzy_entries()
    return [where(entry) for entry in left]


def misplaced(catalogue: polib.POFile) -> list[str]:
    """Translations whose placeholders are not their English's."""
    wrong = []
    for entry in catalogue.translated_entries():
        if entry.msgid_plural:
            # Each of Welsh's plural forms is written like the English singular or plural.
            allowed = [placeholders(entry.msgid), placeholders(entry.msgid_plural)]
            if any(placeholders(form) not in allowed for form in entry.msgstr_plural.values()):
                wrong.append(where(entry))
        elif placeholders(entry.msgstr) != placeholders(entry.msgid):
            wrong.append(where(entry))
    return wrong


def test_every_entry_is_translated_and_none_is_fuzzy(catalogue):
    left = unfinished(catalogue)

    assert not left, "Not translated, or fuzzy:\n" + "\n".join(left)


def test_every_translation_has_the_placeholders_of_its_english(catalogue):
    wrong = misplaced(catalogue)

    assert not wrong, "Placeholders differ from the English:\n" + "\n".join(wrong)


SAMPLE = r"""
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=4; plural=(n==1) ? 0 : (n==2) ? 1 : (n != 8 && n != 11) ? 2 : 3;\n"

msgid "Return for %(quarter)s"
msgstr "Ffurflen ar gyfer %(quarter)s"

msgid "Due on %(date)s"
msgstr "Yn ddyledus ar %(day)s"

msgid "Submit"
msgstr ""

#, fuzzy
msgid "Approve"
msgstr "Cymeradwyo"

msgid "%s person"
msgid_plural "%s people"
msgstr[0] "%s person"
msgstr[1] "%s berson"
msgstr[2] "%s o bobl"
msgstr[3] "%s pherson"

msgid "%(n)s return"
msgid_plural "%(n)s returns"
msgstr[0] "un ffurflen"
msgstr[1] "%(n)s ffurflen"
msgstr[2] "%(n)s ffurflen"
msgstr[3] "%(n)s ffurflen"
"""


def test_the_checks_find_what_is_left_and_what_is_misplaced():
    catalogue = polib.pofile(SAMPLE)

    assert [line.split(" (")[0] for line in unfinished(catalogue)] == ["'Submit'", "'Approve'"]
    assert [line.split(" (")[0] for line in misplaced(catalogue)] == [
        "'Due on %(date)s'",
        "'%(n)s return'",
    ]


def test_the_placeholders_are_read_as_gettext_writes_them():
    assert placeholders("%(sum)s of %(total)s, %s and %d%% done") == [
        "%(sum)s",
        "%(total)s",
        "%d",
        "%s",
    ]
    assert placeholders("100%% sure") == []
