"""Reading a due date from a timescale as plans write it, keeping the text as written.

"On-going" and "TBC" have no due date. A financial year ("2015-2016", "2015-16", "2015/16") is due
at its end, 31 March; a month ("April 2016", "End July 2015") at the month's end; a quarter
("Q3 2015/16") at the quarter's end; a bare year ("2017") on 31 December. Where a timescale names
several dates ("Q3 2015-2016 Q4 2015-2016") the action is due by the last of them.
"""

import calendar
import datetime as dt
import re

from sla_monitor import periods

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
_MONTH_NAMES = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_YEAR = r"(?:19|20)\d{2}"
_FINANCIAL_YEAR = rf"({_YEAR})\s*[-/\u2013]\s*((?:19|20)?\d{{2}})"

_QUARTER = re.compile(rf"\bQ([1-4])\s*(?:{_FINANCIAL_YEAR}|({_YEAR}))", re.IGNORECASE)
_MONTH_YEAR = re.compile(rf"\b({_MONTH_NAMES})\.?\s+({_YEAR})\b", re.IGNORECASE)
_FINANCIAL = re.compile(rf"\b{_FINANCIAL_YEAR}\b")
_BARE_YEAR = re.compile(rf"\b({_YEAR})\b")
# A timescale inside seed 004's "Lead Responsibility & Timescales": "HR Manager 2015 -2016".
_TIMESCALE_FRAGMENT = re.compile(
    rf"(?:\b(?:end|start|by)\s+)?(?:\bQ[1-4]\s+)?(?:\b(?:{_MONTH_NAMES})\s+)?"
    rf"\b{_YEAR}(?:\s*[-/\u2013]\s*(?:{_YEAR}|\d{{2}}))?\b"
    rf"|\b(?:{_MONTH_NAMES})\s*$|\bon-?going\b|\bTBC\b",
    re.IGNORECASE,
)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _second_year(first: int, second: str) -> int | None:
    """The end year of "2015-16" or "2015-2016", or None when the pair is not consecutive."""
    end = int(second) if len(second) == 4 else (first // 100) * 100 + int(second)
    return end if end == first + 1 else None


def parse_due_date(text: str) -> dt.date | None:
    """The date by which a timescale as written expects the action done, or None."""
    if not text:
        return None
    dates: list[dt.date] = []
    consumed: list[tuple[int, int]] = []

    def free(match: re.Match) -> bool:
        return all(match.end() <= a or match.start() >= b for a, b in consumed)

    for match in _QUARTER.finditer(text):
        quarter = int(match.group(1))
        if match.group(2):
            start_year = int(match.group(2))
            if _second_year(start_year, match.group(3)) is None:
                continue
        else:
            # "Q3 2015" names the financial year starting in 2015.
            start_year = int(match.group(4))
        dates.append(periods.quarter_dates(start_year, quarter)[1])
        consumed.append(match.span())
    for match in _MONTH_YEAR.finditer(text):
        if free(match):
            dates.append(_month_end(int(match.group(2)), MONTHS[match.group(1).lower()]))
            consumed.append(match.span())
    for match in _FINANCIAL.finditer(text):
        if free(match):
            start_year = int(match.group(1))
            if _second_year(start_year, match.group(2)) is not None:
                dates.append(periods.financial_year_end(start_year))
                consumed.append(match.span())
    for match in _BARE_YEAR.finditer(text):
        if free(match):
            dates.append(dt.date(int(match.group(1)), 12, 31))
    return max(dates) if dates else None


def split_lead_and_timescale(text: str) -> tuple[str, str]:
    """Split "HR Manager 2015 -2016" into ("HR Manager", "2015 -2016").

    Where leads and timescales alternate ("Group Managers 2015-2016 Waste Service Manager
    2015-2016") the leads are joined with "; " and each distinct timescale is kept once.
    """
    text = " ".join((text or "").split())
    timescales: list[str] = []
    for match in _TIMESCALE_FRAGMENT.finditer(text):
        if match.group() not in timescales:
            timescales.append(match.group())
    leads = [part.strip(" ,;") for part in _TIMESCALE_FRAGMENT.split(text)]
    return "; ".join(part for part in leads if part), " ".join(timescales)
