"""Reading a plan's actions from a spreadsheet and planning what importing it would change.

Columns are matched whatever their case, spacing or "&"/"and": seed 004's headings and the
app's own export both work. A column the file does not have leaves its field alone; an empty
cell in a column it has would blank the field, and the preview says so. Reads only:
`equality_plans.services.import_actions` applies the plan.
"""

from pathlib import Path

from equality_plans.models import Action, ActionPlan, ProgressUpdate, RagStatus, Section
from equality_plans.strands import parse_strand_codes
from equality_plans.timescales import parse_due_date, split_lead_and_timescale
from sla_monitor import imports
from sla_monitor.imports import (
    CREATE,
    UNCHANGED,
    UPDATE,
    Column,
    FieldChange,
    PlannedRow,
    Preview,
    Problem,
)
from sla_monitor.periods import financial_year_of
from sla_monitor.tables import Table, normalise_header

KIND = "plan_actions"
# The file a plan manager starts from: seed 004, Kingston's plan, as the import reads it.
SAMPLE_NAME = "kingston_equality_action_plan_2015_16.csv"
SAMPLE = Path(__file__).resolve().parent / "demo_data" / SAMPLE_NAME
SHEET = "Actions"  # the one sheet of its kept check


NUMBER = Column("number", "No", ("Number", "Action number", "Ref"))
SECTION = Column("section", "Section", ("Directorate", "Theme", "Aim"))
STRANDS = Column("strands", "ES & CC", ("Equality strands", "Strands"))
WORDING = Column("wording", "Action", ("Action wording",))
LINKS = Column(
    "linked_strategies",
    "Link to Statutory Returns, Key Strategies & Plans",
    ("Linked strategies", "Links to strategies and plans"),
)
LEAD_AND_TIMESCALE = Column("lead_and_timescale", "Lead Responsibility & Timescales")
LEAD = Column("lead_responsibility", "Lead Responsibility", ("Lead",))
TIMESCALE = Column("timescale", "Timescale", ("Timescales",))
DUE = Column("due_date", "Due date")
MONITORED = Column("monitored_by", "Monitored By")
PARTNERS = Column("partner_authorities_text", "Partner authorities")
OUTCOME = Column("outcome", "Outcome")
YEAR_END = Column("year_end_report", "Year End Report")
YEAR_END_RAG = Column("year_end_rag", "Year End RAG")
COLUMNS = [
    NUMBER,
    SECTION,
    STRANDS,
    WORDING,
    LINKS,
    LEAD_AND_TIMESCALE,
    LEAD,
    TIMESCALE,
    DUE,
    MONITORED,
    PARTNERS,
    OUTCOME,
    YEAR_END,
    YEAR_END_RAG,
]
# The export's columns that the app works out, and the objective (set in the administration,
# with its number and responsible officer), which an import leaves as they are.
WORKED_OUT = ["Latest RAG", "Latest progress", "Overdue"]
NOT_IMPORTED = ["Objective"]
SAMPLE_COLUMNS = [NUMBER, SECTION, STRANDS, WORDING, LINKS, LEAD_AND_TIMESCALE, MONITORED, YEAR_END]

# The action's own fields an import sets, with how the preview names them.
TEXT_FIELDS = {
    "wording": WORDING.title,
    "linked_strategies": LINKS.title,
    "lead_responsibility": LEAD.title,
    "timescale": TIMESCALE.title,
    "monitored_by": MONITORED.title,
    "partner_authorities_text": PARTNERS.title,
    "outcome": OUTCOME.title,
}
ACTION_FIELDS = [*TEXT_FIELDS, "due_date", "section", "strands"]

_BY_HEADER = imports.by_header(COLUMNS)
KNOWN_HEADERS = set(_BY_HEADER) | {normalise_header(h) for h in WORKED_OUT + NOT_IMPORTED}


def sample_headers() -> list[str]:
    return [c.title for c in SAMPLE_COLUMNS]


def plan_year(plan: ActionPlan) -> int:
    """The financial year a plan's year-end reports belong to: the year it ends in."""
    return financial_year_of(plan.end_date)


def preview(plan: ActionPlan, table: Table) -> Preview:
    """What importing the table into the plan would do, and every problem with its row and
    column. Nothing is written."""
    columns, notes, problems = _match_columns(table.headers)
    if problems:
        return Preview([], problems, notes)
    state = _PlanState(plan)
    planned: list[PlannedRow] = []
    seen: dict[str, int] = {}
    for row, record in table.records():
        cells = imports.cells(record, columns)
        row_problems, values = _read_row(row, cells, columns, seen)
        if "wording" in values and not values["wording"] and values.get("number") in state.actions:
            message = "An action's wording cannot be left empty."
            row_problems.append(Problem(row, columns["wording"], message))
        if values.get("number") and values["number"] not in state.actions:
            for column in (WORDING, SECTION):
                if column.field not in columns:
                    message = f"A new action needs its {column.title.lower()}: add a column."
                    row_problems.append(Problem(row, column.title, message))
                elif not values[column.field]:
                    message = f"A new action needs its {column.title.lower()} in this column."
                    row_problems.append(Problem(row, columns[column.field], message))
        problems += row_problems
        if not row_problems:
            planned.append(state.plan_row(row, values))
    return Preview(planned, problems, notes)


def _match_columns(headers: list[str]) -> tuple[dict[str, str], list[str], list[Problem]]:
    """{field: header as the file writes it}, what to tell about the columns, and problems."""
    columns: dict[str, str] = {}
    worked_out, kept, unknown = [], [], []
    worked_out_keys = {normalise_header(h) for h in WORKED_OUT}
    for header in headers:
        if not header:
            continue
        key = normalise_header(header)
        column = _BY_HEADER.get(key)
        if column is None:
            if key in worked_out_keys:
                worked_out.append(header)
            else:
                (kept if key in KNOWN_HEADERS else unknown).append(header)
        elif column.field in columns:
            return {}, [], [Problem(1, header, f"The file has two “{column.title}” columns.")]
        else:
            columns[column.field] = header
    problems = []
    if "number" not in columns:
        problems.append(
            Problem(
                1,
                NUMBER.title,
                f"The file has no “{NUMBER.title}” column, so its rows cannot be matched to the "
                "plan's actions. The first row must name the columns.",
            )
        )
    if "lead_and_timescale" in columns and ({"lead_responsibility", "timescale"} & set(columns)):
        problems.append(
            Problem(
                1,
                LEAD_AND_TIMESCALE.title,
                f"Give either “{LEAD_AND_TIMESCALE.title}” or “{LEAD.title}” and "
                f"“{TIMESCALE.title}”, not both.",
            )
        )
    notes = []
    if worked_out:
        notes.append(f"Worked out by the app, so not imported: {', '.join(worked_out)}.")
    if kept:
        notes.append(
            f"Set in the administration, so not imported: {', '.join(kept)}; each action keeps "
            "its own."
        )
    if unknown:
        notes.append(f"Not recognised, so not imported: {', '.join(unknown)}.")
    missing = [c.title for c in (SECTION, WORDING, STRANDS, MONITORED) if c.field not in columns]
    if missing:
        notes.append(f"Not in the file, so left as they are: {', '.join(missing)}.")
    return columns, notes, problems


def _read_row(row: int, cells: dict, columns: dict, seen: dict) -> tuple[list[Problem], dict]:
    problems: list[Problem] = []

    def problem(column: Column, message: str) -> None:
        problems.append(Problem(row, columns.get(column.field, column.title), message))

    for name, text in cells.items():
        if "\x00" in text:
            column = next(c for c in COLUMNS if c.field == name)
            problem(column, "The cell holds a character that cannot be stored (a NUL byte).")
    number = cells["number"]
    if not number:
        problem(NUMBER, "Give the action a number.")
    elif number in seen:
        problem(NUMBER, f"Number {number} is also used in row {seen[number]}.")
    else:
        seen[number] = row
    values = dict(cells)
    if "lead_and_timescale" in values:
        values["lead_responsibility"], values["timescale"] = split_lead_and_timescale(
            values.pop("lead_and_timescale")
        )
    if "strands" in values:
        values["strands"], unknown = parse_strand_codes(values["strands"])
        for token in unknown:
            problem(STRANDS, f"“{token}” is not a strand code.")
    if "due_date" in values:
        values["due_date"], message = imports.read_date(values["due_date"])
        if message:
            problem(DUE, message)
    if values.get("year_end_report"):
        rag = values.get("year_end_rag", "").lower()
        if rag not in RagStatus.values:
            problem(
                YEAR_END_RAG,
                "A year-end report needs its RAG status: Red, Amber, Green or Completed.",
            )
        values["year_end_rag"] = rag
    for name, label in [("number", NUMBER), *((f, _column(f)) for f in TEXT_FIELDS)]:
        limit = Action._meta.get_field(name).max_length
        if limit and len(values.get(name) or "") > limit:
            problem(label, f"This is longer than the {limit} characters the field holds.")
    if len(values.get("section") or "") > Section._meta.get_field("title").max_length:
        problem(SECTION, "This is longer than the 250 characters a section's name holds.")
    return problems, values


def _column(field: str) -> Column:
    return next(c for c in COLUMNS if c.field == field)


class _PlanState:
    """The plan as it is now, read once, against which each row is compared."""

    def __init__(self, plan: ActionPlan):
        self.plan = plan
        self.actions = {
            a.number: a for a in plan.actions.select_related("section").prefetch_related("strands")
        }
        self.sections = {}
        for section in plan.sections.all():
            self.sections.setdefault(section.title, section)
            self.sections.setdefault(str(section), section)
        self.year = plan_year(plan)
        self.reports = {
            u.action_id: u
            for u in ProgressUpdate.objects.filter(
                action__plan=plan, is_year_end=True, financial_year=self.year
            )
        }

    def plan_row(self, row: int, values: dict) -> PlannedRow:
        action = self.actions.get(values["number"])
        return self._create(row, values) if action is None else self._update(row, action, values)

    def _create(self, row: int, values: dict) -> PlannedRow:
        if "timescale" in values and "due_date" not in values:
            values["due_date"] = parse_due_date(values["timescale"])
        planned = PlannedRow(row, values["number"], CREATE, values["wording"])
        planned.changes = [
            FieldChange(label, "", text)
            for name, label in NEW_ACTION_FIELDS
            if (text := _shown(name, values.get(name)))
        ]
        if values["section"] not in self.sections:
            planned.notes.append(f"Adds the section “{values['section']}”.")
        self._plan_report(planned, None, values)
        planned.values = values
        return planned

    def _update(self, row: int, action: Action, values: dict) -> PlannedRow:
        changes = []
        for name, label in TEXT_FIELDS.items():
            if name in values and values[name] != action_text(action, name):
                changes.append(FieldChange(label, action_text(action, name), values[name]))
        # A due date read from the timescale changes only with the timescale.
        timescale_changes = "timescale" in values and values["timescale"] != action.timescale
        if timescale_changes and "due_date" not in values:
            values["due_date"] = parse_due_date(values["timescale"])
        if "due_date" in values and values["due_date"] != action.due_date:
            changes.append(
                FieldChange(
                    DUE.title,
                    imports.date_text(action.due_date),
                    imports.date_text(values["due_date"]),
                )
            )
        section = values.get("section")
        if section and self.sections.get(section) != action.section:
            changes.append(FieldChange(SECTION.title, str(action.section), values["section"]))
        if "strands" in values:
            current = [s.code for s in action.strands.all()]
            if sorted(current) != sorted(values["strands"]):
                changes.append(
                    FieldChange(STRANDS.title, ", ".join(current), ", ".join(values["strands"]))
                )
        planned = PlannedRow(row, action.number, UPDATE if changes else UNCHANGED, action.wording)
        planned.changes = changes
        self._plan_report(planned, action, values)
        planned.values = values
        return planned

    def _plan_report(self, planned: PlannedRow, action: Action | None, values: dict) -> None:
        """An imported year-end report is added as its own entry; one written in the app is
        never replaced."""
        report, rag = values.get("year_end_report"), values.get("year_end_rag")
        if not report:
            values.pop("year_end_report", None)
            return
        existing = self.reports.get(action.pk) if action else None
        if existing is None:
            label = RagStatus(rag).label
            planned.changes.append(FieldChange(YEAR_END.title, "", f"{report} ({label})"))
            if planned.change == UNCHANGED:
                planned.change = UPDATE
        elif (existing.narrative, existing.rag_status) != (report, rag):
            who = existing.author.get_full_name() or existing.author.username
            planned.notes.append(
                f"Keeps the year-end report {who} wrote in the app; the file's is not imported."
            )
            values.pop("year_end_report")
        else:
            values.pop("year_end_report")


# What the preview shows of a new action, besides its wording.
NEW_ACTION_FIELDS = [
    ("section", SECTION.title),
    ("strands", STRANDS.title),
    *((name, label) for name, label in TEXT_FIELDS.items() if name != "wording"),
    ("due_date", DUE.title),
]


def _shown(name: str, value) -> str:
    if name == "strands":
        return ", ".join(value or [])
    if name == "due_date":
        return imports.date_text(value)
    return value or ""


def action_text(action: Action, name: str) -> str:
    return (getattr(action, name) or "").replace("\r\n", "\n").strip()
