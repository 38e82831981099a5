"""The agreements import's sample workbook, made from seed 000's agreement: what a council
fills in to import its agreements."""

import datetime as dt
import io

from openpyxl import Workbook

from grants.importing.columns import (
    AGREEMENT_COLUMNS,
    INDICATOR_COLUMNS,
    REQUIREMENT_COLUMNS,
    columns_for,
)
from grants.models import AgreementStatus, Direction, ReportingFrequency
from grants.seeds import INDICATORS, KETTERING_FUND, MINIMUM_REQUIREMENTS, UNITS
from sla_monitor import demo as core_demo

# Indicator b (3 events a year) targets 4 in the agreement's second year, 2031/32, profiled by
# quarter; the others keep their target every year, higher being better.
SAMPLE_TARGETS = {"b": (Direction.HIGHER, "", "2031/32: 4", "2031/32: 1, 2, 0, 1")}


def sample_workbook(council) -> bytes:
    """The agreements import's sample: seed 000's agreement, its indicators and requirements, in
    the columns the import reads (with the Welsh ones, left for the council to fill, where it
    offers Welsh)."""
    workbook = Workbook()
    agreements = workbook.active
    agreements.title = "Agreements"
    _sheet(
        council,
        agreements,
        AGREEMENT_COLUMNS,
        [
            {
                "reference": "KBC-CCE-02",
                "title": "Community Cohesion and Equalities Service Specification",
                "provider": core_demo.PROVIDER_ONE,
                "fund": KETTERING_FUND["name"],
                "lead_officer": "officer",
                "status": str(AgreementStatus.DRAFT.label),
                "start_date": dt.date(2030, 4, 1),
                "end_date": dt.date(2034, 3, 31),
                "total_allocation": 30000,
                "award_date": dt.date(2030, 3, 1),
                "department": "Community Development",
                "purpose": "A community cohesion and equalities service for Kettering.",
                "outcome": (
                    "Residents of Kettering Borough live in communities which get along with "
                    "each other."
                ),
                "reporting_frequency": str(ReportingFrequency.QUARTERLY.label),
            }
        ],
    )
    indicators = []
    for code, wording, measure, target, per, tolerance in INDICATORS:
        direction, upper, by_year, profile = SAMPLE_TARGETS.get(
            code, (Direction.HIGHER, "", "", "")
        )
        indicators.append(
            {
                "agreement": "KBC-CCE-02",
                "code": code,
                "wording": wording,
                "measure_type": str(measure.label),
                "target": target and int(target),
                "target_period": str(per.label),
                "unit": UNITS.get(code, ""),
                "amber_tolerance": int(tolerance),
                "direction": str(direction.label),
                "upper_bound": upper,
                "targets_by_year": by_year,
                "quarterly_profile": profile,
            }
        )
    _sheet(council, workbook.create_sheet("Indicators"), INDICATOR_COLUMNS, indicators)
    requirements = [
        {"agreement": "KBC-CCE-02", "number": number, "text": text}
        for number, text in enumerate(MINIMUM_REQUIREMENTS, start=1)
    ]
    _sheet(council, workbook.create_sheet("Requirements"), REQUIREMENT_COLUMNS, requirements)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet(council, sheet, columns, rows: list[dict]) -> None:
    shown = columns_for(council, columns)
    sheet.append([str(c.title) for c in shown])
    for row in rows:
        sheet.append([row.get(c.field, "") for c in shown])
