"""How an indicator's numbers read: its target, its actuals, and for a per-year count what is
expected by the end of a quarter. Pages, PDFs, charts and exports all ask here, and the rule of
each kind of number is `sla_monitor.figures`'."""

from decimal import Decimal

from grants.rag import Measure, target_to_date
from sla_monitor.figures import Figure, Kind

KINDS = {"count": Kind.COUNT, "percentage": Kind.PERCENTAGE}


def figure(measure_type: str, value: Decimal | None) -> Figure | None:
    """A count's or a percentage's value as a `Figure`; None for no value or another measure."""
    if value is None or measure_type not in KINDS:
        return None
    return Figure(Decimal(value), KINDS[measure_type])


def expected_by(measure: Measure, quarter: int) -> Decimal | None:
    """The target to the end of the quarter, as pages and reports show it and the RAG status
    compares with it (`grants.rag.target_to_date`: a per-year count's share is whole)."""
    return target_to_date(measure, quarter)


def target_wording(indicator, quarter: int | None = None) -> str:
    """The indicator's target in words: "4 groups per quarter", "75% per year", and for a
    per-year count "3 events in the year; 2 expected by the end of Q3" (the second part left out
    without a quarter and in Q4, where it is the year's target)."""
    measure = indicator.measure
    target = figure(measure.measure_type, measure.target)
    if target is None:
        return ""
    counted = f"{target} {indicator.unit}".strip()
    if not measure.is_cumulative:
        return f"{counted} {indicator.get_target_period_display().lower()}"
    wording = f"{counted} in the year"
    if quarter is None or quarter == 4:
        return wording
    expected = figure(measure.measure_type, expected_by(measure, quarter))
    return f"{wording}; {expected} expected by the end of Q{quarter}"
