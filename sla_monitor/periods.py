"""UK financial years and their quarters: Q1 is April to June, Q4 January to March."""

import calendar
import datetime as dt

from django.utils.formats import date_format
from django.utils.translation import gettext

QUARTER_START_MONTHS = {1: 4, 2: 7, 3: 10, 4: 1}


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def quarter_dates(financial_year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """First and last day of a quarter of the financial year starting in April `financial_year`."""
    if quarter not in QUARTER_START_MONTHS:
        raise ValueError("A quarter is 1, 2, 3 or 4.")
    year = financial_year + 1 if quarter == 4 else financial_year
    month = QUARTER_START_MONTHS[quarter]
    return dt.date(year, month, 1), _last_day(year, month + 2)


def return_due_date(financial_year: int, quarter: int) -> dt.date:
    """Returns are due by the last day of the month after the quarter ends."""
    end = quarter_dates(financial_year, quarter)[1]
    following = end + dt.timedelta(days=1)
    return _last_day(following.year, following.month)


def financial_year_of(day: dt.date) -> int:
    """The financial year a day falls in, named by the calendar year it starts in."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year_end(financial_year: int) -> dt.date:
    """The last day of the financial year starting in April `financial_year`: 31 March."""
    return quarter_dates(financial_year, 4)[1]


def financial_years(start: dt.date, end: dt.date) -> list[int]:
    """Every financial year from the one `start` falls in to the one `end` falls in."""
    return list(range(financial_year_of(start), financial_year_of(end) + 1))


def reports_on(start: dt.date, end: dt.date, first: dt.date, last: dt.date) -> bool:
    """Something running from `start` to `end` reports on the quarter from `first` to `last`:
    the quarter falls wholly within it."""
    return start <= first and last <= end


def financial_year_label(year: int) -> str:
    """2015 -> "2015/16", as councils write their financial years."""
    return f"{year}/{(year + 1) % 100:02d}"


def quarter_of(day: dt.date) -> tuple[int, int]:
    """The (financial year, quarter) a day falls in."""
    return financial_year_of(day), {4: 1, 7: 2, 10: 3, 1: 4}[((day.month - 1) // 3) * 3 + 1]


def last_quarter_within(end: dt.date) -> tuple[int, int]:
    """The (financial year, quarter) of the last quarter ending on or before `end`."""
    year, quarter = quarter_of(end)
    if end == quarter_dates(year, quarter)[1]:
        return year, quarter
    return (year, quarter - 1) if quarter > 1 else (year - 1, 4)


def closes_block(quarter: int, block: int) -> bool:
    """The quarter is the last of a block of `block` quarters (1, 2 or 4) of its financial
    year: every quarter for 1, Q2 and Q4 for 2, Q4 for 4."""
    return quarter % block == 0


def block_first_quarter(quarter: int, block: int) -> int:
    """The first quarter of the block of `block` quarters the quarter falls in: Q3 for Q4 in
    halves, Q1 for Q4 in a whole year."""
    return quarter - (quarter - 1) % block


def reports_in_block(
    start: dt.date, end: dt.date, block: int, financial_year: int, quarter: int
) -> bool:
    """Something running from `start` to `end` and reporting every `block` quarters reports in
    the quarter: the quarter falls wholly within it and either ends a block or is the last
    quarter within it, where a block cut short by its end closes."""
    first, last = quarter_dates(financial_year, quarter)
    if not reports_on(start, end, first, last):
        return False
    return closes_block(quarter, block) or last_quarter_within(end) == (financial_year, quarter)


def first_quarter_within(start: dt.date) -> tuple[int, int]:
    """The (financial year, quarter) of the first quarter starting on or after `start`."""
    year, quarter = quarter_of(start)
    if start == quarter_dates(year, quarter)[0]:
        return year, quarter
    return (year, quarter + 1) if quarter < 4 else (year + 1, 1)


def span_label(first: dt.date, last: dt.date) -> str:
    """Months from `first` to `last` as a person says them: "April to September 2026", or
    "October 2026 to March 2027" across a calendar year."""
    if first.year == last.year:
        return gettext("%(first)s to %(last)s") % {
            "first": date_format(first, "F"),
            "last": date_format(last, "F Y"),
        }
    return gettext("%(first)s to %(last)s") % {
        "first": date_format(first, "F Y"),
        "last": date_format(last, "F Y"),
    }
