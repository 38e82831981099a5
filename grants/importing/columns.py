"""The sheets and columns the agreements import reads, and the fields they fill."""

from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from grants.models import Agreement, Direction, MeasureType, TargetPeriod
from sla_monitor.imports import Column
from sla_monitor.tables import normalise_header


def _column(field: str, title: str, aliases: tuple[str, ...] = ()) -> Column:
    """A column as the sample and the export title it, in the page's language, and read under its
    title in English or in Welsh whatever the page's language, so that a file made in either
    imports in either, as well as under its other names."""
    return Column(field, gettext_lazy(title), (title, in_welsh(title), *aliases))


def _in_welsh(text: str) -> str:
    with translation.override("cy"):
        return gettext(text)


in_welsh = lazy(_in_welsh, str)

KIND = "agreements"
AGREEMENTS, INDICATORS, REQUIREMENTS = "Agreements", "Indicators", "Requirements"

AGREEMENT_COLUMNS = [
    _column("reference", gettext_noop("Reference"), ("Agreement",)),
    _column("title", gettext_noop("Title")),
    _column("provider", gettext_noop("Provider"), ("Recipient",)),
    _column("fund", gettext_noop("Fund"), ("Grant programme",)),
    _column("lead_officer", gettext_noop("Lead officer")),
    _column("status", gettext_noop("Status")),
    _column("start_date", gettext_noop("Start date")),
    _column("end_date", gettext_noop("End date")),
    _column("total_allocation", gettext_noop("Total allocation"), ("Amount", "Amount awarded")),
    _column("award_date", gettext_noop("Award date")),
    _column("department", gettext_noop("Department")),
    _column("purpose", gettext_noop("Purpose"), ("What the grant is for",)),
    _column("outcome", gettext_noop("Outcome")),
    # Optional: absent or empty, a new agreement reports quarterly.
    _column("reporting_frequency", gettext_noop("Reporting frequency"), ("How often it reports",)),
    # What the council writes in Welsh, beside the English of the columns above.
    _column("title_cy", gettext_noop("Title (Welsh)")),
    _column("purpose_cy", gettext_noop("Purpose (Welsh)")),
    _column("outcome_cy", gettext_noop("Outcome (Welsh)")),
]
INDICATOR_COLUMNS = [
    _column("agreement", gettext_noop("Agreement"), ("Reference",)),
    _column("code", gettext_noop("Code")),
    _column("wording", gettext_noop("Indicator"), ("Wording",)),
    _column("measure_type", gettext_noop("Measure")),
    _column("target", gettext_noop("Target")),
    _column("target_period", gettext_noop("Target period")),
    _column("unit", gettext_noop("Unit"), ("Counted",)),
    _column("amber_tolerance", gettext_noop("Amber tolerance"), ("Amber within",)),
    _column("direction", gettext_noop("Direction")),
    _column("upper_bound", gettext_noop("Upper bound")),
    # Not fields of the indicator: its targets by year (`grants.targets`), "2025/26: 3" and
    # "2025/26: 1, 2, 0, 1".
    _column("targets_by_year", gettext_noop("Targets by year")),
    _column("quarterly_profile", gettext_noop("Quarterly profile"), ("Profile",)),
    _column("wording_cy", gettext_noop("Indicator (Welsh)"), ("Wording (Welsh)",)),
]
TARGET_TEXTS = ("targets_by_year", "quarterly_profile")
REQUIREMENT_COLUMNS = [
    _column("agreement", gettext_noop("Agreement"), ("Reference",)),
    _column("number", gettext_noop("Number"), ("No",)),
    _column("text", gettext_noop("Requirement")),
    _column("text_cy", gettext_noop("Requirement (Welsh)")),
]
# The columns of what a council writes in Welsh: in the sample and the guidance only where the
# council offers Welsh, and read from any council's workbook.
WELSH_FIELDS = {"title_cy", "purpose_cy", "outcome_cy", "wording_cy", "text_cy"}


def columns_for(council, columns: list[Column]) -> list[Column]:
    """A sheet's columns as the sample and the export give them to the council: the Welsh ones
    where it offers Welsh."""
    return [c for c in columns if council.welsh_offer or c.field not in WELSH_FIELDS]


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
