"""The sheets and columns the agreements import reads, and the fields they fill."""

from grants.models import Agreement, Direction, MeasureType, TargetPeriod
from sla_monitor.imports import Column
from sla_monitor.tables import normalise_header

KIND = "agreements"
AGREEMENTS, INDICATORS, REQUIREMENTS = "Agreements", "Indicators", "Requirements"

AGREEMENT_COLUMNS = [
    Column("reference", "Reference", ("Agreement",)),
    Column("title", "Title"),
    Column("provider", "Provider", ("Recipient",)),
    Column("fund", "Fund", ("Grant programme",)),
    Column("lead_officer", "Lead officer"),
    Column("status", "Status"),
    Column("start_date", "Start date"),
    Column("end_date", "End date"),
    Column("total_allocation", "Total allocation", ("Amount", "Amount awarded")),
    Column("award_date", "Award date"),
    Column("department", "Department"),
    Column("purpose", "Purpose", ("What the grant is for",)),
    Column("outcome", "Outcome"),
    # Optional: absent or empty, a new agreement reports quarterly.
    Column("reporting_frequency", "Reporting frequency", ("How often it reports",)),
]
INDICATOR_COLUMNS = [
    Column("agreement", "Agreement", ("Reference",)),
    Column("code", "Code"),
    Column("wording", "Indicator", ("Wording",)),
    Column("measure_type", "Measure"),
    Column("target", "Target"),
    Column("target_period", "Target period"),
    Column("unit", "Unit", ("Counted",)),
    Column("amber_tolerance", "Amber tolerance", ("Amber within",)),
    Column("direction", "Direction"),
    Column("upper_bound", "Upper bound"),
    # Not fields of the indicator: its targets by year (`grants.targets`), "2025/26: 3" and
    # "2025/26: 1, 2, 0, 1".
    Column("targets_by_year", "Targets by year"),
    Column("quarterly_profile", "Quarterly profile", ("Profile",)),
]
TARGET_TEXTS = ("targets_by_year", "quarterly_profile")
REQUIREMENT_COLUMNS = [
    Column("agreement", "Agreement", ("Reference",)),
    Column("number", "Number", ("No",)),
    Column("text", "Requirement"),
]
SHEETS = {
    AGREEMENTS: AGREEMENT_COLUMNS,
    INDICATORS: INDICATOR_COLUMNS,
    REQUIREMENTS: REQUIREMENT_COLUMNS,
}
# Fields an import may not change on an agreement whose payments are already scheduled: the
# schedule follows from them. They are changed in the administration, with the instalments.
SCHEDULED = ("start_date", "end_date", "total_allocation")

# The largest number a requirement's PositiveSmallIntegerField holds in PostgreSQL.
REQUIREMENT_NUMBER_MAX = 32767


def sheet_for(name: str) -> str | None:
    key = normalise_header(name)
    return next((sheet for sheet in SHEETS if normalise_header(sheet) == key), None)


CHOICES = {
    "status": Agreement.Status,
    "reporting_frequency": Agreement.ReportingFrequency,
    "measure_type": MeasureType,
    "target_period": TargetPeriod,
    "direction": Direction,
}
