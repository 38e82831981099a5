"""The RAG status of an indicator's answer: one pure function, no database.

An indicator's target has a direction:

- higher is better (the default): green at or above the target, amber below it but within the
  indicator's tolerance, red further below;
- lower is better (complaints, waiting days): green at or below the target, amber above it but
  within the tolerance, red further above. A target of 0 has no tolerance: anything above it is
  red;
- within a range: green from the target (the lower bound) to the upper bound, both included,
  amber outside them but within the tolerance of the bound passed, red further out.

The tolerance is a percentage of the target (of the upper bound, above a range) and applies on
the side that is worse.

What an answer is compared with in a quarter (`target_to_date`): for a per-year count, the
year's cumulative actual against the target to date, which is the sum of the quarterly profile
to the quarter when the year is profiled (a profile of 1, 2, 0, 1 expects 1 after Q1, 3 after
Q2, 3 after Q3 and 4 after Q4), else the year's target pro rata to the quarter (a quarter of it
after Q1, half after Q2, and so on). Any other target with a profile is the quarter's figure of
the profile; without one, the target itself.

A return made less often than quarterly covers several quarters (`first_quarter` to `quarter`):
a per-quarter count's target is then the sum of those quarters' (4 a quarter is 8 for a
six-monthly return), and a profiled count's the sum of the profile over them. A percentage is a
rate, not added up; a per-year count is judged to date at the return's quarter as ever.

Narrative indicators are green when the narrative is given and red when it is missing. A
milestone is green when done; not yet done it is amber until the year's last quarter and red in
it; missing, it is red. An indicator with no numeric target has no RAG.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Rag(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"

    @property
    def label(self) -> str:
        """The status as a reader says it, in their language."""
        return str(RAG_LABELS[self])


class Direction(StrEnum):
    """Which side of the target is better (`PerformanceIndicator.Direction` holds the same)."""

    HIGHER = "higher"
    LOWER = "lower"
    RANGE = "range"


@dataclass(frozen=True)
class Measure:
    """What the rule needs to know about an indicator's target in force for a quarter."""

    measure_type: str
    target: Decimal | None
    target_period: str
    amber_tolerance: Decimal
    direction: str = Direction.HIGHER
    upper_bound: Decimal | None = None  # a range's; None for any other direction
    profile: tuple[Decimal, Decimal, Decimal, Decimal] | None = None  # Q1 to Q4

    @property
    def is_cumulative(self) -> bool:
        """A per-year count: its actuals add up over the year."""
        return self.measure_type == "count" and self.target_period == "year"

    @property
    def is_range(self) -> bool:
        return self.direction == Direction.RANGE and self.upper_bound is not None


def _whole(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def _share(measure: Measure, quarter: int) -> Decimal:
    """How much of a per-year count's year is expected by the end of the quarter: the profile's
    share when it has one, else a quarter a quarter."""
    if measure.profile is not None and sum(measure.profile):
        return sum(measure.profile[:quarter]) / sum(measure.profile)
    return Decimal(quarter) / 4


def _quarters(measure: Measure, quarter: int, first_quarter: int | None) -> int:
    """How many quarters' per-quarter count the answer covers: 1 but for a count's return
    covering several quarters."""
    if measure.measure_type != "count" or first_quarter is None:
        return 1
    return max(quarter - first_quarter + 1, 1)


def target_to_date(
    measure: Measure, quarter: int, first_quarter: int | None = None
) -> Decimal | None:
    """The target an answer is compared with in the given quarter (1 to 4). For a per-year count
    it is the sum of its profile to the quarter, or without a profile the year's target pro rata
    to the quarter, rounded to the nearest whole number with halves rounded up, because a count
    is whole: 3 events a year are 1 expected by the end of Q1 (0.75), 2 by Q2 (1.5), 2 by Q3
    (2.25) and 3 by Q4. Any other target with a profile is the quarter's figure. What a page says
    is expected is what the RAG status compares with."""
    if measure.target is None:
        return None
    if measure.is_cumulative:
        if measure.profile is not None:
            return sum(measure.profile[:quarter], Decimal(0))
        return _whole(measure.target * quarter / 4)
    covered = _quarters(measure, quarter, first_quarter)
    if measure.profile is not None:
        return sum(measure.profile[quarter - covered : quarter], Decimal(0))
    return measure.target * covered


def upper_bound_to_date(
    measure: Measure, quarter: int, first_quarter: int | None = None
) -> Decimal | None:
    """A range's upper bound in the quarter: for a per-year count, the year's upper bound in the
    same share as the target to date (whole, halves up); else the upper bound itself."""
    if not measure.is_range:
        return None
    if measure.is_cumulative:
        return _whole(measure.upper_bound * _share(measure, quarter))
    return measure.upper_bound * _quarters(measure, quarter, first_quarter)


def rag_status(
    measure: Measure,
    *,
    quarter: int,
    first_quarter: int | None = None,
    actual: Decimal | None = None,
    year_to_date: Decimal | None = None,
    achieved: bool | None = None,
    narrative: str = "",
) -> Rag | None:
    """RAG of one return's answer, for the quarters `first_quarter` (the return's own when None)
    to `quarter`. `year_to_date` is the cumulative actual for per-year counts."""
    if measure.measure_type == "narrative":
        return Rag.GREEN if narrative.strip() else Rag.RED
    if measure.measure_type == "milestone":
        if achieved is True:
            return Rag.GREEN
        if achieved is False and quarter < 4:
            return Rag.AMBER
        return Rag.RED
    target = target_to_date(measure, quarter, first_quarter)
    if target is None:
        return None
    value = year_to_date if measure.is_cumulative else actual
    if value is None:
        return Rag.RED
    tolerance = measure.amber_tolerance / 100
    if measure.direction == Direction.LOWER:
        if value <= target:
            return Rag.GREEN
        return Rag.AMBER if value <= target * (1 + tolerance) else Rag.RED
    upper = upper_bound_to_date(measure, quarter, first_quarter)
    if upper is not None and value > upper:
        return Rag.AMBER if value <= upper * (1 + tolerance) else Rag.RED
    if value >= target:
        return Rag.GREEN
    if value >= target * (1 - tolerance):
        return Rag.AMBER
    return Rag.RED


RAG_LABELS = {Rag.RED: _("Red"), Rag.AMBER: _("Amber"), Rag.GREEN: _("Green")}
