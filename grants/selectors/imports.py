"""The agreements import's history, and a council's agreements in the workbook it reads."""

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import QuerySet

from grants.importing import (
    AGREEMENT_COLUMNS,
    AGREEMENTS,
    INDICATOR_COLUMNS,
    INDICATORS,
    REQUIREMENT_COLUMNS,
    REQUIREMENTS,
)
from grants.importing import KIND as IMPORT_KIND
from grants.importing.columns import columns_for
from grants.models import Agreement
from grants.targets import profiles_text, targets_text
from sla_monitor import imports, written


def agreement_import_history(council) -> QuerySet:
    """The workbooks imported into the council's agreements, newest first."""
    return imports.history(IMPORT_KIND, council)


def _plain_number(value: Decimal | None) -> int | Decimal | None:
    """A number as the agreements import reads it: whole when it is (3, not 3.00), and a
    percentage as the number of percent (75), whatever its measure."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else value.normalize()


def agreements_workbook(council) -> dict:
    """The council's agreements, indicators and minimum requirements in the sheets and columns
    the agreements import reads, so that the file imports back with nothing to change: what the
    council writes in both languages in its English column and, where it offers Welsh, its Welsh
    one, whatever language the person exporting reads in."""
    agreements = list(
        Agreement.objects.filter(funder=council)
        .select_related("provider", "fund", "lead_officer")
        .prefetch_related("indicators__targets", "requirements")
        .order_by("reference")
    )
    agreement_values = {
        "provider": lambda a: a.provider.name,
        # A fund is found by its name in either language.
        "fund": lambda a: (_english(a.fund, "name") or a.fund.name_cy) if a.fund else "",
        "lead_officer": lambda a: a.lead_officer.username if a.lead_officer else "",
        "status": lambda a: a.get_status_display(),
        "reporting_frequency": lambda a: a.get_reporting_frequency_display(),
    }
    indicator_values = {
        "agreement": lambda i: i.agreement.reference,
        "measure_type": lambda i: i.get_measure_type_display(),
        "target": lambda i: _plain_number(i.target),
        "target_period": lambda i: i.get_target_period_display(),
        "amber_tolerance": lambda i: _plain_number(i.amber_tolerance),
        "direction": lambda i: i.get_direction_display(),
        "upper_bound": lambda i: _plain_number(i.upper_bound),
        "targets_by_year": lambda i: targets_text(i.targets.all()),
        "quarterly_profile": lambda i: profiles_text(i.targets.all()),
    }
    requirement_values = {"agreement": lambda r: r.agreement.reference}
    indicators = [i for a in agreements for i in _with_agreement(a, a.indicators.all())]
    requirements = [r for a in agreements for r in _with_agreement(a, a.requirements.all())]
    return {
        AGREEMENTS: _sheet(council, AGREEMENT_COLUMNS, agreements, agreement_values),
        INDICATORS: _sheet(council, INDICATOR_COLUMNS, indicators, indicator_values),
        REQUIREMENTS: _sheet(council, REQUIREMENT_COLUMNS, requirements, requirement_values),
    }


def _sheet(council, columns, records, values) -> tuple[list[str], Iterable[list]]:
    """A sheet's headings and its rows, a cell for each column: worked out by `values`, else
    the record's own field, from the column the import writes it to."""
    shown = columns_for(council, columns)
    rows = (
        [values[c.field](record) if c.field in values else _english(record, c.field) for c in shown]
        for record in records
    )
    return [str(c.title) for c in shown], rows


def _english(record, field: str):
    """A field as the import reads it back: a text kept in both languages from its English
    column (its Welsh one is `<field>_cy`), whatever language the reader reads in."""
    return getattr(record, written.column(record, field))


def _with_agreement(agreement, parts):
    """An agreement's parts, each knowing its agreement without another query."""
    for part in parts:
        part.agreement = agreement
        yield part
