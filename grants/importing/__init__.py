"""Reading a council's agreements, their indicators and their minimum requirements from a
workbook, one sheet for each, and planning what importing it would change.

Rows are matched on the agreement's reference (and an indicator's code, a requirement's
number). As for plans (`equality_plans.importing`): a column the sheet leaves out is left
alone, an empty cell would blank its field and the preview says so, and every row is checked
against the same rules the models hold. Reads only: `grants.services.imports` applies it, through
the import engine of `sla_monitor.imports`.

`columns` names the sheets and columns, `reading` turns cells into values, `planning` plans the
rows, and `sample` is the workbook a council starts from.
"""

from grants.importing.columns import (
    AGREEMENT_COLUMNS,
    AGREEMENTS,
    INDICATOR_COLUMNS,
    INDICATORS,
    KIND,
    REQUIREMENT_COLUMNS,
    REQUIREMENTS,
    SHEETS,
)
from grants.importing.planning import preview
from grants.importing.reading import Allocations, agreement_errors, current_value, unsaved_copy
from grants.importing.sample import sample_workbook

__all__ = [
    "AGREEMENTS",
    "AGREEMENT_COLUMNS",
    "INDICATORS",
    "INDICATOR_COLUMNS",
    "KIND",
    "REQUIREMENTS",
    "REQUIREMENT_COLUMNS",
    "SHEETS",
    "Allocations",
    "agreement_errors",
    "current_value",
    "preview",
    "sample_workbook",
    "unsaved_copy",
]
