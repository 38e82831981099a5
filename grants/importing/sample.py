"""The agreements import's sample workbook, made from seed 000's agreement: what a council
fills in to import its agreements."""

import datetime as dt
import io

from openpyxl import Workbook

from grants.importing.columns import AGREEMENT_COLUMNS, INDICATOR_COLUMNS, REQUIREMENT_COLUMNS
from grants.models import AgreementStatus, Direction, ReportingFrequency
from grants.seeds import INDICATORS, KETTERING_FUND, MINIMUM_REQUIREMENTS, UNITS
from sla_monitor import demo as core_demo

# Indicator b (3 events a year) targets 4 in the agreement's second year, 2031/32, profiled by
# quarter; the others keep their target every year, higher being better.
SAMPLE_TARGETS = {"b": (Direction.HIGHER, "", "2031/32: 4", "2031/32: 1, 2, 0, 1")}


def sample_workbook() -> bytes:
    """The agreements import's sample: seed 000's agreement, its indicators and requirements, in
    the columns the import reads."""
    workbook = Workbook()
    agreements = workbook.active
    agreements.title = "Agreements"
    agreements.append([str(c.title) for c in AGREEMENT_COLUMNS])
    agreements.append(
        [
            "KBC-CCE-02",
            "Community Cohesion and Equalities Service Specification",
            core_demo.PROVIDER_ONE,
            KETTERING_FUND["name"],
            "officer",
            str(AgreementStatus.DRAFT.label),
            dt.date(2030, 4, 1),
            dt.date(2034, 3, 31),
            30000,
            dt.date(2030, 3, 1),
            "Community Development",
            "A community cohesion and equalities service for Kettering.",
            "Residents of Kettering Borough live in communities which get along with each other.",
            str(ReportingFrequency.QUARTERLY.label),
        ]
    )
    indicators = workbook.create_sheet("Indicators")
    indicators.append([str(c.title) for c in INDICATOR_COLUMNS])
    for code, wording, measure, target, per, tolerance in INDICATORS:
        direction, upper, by_year, profile = SAMPLE_TARGETS.get(
            code, (Direction.HIGHER, "", "", "")
        )
        indicators.append(
            [
                "KBC-CCE-02",
                code,
                wording,
                str(measure.label),
                target and int(target),
                str(per.label),
                UNITS.get(code, ""),
                int(tolerance),
                str(direction.label),
                upper,
                by_year,
                profile,
            ]
        )
    requirements = workbook.create_sheet("Requirements")
    requirements.append([str(c.title) for c in REQUIREMENT_COLUMNS])
    for number, text in enumerate(MINIMUM_REQUIREMENTS, start=1):
        requirements.append(["KBC-CCE-02", number, text])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
