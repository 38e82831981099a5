"""UK financial years and their quarters: Q1 is April to June, Q4 January to March."""

import calendar
import datetime as dt

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
