"""Small-number suppression: the one rule equality figures pass before they leave the provider.

A table is the counts of one characteristic's categories and their published total (the people
reached). A count from 1 to 4 is shown as "fewer than 5" (primary suppression). If the hidden counts
could then be worked out from the total and the counts still shown, more cells are hidden
(secondary suppression), smallest first. If no choice of cells protects the table, every cell is
withheld alike, with nothing to say which were small. A total from 1 to 4 is itself "fewer than 5",
and then no cell is shown.

"Worked out" assumes a reader who knows this rule: a "fewer than 5" cell is 1 to 4, a cell hidden
to protect another is 0 or at least 5, a withheld cell is anything from 0 to the total. No hidden
cell may have only one value consistent with what is shown. The rule is pure: no database, no
Django, so its properties can be tested on every table hypothesis can think of.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

THRESHOLD = 5


class Shown(StrEnum):
    VALUE = "value"
    SMALL = "small"  # 1 to 4: "fewer than 5"
    HIDDEN = "hidden"  # hidden so that a small count cannot be worked out
    WITHHELD = "withheld"  # the whole table is too small to show


TEXT = {
    Shown.SMALL: f"fewer than {THRESHOLD}",
    Shown.HIDDEN: "hidden",
    Shown.WITHHELD: "withheld",
}


@dataclass(frozen=True)
class Published:
    """One figure as it may be shown: its value, or why it is not shown."""

    shown: Shown
    value: int | None

    @property
    def text(self) -> str:
        return str(self.value) if self.shown is Shown.VALUE else TEXT[self.shown]

    @property
    def visible(self) -> bool:
        return self.shown is Shown.VALUE


@dataclass(frozen=True)
class PublishedTable:
    cells: tuple[Published, ...]
    total: Published

    @property
    def withheld(self) -> bool:
        return any(c.shown is Shown.WITHHELD for c in self.cells)

    @property
    def suppressed(self) -> bool:
        return any(not c.visible for c in self.cells) or not self.total.visible


def is_small(count: int) -> bool:
    return 0 < count < THRESHOLD


def publish(count: int) -> Published:
    """A single count on its own (such as the people reached): small counts are not shown."""
    if is_small(count):
        return Published(Shown.SMALL, None)
    return Published(Shown.VALUE, count)


def suppress(counts: Sequence[int], total: int | None = None) -> PublishedTable:
    """The counts and their total as they may be published. `total` defaults to their sum."""
    counts = list(counts)
    if any(c < 0 for c in counts):
        raise ValueError("Counts cannot be negative.")
    total = sum(counts) if total is None else total
    if total != sum(counts):
        raise ValueError("The counts must add up to the total.")
    if is_small(total):
        return _withheld(len(counts), publish(total))

    shown = [Shown.SMALL if is_small(c) else Shown.VALUE for c in counts]
    if Shown.SMALL in shown:
        # Hide the smallest shown counts, one at a time, until none of the hidden can be worked out.
        candidates = sorted(
            (i for i, s in enumerate(shown) if s is Shown.VALUE),
            key=lambda i: (counts[i] == 0, counts[i], i),
        )
        while _determined(counts, shown, total):
            if not candidates:
                return _withheld(len(counts), publish(total))
            shown[candidates.pop(0)] = Shown.HIDDEN
    return PublishedTable(
        tuple(Published(s, counts[i] if s is Shown.VALUE else None) for i, s in enumerate(shown)),
        publish(total),
    )


def _withheld(size: int, total: Published) -> PublishedTable:
    return PublishedTable(tuple(Published(Shown.WITHHELD, None) for _ in range(size)), total)


# What a reader can work out -------------------------------------------------------------------

Interval = tuple[int, int]


def domain(shown: Shown, total: int) -> list[Interval]:
    """The values a hidden cell may have, for a reader who knows the rule."""
    if shown is Shown.SMALL:
        return [(1, THRESHOLD - 1)]
    if shown is Shown.HIDDEN:
        return [(0, 0), (THRESHOLD, total)] if total >= THRESHOLD else [(0, 0)]
    return [(0, total)]


def _merge(intervals: list[Interval], upper: int) -> list[Interval]:
    merged: list[Interval] = []
    for low, high in sorted((lo, min(hi, upper)) for lo, hi in intervals if lo <= upper):
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged


def _sumset(domains: list[list[Interval]], upper: int) -> list[Interval]:
    reachable: list[Interval] = [(0, 0)]
    for d in domains:
        reachable = _merge([(a + c, b + e) for a, b in reachable for c, e in d], upper)
    return reachable


def feasible_values(domains: list[list[Interval]], hidden_sum: int, index: int) -> set[int] | None:
    """The values hidden cell `index` can take given the sum of the hidden cells, or None if more
    than two (enough to know it is not worked out)."""
    others = _sumset(domains[:index] + domains[index + 1 :], hidden_sum)
    values: set[int] = set()
    for low, high in domains[index]:
        for rest_low, rest_high in others:
            # value v with hidden_sum - v in [rest_low, rest_high]
            v_low, v_high = max(low, hidden_sum - rest_high), min(high, hidden_sum - rest_low)
            if v_low <= v_high:
                values.update(range(v_low, min(v_high, v_low + 2) + 1))
            if len(values) > 2:
                return None
    return values


def _determined(counts: list[int], shown: list[Shown], total: int) -> bool:
    hidden = [i for i, s in enumerate(shown) if s is not Shown.VALUE]
    hidden_sum = total - sum(c for c, s in zip(counts, shown, strict=True) if s is Shown.VALUE)
    domains = [domain(shown[i], total) for i in hidden]
    for position in range(len(hidden)):
        values = feasible_values(domains, hidden_sum, position)
        if values is not None and len(values) <= 1:
            return True
    return False
