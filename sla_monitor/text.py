"""Text as a person reads it. Invisible format characters (a zero-width space, a direction mark)
print as nothing, so a reason made only of them is no reason, and a heading or a name with them
can pass for another."""

import unicodedata


def has_words(text: str) -> bool:
    """Something a person can read: a letter, number, punctuation or symbol, not only spaces
    and invisible characters."""
    return any(unicodedata.category(character)[0] in "LNPS" for character in text)


def visible(text: str) -> str:
    """The text with its invisible format characters taken out and its ends trimmed."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf").strip()
