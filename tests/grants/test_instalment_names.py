"""An instalment is named as councils name it, in the reader's language, each name whole."""

from django.utils import translation

from grants.models.payments import instalment_label


def test_an_instalment_is_named_in_the_readers_language():
    assert instalment_label(2026, 1) == "2026/27, first instalment"
    assert instalment_label(2026, 13) == "2026/27, instalment 13"
    with translation.override("cy"):
        first, second = instalment_label(2026, 1), instalment_label(2026, 2)
    assert first.startswith("2026/27, ") and second.startswith("2026/27, ")
    assert "instalment" not in first + second
    assert first != second
