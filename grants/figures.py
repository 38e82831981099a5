"""How an indicator's numbers read: its target, its actuals, and for a per-year count what is
expected by the end of a quarter. Pages, PDFs, charts and exports all ask here, and the rule of
each kind of number is `sla_monitor.figures`'."""

from decimal import Decimal

from django.utils.translation import gettext

from grants.rag import Direction, Measure, target_to_date, upper_bound_to_date
from sla_monitor.figures import Figure, Kind
from sla_monitor.periods import financial_year_label

KINDS = {"count": Kind.COUNT, "percentage": Kind.PERCENTAGE}


def figure(measure_type: str, value: Decimal | None) -> Figure | None:
    """A count's or a percentage's value as a `Figure`; None for no value or another measure."""
    if value is None or measure_type not in KINDS:
        return None
    return Figure(Decimal(value), KINDS[measure_type])


def expected_by(measure: Measure, quarter: int, first_quarter: int | None = None) -> Decimal | None:
    """The target to the end of the quarter, as pages and reports show it and the RAG status
    compares with it (`grants.rag.target_to_date`: a per-year count's share is whole; a
    per-quarter count's is the sum over the quarters from `first_quarter` a return covers)."""
    return target_to_date(measure, quarter, first_quarter)


def _bounded(measure: Measure, target: Decimal, upper: Decimal | None, unit: str, span: str):
    """A target and its direction in words: "4 groups per quarter", "no more than 2
    complaints per quarter", "between 60% and 80% per year"."""
    lower = figure(measure.measure_type, target)
    counted = f"{lower} {unit}".strip()
    if measure.direction == Direction.LOWER:
        return gettext("no more than %(counted)s %(span)s") % {"counted": counted, "span": span}
    if measure.is_range and upper is not None:
        upper_counted = f"{figure(measure.measure_type, upper)} {unit}".strip()
        return gettext("between %(lower)s and %(upper)s %(span)s") % {
            "lower": lower,
            "upper": upper_counted,
            "span": span,
        }
    return f"{counted} {span}"


def _by_end_of(measure: Measure, quarter: int) -> str:
    expected = figure(measure.measure_type, expected_by(measure, quarter))
    values = {"expected": expected, "quarter": quarter}
    if measure.direction == Direction.LOWER:
        return gettext("no more than %(expected)s by the end of Q%(quarter)s") % values
    if measure.is_range:
        values["upper"] = figure(measure.measure_type, upper_bound_to_date(measure, quarter))
        return gettext("between %(expected)s and %(upper)s by the end of Q%(quarter)s") % values
    return gettext("%(expected)s expected by the end of Q%(quarter)s") % values


def target_wording(indicator, quarter: int | None = None, *, financial_year: int | None = None):
    """The indicator's target in words, with its direction: "4 groups per quarter", "75% per
    year", "no more than 2 complaints per quarter", "between 60% and 80% per quarter", and for
    a per-year count "3 events in the year; 2 expected by the end of Q3" (the second part left
    out without a quarter and in Q4, where it is the year's target). Given the financial year,
    the target in force then (`PerformanceIndicator.measure_in`, from the year's start without
    a quarter): a year's own target names its year, "3 events in 2025/26, profiled 1, 2, 0, 1"."""
    row = None
    if financial_year is not None:
        row = indicator.target_in_force(financial_year, quarter or 1)
    measure = (
        indicator.measure if row is None else indicator.measure_in(financial_year, quarter or 1)
    )
    if figure(measure.measure_type, measure.target) is None:
        return ""
    unit = indicator.unit
    profile = measure.profile
    profiled = ""
    if profile is not None:
        shown = ", ".join(str(figure(measure.measure_type, q)) for q in profile)
        profiled = gettext(", profiled %(profile)s") % {"profile": shown}
    if not measure.is_cumulative:
        if profile is not None and quarter is not None:
            # The quarter's own figure of the profile, its upper bound unchanged.
            span = gettext("in Q%(quarter)s") % {"quarter": quarter}
            return _bounded(measure, profile[quarter - 1], measure.upper_bound, unit, span)
        span = indicator.get_target_period_display().lower()
        return _bounded(measure, measure.target, measure.upper_bound, unit, span) + profiled
    if row is None:
        span = gettext("in the year")
    else:
        span = gettext("in %(year)s") % {"year": financial_year_label(financial_year)}
    wording = _bounded(measure, measure.target, measure.upper_bound, unit, span) + profiled
    if quarter is None or quarter == 4:
        return wording
    return f"{wording}; {_by_end_of(measure, quarter)}"
