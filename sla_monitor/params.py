"""Reading a query string's values as people and robots send them."""

import re

ID = re.compile(r"[0-9]{1,18}")


def record_id(text: str) -> int | None:
    """A record's id when the text is one (plain ASCII digits that fit a database id), else
    None: "²" and "١٢" are digits to Python's `isdigit`, and 10**30 overflows the database."""
    return int(text) if ID.fullmatch(text or "") else None
