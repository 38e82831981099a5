"""Reading a plan's actions from a spreadsheet in seed 004's columns, and what importing it
would change. Reads only: equality_plans.services.import_actions applies it."""

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from equality_plans.models import ActionPlan, ProgressUpdate, RagStatus
from equality_plans.strands import parse_strand_codes
from equality_plans.timescales import parse_due_date, split_lead_and_timescale
from sla_monitor.periods import financial_year_of

SECTION, NUMBER, STRANDS, ACTION = "Section", "No", "ES & CC", "Action"
LINKS = "Link to Statutory Returns, Key Strategies & Plans"
LEAD = "Lead Responsibility & Timescales"
MONITORED = "Monitored By"
YEAR_END = "Year End Report"
YEAR_END_RAG = "Year End RAG"
COLUMNS = [SECTION, NUMBER, STRANDS, ACTION, LINKS, LEAD, MONITORED, YEAR_END]
REQUIRED_COLUMNS = [SECTION, NUMBER, ACTION]
MAX_ROWS = 5000


@dataclass(frozen=True)
class Problem:
    row: int  # as a spreadsheet numbers it: the header is row 1
    column: str
    message: str


@dataclass
class PlannedRow:
    row: int
    number: str
    change: str  # "create", "update" or "unchanged"
    values: dict
    changed: list[str] = field(default_factory=list)


@dataclass
class Preview:
    rows: list[PlannedRow]
    problems: list[Problem]

    def count(self, change: str) -> int:
        return sum(1 for r in self.rows if r.change == change)

    @property
    def creates(self) -> int:
        return self.count("create")

    @property
    def updates(self) -> int:
        return self.count("update")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")


def read_table(name: str, content: bytes) -> list[dict[str, str]]:
    """The rows of a CSV or XLSX file as {column: text}; unreadable files are refused."""
    lower = name.lower()
    if lower.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = content.decode("cp1252", errors="strict")
        rows = list(csv.reader(io.StringIO(text)))
    elif lower.endswith(".xlsx"):
        rows = _xlsx_rows(content)
    else:
        raise ValidationError("Choose a CSV or Excel (.xlsx) file.")
    if not rows:
        raise ValidationError("The file is empty.")
    headers = [h.strip() for h in rows[0]]
    missing = [c for c in REQUIRED_COLUMNS if c not in headers]
    if missing:
        raise ValidationError(
            f"The file has no {', '.join(missing)} column. The first row must name the "
            f"columns: {', '.join(COLUMNS)}."
        )
    if len(rows) - 1 > MAX_ROWS:
        raise ValidationError(f"The file has more than {MAX_ROWS} rows.")
    return [
        {h: (cells[i] if i < len(cells) else "").strip() for i, h in enumerate(headers) if h}
        for cells in rows[1:]
        if any(str(c).strip() for c in cells)
    ]


def _xlsx_rows(content: bytes) -> list[list[str]]:
    try:
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValidationError("The file is not an Excel workbook that can be read.") from error
    return [
        ["" if v is None else _text(v) for v in row] for row in sheet.iter_rows(values_only=True)
    ]


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%B %Y")
    return str(value)


def preview(plan: ActionPlan, rows: list[dict[str, str]]) -> Preview:
    """What importing the rows into the plan would do, and every problem with its row and column."""
    problems: list[Problem] = []
    planned: list[PlannedRow] = []
    existing = {
        a.number: a for a in plan.actions.select_related("section").prefetch_related("strands")
    }
    year_end_reports = {
        u.action_id: u
        for u in ProgressUpdate.objects.filter(
            action__plan=plan, is_year_end=True, financial_year=plan_year(plan)
        )
    }
    seen: dict[str, int] = {}
    for index, raw in enumerate(rows, start=2):
        number = raw.get(NUMBER, "")
        row_problems = []
        if not number:
            row_problems.append(Problem(index, NUMBER, "Give the action a number."))
        elif number in seen:
            row_problems.append(
                Problem(index, NUMBER, f"Number {number} is also used in row {seen[number]}.")
            )
        else:
            seen[number] = index
        if not raw.get(ACTION, ""):
            row_problems.append(Problem(index, ACTION, "The action is empty."))
        if not raw.get(SECTION, ""):
            row_problems.append(Problem(index, SECTION, "Name the section the action is in."))
        codes, unknown = parse_strand_codes(raw.get(STRANDS, ""))
        for token in unknown:
            row_problems.append(Problem(index, STRANDS, f"“{token}” is not a strand code."))
        report = raw.get(YEAR_END, "")
        report_rag = raw.get(YEAR_END_RAG, "").lower()
        if report and report_rag not in RagStatus.values:
            row_problems.append(
                Problem(
                    index,
                    YEAR_END_RAG,
                    "A year-end report needs its RAG status: Red, Amber, Green or Completed.",
                )
            )
        problems += row_problems
        if row_problems:
            continue
        lead, timescale = split_lead_and_timescale(raw.get(LEAD, ""))
        due = parse_due_date(timescale)
        values = {
            "section": raw[SECTION],
            "number": number,
            "strands": codes,
            "wording": raw[ACTION],
            "linked_strategies": raw.get(LINKS, ""),
            "lead_responsibility": lead,
            "timescale": timescale,
            "due_date": due.isoformat() if due else None,
            "monitored_by": raw.get(MONITORED, ""),
            "year_end_report": report,
            "year_end_rag": report_rag if report else "",
        }
        action = existing.get(number)
        if action is None:
            planned.append(PlannedRow(index, number, "create", values))
            continue
        changed = _changed_fields(action, values, year_end_reports.get(action.pk))
        planned.append(
            PlannedRow(index, number, "update" if changed else "unchanged", values, changed)
        )
    return Preview(planned, problems)


def plan_year(plan: ActionPlan) -> int:
    """The financial year a plan's year-end reports belong to: the year it ends in."""
    return financial_year_of(plan.end_date)


FIELD_LABELS = {
    "section": SECTION,
    "strands": STRANDS,
    "wording": ACTION,
    "linked_strategies": LINKS,
    "lead_responsibility": LEAD,
    "timescale": LEAD,
    "monitored_by": MONITORED,
    "year_end_report": YEAR_END,
}


def _changed_fields(action, values: dict, report) -> list[str]:
    current = {
        "section": action.section.title,
        "strands": sorted(s.code for s in action.strands.all()),
        "wording": action.wording,
        "linked_strategies": action.linked_strategies,
        "lead_responsibility": action.lead_responsibility,
        "timescale": action.timescale,
        "monitored_by": action.monitored_by,
        "year_end_report": report.narrative if report else "",
    }
    new = {**values, "strands": sorted(values["strands"])}
    changed = []
    for name, label in FIELD_LABELS.items():
        if current[name] != new[name] and label not in changed:
            changed.append(label)
    if report and values["year_end_rag"] and report.rag_status != values["year_end_rag"]:
        changed.append(YEAR_END_RAG)
    return changed
