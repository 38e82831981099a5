"""An indicator's targets by year and quarterly profiles as people write them in a workbook cell
or a form: "2025/26: 3; 2026/27: 4" and "2025/26: 1, 2, 0, 1". Read into unsaved
`IndicatorTarget` rows, each checked by the model's rules, with a message a problem; and written
back the same way for an export."""

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from grants.models import IndicatorTarget, PerformanceIndicator, target_errors
from sla_monitor.periods import financial_year_label

# "2025/26", "2025/2026" or "2025", a colon, and what that year holds.
ENTRY = re.compile(r"^(?P<year>\d{4})(?:\s*/\s*(?P<next>\d{2}|\d{4}))?\s*:\s*(?P<value>.+)$")
LARGEST = Decimal("99999999.99")


def _entries(text: str, what: str) -> tuple[dict[int, str], list[str]]:
    """Each year's text, from entries split by ";" or a new line."""
    found: dict[int, str] = {}
    errors: list[str] = []
    for entry in (e.strip() for e in re.split(r"[;\n]", text or "")):
        if not entry:
            continue
        match = ENTRY.match(entry)
        if match is None:
            errors.append(
                _("“%(entry)s”: write each year's %(what)s as 2025/26: %(example)s.")
                % {"entry": entry, "what": what, "example": _example(what)}
            )
            continue
        year, following = int(match["year"]), match["next"]
        if following is not None and int(following) % 100 != (year + 1) % 100:
            errors.append(
                _("“%(entry)s”: a financial year runs into the next, like %(label)s.")
                % {"entry": entry, "label": financial_year_label(year)}
            )
            continue
        if year in found:
            errors.append(_("%(year)s is given twice.") % {"year": financial_year_label(year)})
            continue
        found[year] = match["value"].strip()
    return found, errors


def _example(what: str) -> str:
    return "1, 2, 0, 1" if what == PROFILE else "3"


TARGET, PROFILE = "target", "profile"


def _number(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip().replace(",", "").replace("%", ""))
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0 or value > LARGEST:
        return None
    if value != value.quantize(Decimal("0.01")):
        return None
    return value


def read_targets(text: str) -> tuple[dict[int, Decimal], list[str]]:
    """Each year's target from "2025/26: 3; 2026/27: 4"."""
    entries, errors = _entries(text, TARGET)
    targets = {}
    for year, value in entries.items():
        number = _number(value)
        if number is None:
            errors.append(
                _("%(year)s: “%(value)s” is not a target, like 3.")
                % {"year": financial_year_label(year), "value": value}
            )
        else:
            targets[year] = number
    return targets, errors


def read_profiles(text: str) -> tuple[dict[int, tuple[Decimal, ...]], list[str]]:
    """Each year's quarterly profile from "2025/26: 1, 2, 0, 1; 2026/27: 1, 1, 1, 1"."""
    entries, errors = _entries(text, PROFILE)
    profiles = {}
    for year, value in entries.items():
        figures = [_number(part) for part in value.split(",")]
        if len(figures) != 4 or any(f is None for f in figures):
            errors.append(
                _("%(year)s: give four figures, one a quarter, like 1, 2, 0, 1.")
                % {"year": financial_year_label(year)}
            )
        else:
            profiles[year] = tuple(figures)
    return profiles, errors


def year_targets(
    indicator: PerformanceIndicator,
    targets_text: str,
    profile_text: str,
    *,
    years: list[int] | None = None,
) -> tuple[list[IndicatorTarget], list[str]]:
    """The indicator's targets by year, unsaved, from the two texts, each from its year's start;
    a year given a profile and no target of its own profiles the indicator's target. `years`,
    when known, are the agreement's financial years: no other is taken. The messages say what
    is wrong."""
    targets, errors = read_targets(targets_text)
    profiles, profile_errors = read_profiles(profile_text)
    errors += profile_errors
    rows = []
    for year in sorted(targets.keys() | profiles.keys()):
        label = financial_year_label(year)
        if years is not None and year not in years:
            errors.append(_("%(year)s is not a year of the agreement.") % {"year": label})
            continue
        target = targets.get(year, indicator.target)
        if target is None:
            errors.append(_("%(year)s: give the year's target.") % {"year": label})
            continue
        if indicator.measure_type not in (
            PerformanceIndicator.MeasureType.COUNT,
            PerformanceIndicator.MeasureType.PERCENTAGE,
        ):
            errors.append(_("Only a count or a percentage has targets by year."))
            break
        profile = profiles.get(year)
        row = IndicatorTarget(indicator=indicator, financial_year=year, target=target)
        if profile is not None:
            row.q1, row.q2, row.q3, row.q4 = profile
        problems = target_errors(indicator, target, profile)
        errors += [f"{label}: {problem}" for problem in problems]
        if not problems:
            rows.append(row)
    return rows, errors


def targets_text(rows) -> str:
    """The rows from their years' start as "2025/26: 3; 2026/27: 4", as `read_targets` reads."""
    return "; ".join(
        f"{financial_year_label(r.financial_year)}: {_plain(r.target)}"
        for r in rows
        if r.takes_effect_from_id is None
    )


def profiles_text(rows) -> str:
    """Their profiles as "2025/26: 1, 2, 0, 1", as `read_profiles` reads."""
    return "; ".join(
        f"{financial_year_label(r.financial_year)}: {', '.join(_plain(q) for q in r.profile)}"
        for r in rows
        if r.takes_effect_from_id is None and r.profile is not None
    )


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


def read_profile_row(text: str) -> tuple[tuple[Decimal, ...] | None, str]:
    """One year's quarterly profile, "1, 2, 0, 1", as a form's box takes it: the four figures, or
    None for an empty box; with a message when it is not four figures."""
    if not (text or "").strip():
        return None, ""
    figures = [_number(part) for part in text.split(",")]
    if len(figures) != 4 or any(figure is None for figure in figures):
        return None, _("Give four figures for Q1 to Q4, like 1, 2, 0, 1")
    return tuple(figures), ""
