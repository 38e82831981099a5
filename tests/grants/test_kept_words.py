"""A submission keeps its answers' words as they were when it was made; a reader in Welsh reads
the kept "yes", "no" and "yes, achieved in" in Welsh."""

from django.utils import translation

from grants.templatetags.grants_tags import kept_words


def test_kept_answers_read_in_the_readers_language():
    with translation.override("cy"):
        assert kept_words("Yes") == translation.gettext("Yes") != "Yes"
        assert kept_words("No") == translation.gettext("No") != "No"
        achieved = kept_words("Yes, achieved in Q1 2026/27")
    assert "Q1 2026/27" in achieved
    assert not achieved.startswith("Yes")


def test_other_kept_words_read_as_written():
    with translation.override("cy"):
        assert kept_words("Casework with 12 families.") == "Casework with 12 families."
    assert kept_words("Yes, achieved in Q1 2026/27") == "Yes, achieved in Q1 2026/27"
