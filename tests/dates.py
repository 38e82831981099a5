"""Filling in a GOV.UK date input as a browser sends it: three boxes."""

import datetime as dt


def date_boxes(name: str, day: dt.date | str) -> dict[str, str]:
    """{"held_on_day": "15", "held_on_month": "7", "held_on_year": "2025"} for 15 July 2025."""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


def fill_date(page, legend: str, day: str) -> None:
    """In a browser: type "27/3/2026" (day/month/year) into the date input named `legend`."""
    group = page.get_by_role("group", name=legend)
    for box, value in zip(["Day", "Month", "Year"], day.split("/"), strict=True):
        group.get_by_label(box, exact=True).fill(value)
