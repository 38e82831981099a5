"""The agreements import's history, and a council's agreements in the workbook it reads."""

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
from grants.models import Agreement
from grants.targets import profiles_text, targets_text
from sla_monitor import imports


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
    the agreements import reads, so that the file imports back with nothing to change."""
    agreements = list(
        Agreement.objects.filter(funder=council)
        .select_related("provider", "fund", "lead_officer")
        .prefetch_related("indicators__targets", "requirements")
        .order_by("reference")
    )
    agreement_rows = (
        [
            a.reference,
            a.title,
            a.provider.name,
            a.fund.name if a.fund else "",
            a.lead_officer.username if a.lead_officer else "",
            a.get_status_display(),
            a.start_date,
            a.end_date,
            a.total_allocation,
            a.award_date,
            a.department,
            a.purpose,
            a.outcome,
            a.get_reporting_frequency_display(),
        ]
        for a in agreements
    )
    indicator_rows = (
        [
            a.reference,
            i.code,
            i.wording,
            i.get_measure_type_display(),
            _plain_number(i.target),
            i.get_target_period_display(),
            i.unit,
            _plain_number(i.amber_tolerance),
            i.get_direction_display(),
            _plain_number(i.upper_bound),
            targets_text(i.targets.all()),
            profiles_text(i.targets.all()),
        ]
        for a in agreements
        for i in a.indicators.all()
    )
    requirement_rows = (
        [a.reference, r.number, r.text] for a in agreements for r in a.requirements.all()
    )
    return {
        AGREEMENTS: ([str(c.title) for c in AGREEMENT_COLUMNS], agreement_rows),
        INDICATORS: ([str(c.title) for c in INDICATOR_COLUMNS], indicator_rows),
        REQUIREMENTS: ([str(c.title) for c in REQUIREMENT_COLUMNS], requirement_rows),
    }
