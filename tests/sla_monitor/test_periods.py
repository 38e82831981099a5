import datetime as dt

import pytest

from sla_monitor.periods import financial_year_end, quarter_dates, quarter_of, return_due_date


@pytest.mark.parametrize(
    ("quarter", "start", "end", "due"),
    [
        (1, dt.date(2025, 4, 1), dt.date(2025, 6, 30), dt.date(2025, 7, 31)),
        (2, dt.date(2025, 7, 1), dt.date(2025, 9, 30), dt.date(2025, 10, 31)),
        (3, dt.date(2025, 10, 1), dt.date(2025, 12, 31), dt.date(2026, 1, 31)),
        (4, dt.date(2026, 1, 1), dt.date(2026, 3, 31), dt.date(2026, 4, 30)),
    ],
)
def test_financial_year_quarters_run_april_to_march(quarter, start, end, due):
    assert quarter_dates(2025, quarter) == (start, end)
    assert return_due_date(2025, quarter) == due


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 3, 31), (2025, 4)),
        (dt.date(2026, 4, 1), (2026, 1)),
        (dt.date(2026, 11, 23), (2026, 3)),
        (dt.date(2026, 8, 15), (2026, 2)),
    ],
)
def test_a_day_belongs_to_its_financial_quarter(day, expected):
    assert quarter_of(day) == expected


def test_there_is_no_fifth_quarter():
    with pytest.raises(ValueError):
        quarter_dates(2025, 5)


def test_a_financial_year_ends_on_the_31_march_after_it_starts():
    assert financial_year_end(2015) == dt.date(2016, 3, 31)
