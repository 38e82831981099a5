"""Reading a plan's actions from a spreadsheet and planning what importing it would change.

Columns are matched whatever their case, spacing or "&"/"and": seed 004's headings and the
app's own export both work. A column the file does not have leaves its field alone; an empty
cell in a column it has would blank the field, and the preview says so. Reads only:
`equality_plans.services.import_actions` applies the plan.
"""

from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from equality_plans.models import Action, ActionPlan, ProgressUpdate, RagStatus, Section
from equality_plans.strands import parse_strand_codes
from equality_plans.timescales import parse_due_date, split_lead_and_timescale
from sla_monitor import imports, written
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


NUMBER = Column(
    "number", pgettext_lazy("number of an action", "No"), ("Number", "Action number", "Ref")
)
SECTION = Column("section", _("Section"), ("Directorate", "Theme", "Aim"))
# What the council writes in Welsh, beside the English of its own column. A section is found by
# its name in either language; its Welsh name names a section the file adds.
SECTION_CY = Column("section_cy", _("Section (Welsh)"))
STRANDS = Column("strands", _("ES & CC"), ("Equality strands", "Strands"))
WORDING = Column("wording", _("Action"), ("Action wording",))
WORDING_CY = Column("wording_cy", _("Action (Welsh)"))
LINKS = Column(
    "linked_strategies",
    _("Link to Statutory Returns, Key Strategies & Plans"),
    ("Linked strategies", "Links to strategies and plans"),
)
LEAD_AND_TIMESCALE = Column("lead_and_timescale", _("Lead Responsibility & Timescales"))
LEAD = Column("lead_responsibility", _("Lead Responsibility"), ("Lead",))
TIMESCALE = Column("timescale", _("Timescale"), ("Timescales",))
DUE = Column("due_date", _("Due date"))
MONITORED = Column("monitored_by", _("Monitored By"))
PARTNERS = Column("partner_authorities_text", _("Partner authorities"))
OUTCOME = Column("outcome", _("Outcome"))
OUTCOME_CY = Column("outcome_cy", _("Outcome (Welsh)"))
YEAR_END = Column("year_end_report", _("Year End Report"))
YEAR_END_RAG = Column("year_end_rag", _("Year End RAG"))
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
    SECTION_CY,
    WORDING_CY,
    OUTCOME_CY,
]
# The export's columns that the app works out, and the objective (set in the administration,
# with its number and responsible officer), which an import leaves as they are.
WORKED_OUT = [_("Latest RAG"), _("Latest progress"), _("Overdue")]
NOT_IMPORTED = [_("Objective")]
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
    "wording_cy": WORDING_CY.title,
    "outcome_cy": OUTCOME_CY.title,
}
ACTION_FIELDS = [*TEXT_FIELDS, "due_date", "section", "strands"]


@cache
def _headers() -> tuple[dict[str, Column], set[str], set[str]]:
    """Every heading the reader knows, in each language the app speaks, whatever language the
    person importing uses: a file exported in Welsh imports for someone reading in English.
    Returns the columns by heading, the headings of worked-out columns, and every heading."""
    by_header: dict[str, Column] = {}
    worked_out: set[str] = set()
    known: set[str] = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for key, column in imports.by_header(COLUMNS).items():
                by_header.setdefault(key, column)
            worked_out |= {normalise_header(str(h)) for h in WORKED_OUT}
            known |= {normalise_header(str(h)) for h in WORKED_OUT + NOT_IMPORTED}
    return by_header, worked_out, known | set(by_header)


def known_headers() -> set[str]:
    """Every heading the reader knows, in either language, as `normalise_header` writes it."""
    return _headers()[2]


def sample_headers() -> list[str]:
    return [str(c.title) for c in SAMPLE_COLUMNS]


def sections_by_name(sections) -> dict:
    """A plan's sections by each name a file may give one: its name in English, in Welsh, and as
    it is listed with its number."""
    by_name = {}
    for section in sections:
        for name in (section.title_en_gb, section.title_cy, str(section)):
            if name:
                by_name.setdefault(name, section)
    return by_name


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
            message = gettext("An action's wording cannot be left empty.")
            row_problems.append(Problem(row, columns["wording"], message))
        if values.get("number") and values["number"] not in state.actions:
            for column in (WORDING, SECTION):
                if column.field not in columns:
                    message = _NEW_ACTION_NEEDS_COLUMN[column.field]()
                    row_problems.append(Problem(row, str(column.title), message))
                elif not values[column.field]:
                    message = _NEW_ACTION_NEEDS_CELL[column.field]()
                    row_problems.append(Problem(row, columns[column.field], message))
        if not row_problems:
            row_problems += state.section_problems(row, values, columns)
        problems += row_problems
        if not row_problems:
            planned.append(state.plan_row(row, values))
    return Preview(planned, problems, notes)


# What a new action lacks, one whole sentence for each column it cannot do without.
_NEW_ACTION_NEEDS_COLUMN = {
    "wording": lambda: gettext("A new action needs its action: add a column."),
    "section": lambda: gettext("A new action needs its section: add a column."),
}
_NEW_ACTION_NEEDS_CELL = {
    "wording": lambda: gettext("A new action needs its action in this column."),
    "section": lambda: gettext("A new action needs its section in this column."),
}


def _match_columns(headers: list[str]) -> tuple[dict[str, str], list[str], list[Problem]]:
    """{field: header as the file writes it}, what to tell about the columns, and problems."""
    columns: dict[str, str] = {}
    worked_out, kept, unknown = [], [], []
    by_header, worked_out_keys, known_headers = _headers()
    for header in headers:
        if not header:
            continue
        key = normalise_header(header)
        column = by_header.get(key)
        if column is None:
            if key in worked_out_keys:
                worked_out.append(header)
            else:
                (kept if key in known_headers else unknown).append(header)
        elif column.field in columns:
            message = gettext("The file has two “%(column)s” columns.") % {"column": column.title}
            return {}, [], [Problem(1, header, message)]
        else:
            columns[column.field] = header
    problems = []
    if "number" not in columns:
        problems.append(
            Problem(
                1,
                str(NUMBER.title),
                gettext(
                    "The file has no “%(column)s” column, so its rows cannot be matched to the "
                    "plan's actions. The first row must name the columns."
                )
                % {"column": NUMBER.title},
            )
        )
    if "lead_and_timescale" in columns and ({"lead_responsibility", "timescale"} & set(columns)):
        problems.append(
            Problem(
                1,
                str(LEAD_AND_TIMESCALE.title),
                gettext("Give either “%(both)s” or “%(lead)s” and “%(timescale)s”, not both.")
                % {
                    "both": LEAD_AND_TIMESCALE.title,
                    "lead": LEAD.title,
                    "timescale": TIMESCALE.title,
                },
            )
        )
    notes = []
    if worked_out:
        notes.append(
            gettext("Worked out by the app, so not imported: %(columns)s.")
            % {"columns": ", ".join(worked_out)}
        )
    if kept:
        notes.append(
            gettext(
                "Set in the administration, so not imported: %(columns)s; each action keeps "
                "its own."
            )
            % {"columns": ", ".join(kept)}
        )
    if unknown:
        notes.append(
            gettext("Not recognised, so not imported: %(columns)s.")
            % {"columns": ", ".join(unknown)}
        )
    missing = [
        str(c.title) for c in (SECTION, WORDING, STRANDS, MONITORED) if c.field not in columns
    ]
    if missing:
        notes.append(
            gettext("Not in the file, so left as they are: %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
    return columns, notes, problems


def _read_row(row: int, cells: dict, columns: dict, seen: dict) -> tuple[list[Problem], dict]:
    problems: list[Problem] = []

    def problem(column: Column, message: str) -> None:
        problems.append(Problem(row, columns.get(column.field, str(column.title)), message))

    for name, text in cells.items():
        if "\x00" in text:
            column = next(c for c in COLUMNS if c.field == name)
            problem(
                column, gettext("The cell holds a character that cannot be stored (a NUL byte).")
            )
    number = cells["number"]
    if not number:
        problem(NUMBER, gettext("Give the action a number."))
    elif number in seen:
        problem(
            NUMBER,
            gettext("Number %(number)s is also used in row %(row)s.")
            % {"number": number, "row": seen[number]},
        )
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
            problem(STRANDS, gettext("“%(code)s” is not a strand code.") % {"code": token})
    if "due_date" in values:
        values["due_date"], message = imports.read_date(values["due_date"])
        if message:
            problem(DUE, message)
    if values.get("year_end_report"):
        # In English or in Welsh, as the file was written.
        rag, _message = imports.read_choice(values.get("year_end_rag", ""), RagStatus.choices)
        if rag is None:
            problem(
                YEAR_END_RAG,
                gettext("A year-end report needs its RAG status: Red, Amber, Green or Completed."),
            )
        values["year_end_rag"] = rag
    for name, label in [("number", NUMBER), *((f, _column(f)) for f in TEXT_FIELDS)]:
        limit = Action._meta.get_field(name).max_length
        if limit and len(values.get(name) or "") > limit:
            problem(
                label,
                gettext("This is longer than the %(limit)s characters the field holds.")
                % {"limit": limit},
            )
    section_limit = Section._meta.get_field("title").max_length
    for column in (SECTION, SECTION_CY):
        if len(values.get(column.field) or "") > section_limit:
            problem(
                column,
                gettext("This is longer than the %(limit)s characters a section's name holds.")
                % {"limit": section_limit},
            )
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
        self.sections = sections_by_name(plan.sections.all())
        # The sections the file adds, by their name in English and in Welsh.
        self.new_sections: dict[str, tuple[str, int]] = {}  # English -> (Welsh, first row)
        self.new_welsh: dict[str, str] = {}  # Welsh -> English
        self.year = plan_year(plan)
        self.reports = {
            u.action_id: u
            for u in ProgressUpdate.objects.filter(
                action__plan=plan, is_year_end=True, financial_year=self.year
            )
        }

    def section_problems(self, row: int, values: dict, columns: dict) -> list[Problem]:
        """A section the file adds is named in Welsh as no other section is, and the same way
        in every row that names it."""
        section, welsh = values.get("section"), values.get("section_cy")
        if not section or not welsh or section in self.sections:
            return []
        column = columns["section_cy"]
        if welsh in self.sections or self.new_welsh.get(welsh, section) != section:
            message = gettext("Another section is already called “%(welsh)s”.") % {"welsh": welsh}
            return [Problem(row, column, message)]
        named = self.new_sections.setdefault(section, (welsh, row))
        if named[0] != welsh:
            message = gettext("Row %(row)s names this section “%(welsh)s” in Welsh.") % {
                "row": named[1],
                "welsh": named[0],
            }
            return [Problem(row, column, message)]
        self.new_welsh[welsh] = section
        return []

    def plan_row(self, row: int, values: dict) -> PlannedRow:
        action = self.actions.get(values["number"])
        return self._create(row, values) if action is None else self._update(row, action, values)

    def _create(self, row: int, values: dict) -> PlannedRow:
        if "timescale" in values and "due_date" not in values:
            values["due_date"] = parse_due_date(values["timescale"])
        planned = PlannedRow(row, values["number"], CREATE, values["wording"])
        planned.changes = [
            FieldChange(str(label), "", text)
            for name, label in NEW_ACTION_FIELDS
            if (text := _shown(name, values.get(name)))
        ]
        if values["section"] not in self.sections:
            if values.get("section_cy"):
                planned.notes.append(
                    gettext("Adds the section “%(section)s”, in Welsh “%(welsh)s”.")
                    % {"section": values["section"], "welsh": values["section_cy"]}
                )
            else:
                planned.notes.append(
                    gettext("Adds the section “%(section)s”.") % {"section": values["section"]}
                )
        else:
            self._note_welsh_name(planned, values)
        self._plan_report(planned, None, values)
        planned.values = values
        return planned

    def _update(self, row: int, action: Action, values: dict) -> PlannedRow:
        changes = []
        for name, label in TEXT_FIELDS.items():
            if name in values and values[name] != action_text(action, name):
                changes.append(FieldChange(str(label), action_text(action, name), values[name]))
        # A due date read from the timescale changes only with the timescale.
        timescale_changes = "timescale" in values and values["timescale"] != action.timescale
        if timescale_changes and "due_date" not in values:
            values["due_date"] = parse_due_date(values["timescale"])
        if "due_date" in values and values["due_date"] != action.due_date:
            changes.append(
                FieldChange(
                    str(DUE.title),
                    imports.date_text(action.due_date),
                    imports.date_text(values["due_date"]),
                )
            )
        section = values.get("section")
        if section and self.sections.get(section) != action.section:
            changes.append(FieldChange(str(SECTION.title), str(action.section), values["section"]))
        if "strands" in values:
            current = [s.code for s in action.strands.all()]
            if sorted(current) != sorted(values["strands"]):
                changes.append(
                    FieldChange(
                        str(STRANDS.title), ", ".join(current), ", ".join(values["strands"])
                    )
                )
        planned = PlannedRow(row, action.number, UPDATE if changes else UNCHANGED, action.wording)
        planned.changes = changes
        self._note_welsh_name(planned, values)
        self._plan_report(planned, action, values)
        planned.values = values
        return planned

    def _note_welsh_name(self, planned: PlannedRow, values: dict) -> None:
        """A section the plan has keeps its Welsh name: the file's, where it differs, is said to
        be changed in the administration, not imported."""
        section = self.sections.get(values.get("section") or "")
        welsh = values.get("section_cy")
        if section is not None and welsh and welsh != (section.title_cy or ""):
            planned.notes.append(
                gettext(
                    "The section “%(section)s” keeps its Welsh name; the file's “%(welsh)s” is "
                    "not imported: change a section's names in the administration."
                )
                % {"section": values["section"], "welsh": welsh}
            )

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
            planned.changes.append(FieldChange(str(YEAR_END.title), "", f"{report} ({label})"))
            if planned.change == UNCHANGED:
                planned.change = UPDATE
        elif (existing.narrative, existing.rag_status) != (report, rag):
            who = existing.author.get_full_name() or existing.author.username
            planned.notes.append(
                gettext(
                    "Keeps the year-end report %(person)s wrote in the app; the file's is not "
                    "imported."
                )
                % {"person": who}
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
    """An action's text as the file's column holds it: a text kept in both languages from its
    English column (`wording`) or its Welsh one (`wording_cy`), whatever the reader's language."""
    text = getattr(action, written.column(action, name)) or ""
    return text.replace("\r\n", "\n").strip()
