"""The RAG status of an indicator's answer: one pure function, no database.

Green: the target is met; for a per-year target, the year's cumulative actual is at least the
target pro rata to the quarter (a quarter of it after Q1, half after Q2, and so on).
Amber: below that, but within the indicator's tolerance (a percentage of the target).
Red: further below. Narrative indicators are green when the narrative is given and red when it
is missing. A milestone is green when done; not yet done it is amber until the year's last
quarter and red in it; missing, it is red. An indicator with no numeric target has no RAG.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum


class Rag(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"

    @property
    def label(self) -> str:
        return self.value.capitalize()


@dataclass(frozen=True)
class Measure:
    """What the rule needs to know about an indicator."""

    measure_type: str
    target: Decimal | None
    target_period: str
    amber_tolerance: Decimal

    @property
    def is_cumulative(self) -> bool:
        """A per-year count: its actuals add up over the year."""
        return self.measure_type == "count" and self.target_period == "year"


def target_to_date(measure: Measure, quarter: int) -> Decimal | None:
    """The target an answer is compared with in the given quarter (1 to 4). For a per-year count
    it is the year's target pro rata to the quarter, rounded to the nearest whole number with
    halves rounded up, because a count is whole: 3 events a year are 1 expected by the end of Q1
    (0.75), 2 by Q2 (1.5), 2 by Q3 (2.25) and 3 by Q4. What a page says is expected is what the
    RAG status compares with."""
    if measure.target is None:
        return None
    if measure.is_cumulative:
        return (measure.target * quarter / 4).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return measure.target


def rag_status(
    measure: Measure,
    *,
    quarter: int,
    actual: Decimal | None = None,
    year_to_date: Decimal | None = None,
    achieved: bool | None = None,
    narrative: str = "",
) -> Rag | None:
    """RAG of one quarter's answer. `year_to_date` is the cumulative actual for per-year counts."""
    if measure.measure_type == "narrative":
        return Rag.GREEN if narrative.strip() else Rag.RED
    if measure.measure_type == "milestone":
        if achieved is True:
            return Rag.GREEN
        if achieved is False and quarter < 4:
            return Rag.AMBER
        return Rag.RED
    target = target_to_date(measure, quarter)
    if target is None:
        return None
    value = year_to_date if measure.is_cumulative else actual
    if value is None:
        return Rag.RED
    if value >= target:
        return Rag.GREEN
    if value >= target * (1 - measure.amber_tolerance / 100):
        return Rag.AMBER
    return Rag.RED
