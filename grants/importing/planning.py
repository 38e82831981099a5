"""Planning what importing a workbook would change for a council's agreements: every row
matched, read and checked against the models' rules, nothing written."""

import datetime as dt
import re

from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import Exists, OuterRef
from django.utils.formats import number_format
from django.utils.translation import gettext

from grants.importing.columns import (
    AGREEMENT_COLUMNS,
    AGREEMENTS,
    CHOICES,
    INDICATOR_COLUMNS,
    INDICATORS,
    REQUIREMENT_COLUMNS,
    REQUIREMENT_NUMBER_MAX,
    REQUIREMENTS,
    SCHEDULED,
    SHEETS,
    TARGET_TEXTS,
    sheet_for,
)
from grants.importing.reading import (
    Allocations,
    Reader,
    agreement_errors,
    current_value,
    read_decimal,
    unsaved_copy,
)
from grants.models import (
    Agreement,
    Direction,
    MeasureType,
    PaymentInstalment,
    PerformanceIndicator,
    QuarterlyReturn,
    TargetPeriod,
)
from grants.targets import profiles_text, targets_text, year_targets
from sla_monitor import imports, validation, written
from sla_monitor.imports import (
    CREATE,
    UNCHANGED,
    UPDATE,
    FieldChange,
    PlannedRow,
    Preview,
    Problem,
    read_choice,
)
from sla_monitor.models import Organisation
from sla_monitor.tables import Table, normalise_header

TITLES = {c.field: c.title for c in AGREEMENT_COLUMNS}


def preview(council: Organisation, book: dict[str, Table]) -> Preview:
    """What importing the workbook would do for the council's agreements, and every problem
    with its sheet, row and column. Nothing is written."""
    problems: list[Problem] = []
    notes: list[str] = []
    sheets = {}
    for name, table in book.items():
        kind = sheet_for(name)
        if kind is None:
            notes.append(
                gettext("The sheet “%(name)s” is not one of %(sheets)s, so not imported.")
                % {"name": name, "sheets": ", ".join(SHEETS)}
            )
        elif table.rows:
            sheets[kind] = table
    if not sheets:
        problems.append(
            Problem(
                1,
                "",
                gettext("The workbook has no rows in a sheet called %(sheets)s.")
                % {"sheets": ", ".join(SHEETS)},
            )
        )
        return Preview([], problems, notes)
    planner = _Planner(council, problems, notes)
    for kind in SHEETS:
        if kind in sheets:
            planner.sheet(kind, sheets[kind])
    return Preview(planner.rows, problems, notes)


class _Planner:
    def __init__(self, council, problems, notes):
        self.council, self.problems, self.notes = council, problems, notes
        self.read = Reader(council)
        self.rows: list[PlannedRow] = []
        # Everything a row is matched against, read once.
        agreements = (
            Agreement.objects.filter(funder=council)
            .select_related("provider", "fund", "lead_officer__organisation")
            .prefetch_related("indicators__targets", "requirements")
            .annotate(
                scheduled=Exists(PaymentInstalment.objects.filter(agreement=OuterRef("pk"))),
                reported=Exists(QuarterlyReturn.objects.filter(agreement=OuterRef("pk"))),
            )
        )
        self.agreements = {a.reference: a for a in agreements}
        self.indicators = {
            (a.reference, i.code): i for a in self.agreements.values() for i in a.indicators.all()
        }
        self.requirements = {
            (a.reference, r.number): r
            for a in self.agreements.values()
            for r in a.requirements.all()
        }
        self.allocations = Allocations(council)
        self.taken = set(
            Agreement.objects.exclude(funder=council).values_list("reference", flat=True)
        )
        self.new_references: set[str] = set()
        self.failed_references: set[str] = set()  # agreements of the file with errors
        self.told: set[tuple[str, str]] = set()  # (sheet, reference) said to wait for them
        self.planners = {
            AGREEMENTS: self._agreement,
            INDICATORS: self._indicator,
            REQUIREMENTS: self._requirement,
        }
        total_allocation = Agreement._meta.get_field("total_allocation")
        self.readers = {
            "provider": self.read.provider,
            "fund": self.read.fund,
            "lead_officer": self.read.lead_officer,
            "status": lambda t: read_choice(t, Agreement.Status.choices),
            "reporting_frequency": lambda t: read_choice(t, Agreement.ReportingFrequency.choices),
            "start_date": imports.read_date,
            "end_date": imports.read_date,
            "award_date": imports.read_date,
            "total_allocation": lambda t: read_decimal(t, total_allocation, required=True),
        }

    def _problem(self, sheet: str, row: int, column: str, message: str) -> None:
        self.problems.append(Problem(row, f"{sheet}: {column}", message))

    def sheet(self, kind: str, table: Table) -> None:
        lookup = imports.by_header(SHEETS[kind])
        columns = {}
        for header in table.headers:
            column = lookup.get(normalise_header(header))
            if column and column.field in columns:
                message = gettext("The sheet has two “%(column)s” columns.") % {
                    "column": column.title
                }
                self._problem(kind, 1, header, message)
                return
            if column:
                columns[column.field] = header
            elif header:
                self.notes.append(
                    gettext("%(sheet)s: “%(header)s” is not recognised, so not imported.")
                    % {"sheet": kind, "header": header}
                )
        key = SHEETS[kind][0]
        if key.field not in columns:
            message = gettext("The sheet has no “%(column)s” column.") % {"column": key.title}
            self._problem(kind, 1, str(key.title), message)
            return
        seen: dict[tuple, int] = {}
        for row, record in table.records():
            cells = imports.cells(record, columns)
            for field, text in cells.items():
                if "\x00" in text:
                    message = gettext(
                        "The cell holds a character that cannot be stored (a NUL byte)."
                    )
                    self._problem(kind, row, columns[field], message)
            self.planners[kind](row, cells, columns, seen)

    # Agreements ---------------------------------------------------------------------------

    def _agreement(self, row, cells, columns, seen) -> None:
        before = len(self.problems)
        reference = cells["reference"]
        if reference in seen:
            message = gettext("%(reference)s is also in row %(row)s.") % {
                "reference": reference,
                "row": seen[reference],
            }
            self._problem(AGREEMENTS, row, columns["reference"], message)
        seen[reference] = row
        if reference in self.taken:
            message = gettext("%(reference)s is another council's agreement.") % {
                "reference": reference
            }
            self._problem(AGREEMENTS, row, columns["reference"], message)
        values = {}
        for field, text in cells.items():
            if field in self.readers:
                values[field], message = self.readers[field](text)
                if message:
                    self._problem(AGREEMENTS, row, columns[field], message)
            else:
                values[field] = text
        existing = self.agreements.get(reference)
        agreement = Agreement(funder=self.council) if existing is None else unsaved_copy(existing)
        for field, value in values.items():
            if value is not None:
                setattr(agreement, written.column(agreement, field), value)
            elif Agreement._meta.get_field(field).null or not _is_relation(field):
                setattr(agreement, written.column(agreement, field), _blank(field))
        if existing is None:
            for field in ("title", "provider", "start_date", "end_date", "total_allocation"):
                if field not in columns:
                    message = gettext("A new agreement needs its %(column)s: add a column.") % {
                        "column": str(TITLES[field]).lower()
                    }
                    self._problem(AGREEMENTS, row, field, message)
        elif values.get("reporting_frequency") not in (None, existing.reporting_frequency) and (
            existing.reported or existing.scheduled
        ):
            self._problem(
                AGREEMENTS, row, columns["reporting_frequency"], _frequency_change(existing)
            )
        if existing is not None and existing.scheduled:
            for field in SCHEDULED:
                if field in values and getattr(existing, field) != values[field]:
                    self._problem(
                        AGREEMENTS,
                        row,
                        columns[field],
                        gettext(
                            "Its payments are scheduled from this: change it in the "
                            "administration, with the instalments."
                        ),
                    )
        if "title" in columns and not agreement.title_en_gb and agreement.title_cy:
            self._needs_english(AGREEMENTS, row, columns["title"])
        if len(self.problems) == before:
            found = agreement_errors(agreement, stored=existing, allocations=self.allocations)
            self._report(AGREEMENTS, row, columns, found)
        if len(self.problems) > before:
            self.failed_references.add(reference)
            return
        if existing is None:
            self.new_references.add(reference)
            planned = self._added(row, reference, agreement.title, values, AGREEMENT_COLUMNS)
            planned.notes.append(
                gettext("Its reporting quarters and payment schedule are made with it.")
            )
        else:
            planned = self._compare(row, reference, existing, values, AGREEMENT_COLUMNS)
        summary = gettext("Agreement %(reference)s") % {"reference": reference}
        planned.summary, planned.kind = summary, AGREEMENTS
        self.rows.append(planned)

    def _needs_english(self, sheet, row, column: str) -> None:
        """A text a record cannot be without is kept in English, as the app's forms keep it,
        whatever is written in Welsh: the Welsh goes beside it, never in its place."""
        message = gettext("Write this in English too: the Welsh goes in its own column.")
        self._problem(sheet, row, column, message)

    def _report(self, sheet, row, columns, found: dict[str, list[str]]) -> None:
        for field, messages in found.items():
            column = columns.get(field, field if field != NON_FIELD_ERRORS else "")
            for message in messages:
                self._problem(sheet, row, column, message)

    def _added(self, row, key, summary, values, columns) -> PlannedRow:
        """A new record, with what it will hold."""
        titles = {c.field: str(c.title) for c in columns}
        changes = [
            FieldChange(titles[field], "", _shown(value, field))
            for field, value in values.items()
            if field in titles and _shown(value, field) and field != columns[0].field
        ]
        return PlannedRow(row, key, CREATE, summary, changes=changes, values=values)

    def _compare(self, row, key, existing, values, columns) -> PlannedRow:
        titles = {c.field: str(c.title) for c in columns}
        changes = []
        for field, value in values.items():
            current = current_value(existing, field)
            if (current or None) != (value or None) and str(current or "") != str(value or ""):
                changes.append(
                    FieldChange(titles[field], _shown(current, field), _shown(value, field))
                )
        change = UPDATE if changes else UNCHANGED
        return PlannedRow(row, key, change, key, changes=changes, values=values)

    # Parts of agreements --------------------------------------------------------------------

    def _owner(self, sheet, row, cells, columns) -> str | None:
        """The reference of the agreement the row belongs to, None when there is none."""
        reference = cells.get("agreement", "")
        if reference in self.agreements or reference in self.new_references:
            return reference
        if not reference:
            message = gettext("Name the agreement by its reference.")
        elif reference in self.failed_references:
            if (sheet, reference) in self.told:
                return None  # said once for the sheet, at its first row
            self.told.add((sheet, reference))
            message = gettext(
                "The agreement %(reference)s has errors in the Agreements sheet: correct them "
                "first. Its rows here are not checked until then."
            ) % {"reference": reference}
        else:
            message = gettext("No agreement of %(council)s has the reference “%(reference)s”.") % {
                "council": self.council.name,
                "reference": reference,
            }
        self._problem(sheet, row, columns["agreement"], message)
        return None

    def _indicator(self, row, cells, columns, seen) -> None:
        before = len(self.problems)
        reference = self._owner(INDICATORS, row, cells, columns)
        if reference is None:
            return
        code = cells.get("code", "")
        if not code:
            column = columns.get("code", gettext("Code"))
            self._problem(INDICATORS, row, column, gettext("Give the code."))
            return
        key = (reference, code)
        if key in seen:
            message = gettext("%(code)s is also in row %(row)s.") % {"code": code, "row": seen[key]}
            self._problem(INDICATORS, row, columns["code"], message)
        seen[key] = row
        values = {}
        texts = {field: cells[field] for field in TARGET_TEXTS if field in cells}
        for field, text in cells.items():
            if field in ("agreement", "code", *TARGET_TEXTS):
                continue
            if field == "measure_type":
                values[field], message = read_choice(text, MeasureType.choices)
            elif field == "target_period":
                values[field], message = read_choice(text, TargetPeriod.choices)
            elif field == "direction":
                values[field], message = read_choice(text, Direction.choices)
            elif field in ("target", "amber_tolerance", "upper_bound"):
                model_field = PerformanceIndicator._meta.get_field(field)
                values[field], message = read_decimal(text, model_field)
            else:
                values[field], message = text, ""
            if message:
                self._problem(INDICATORS, row, columns[field], message)
        existing = self.indicators.get((reference, code))
        indicator = unsaved_copy(existing) if existing else PerformanceIndicator(code=code)
        for field, value in values.items():
            if value is not None:
                setattr(indicator, written.column(indicator, field), value)
        if existing is None and "wording" not in values:
            message = gettext("A new indicator needs its wording.")
            self._problem(INDICATORS, row, gettext("Indicator"), message)
        elif "wording" in columns and not indicator.wording_en_gb and indicator.wording_cy:
            self._needs_english(INDICATORS, row, columns["wording"])
        if len(self.problems) == before:
            found = validation.errors(indicator, exclude=["agreement"])
            self._report(INDICATORS, row, columns, found)
        targets = None
        if len(self.problems) == before and any(texts.values()):
            targets, errors = year_targets(
                indicator, texts.get("targets_by_year", ""), texts.get("quarterly_profile", "")
            )
            column = columns.get("targets_by_year") or columns.get("quarterly_profile")
            for message in errors:
                self._problem(INDICATORS, row, column, message)
        if len(self.problems) > before:
            return
        label = gettext("Indicator %(code)s of %(reference)s") % {
            "code": code,
            "reference": reference,
        }
        key = f"{reference}:{code}"
        if existing is None:
            planned = self._added(row, key, label, values, INDICATOR_COLUMNS)
        else:
            planned = self._compare(row, key, existing, values, INDICATOR_COLUMNS)
        if targets is not None:
            self._plan_targets(planned, existing, targets)
        planned.summary, planned.kind = label, INDICATORS
        self.rows.append(planned)

    def _plan_targets(self, planned, existing, targets) -> None:
        """The years the row names are set from their start as the row gives them; the
        indicator's other years are left as they are."""
        years = {t.financial_year for t in targets}
        stored = [
            t
            for t in (existing.targets.all() if existing is not None else [])
            if t.financial_year in years and t.takes_effect_from_id is None
        ]
        shown = [(targets_text(stored), targets_text(targets))]
        shown.append((profiles_text(stored), profiles_text(targets)))
        titles = (gettext("Targets by year"), gettext("Quarterly profile"))
        for title, (before, after) in zip(titles, shown, strict=True):
            if before != after:
                planned.changes.append(imports.FieldChange(title, before, after))
                if planned.change == UNCHANGED:
                    planned.change = UPDATE
        planned.related["targets"] = [
            {
                "financial_year": t.financial_year,
                "target": t.target,
                **{q: getattr(t, q) for q in ("q1", "q2", "q3", "q4")},
            }
            for t in targets
        ]

    def _requirement(self, row, cells, columns, seen) -> None:
        reference = self._owner(REQUIREMENTS, row, cells, columns)
        if reference is None:
            return
        number_text = cells.get("number", "")
        message = ""
        if not re.fullmatch(r"[0-9]+", number_text) or not number_text.strip("0"):
            message = gettext("Number the requirement from 1, like 3.")
        elif len(number_text) > 9 or int(number_text) > REQUIREMENT_NUMBER_MAX:
            message = gettext("A requirement's number is at most %(most)s.") % {
                "most": number_format(REQUIREMENT_NUMBER_MAX, force_grouping=True)
            }
        if message:
            self._problem(REQUIREMENTS, row, columns.get("number", gettext("Number")), message)
            return
        number = int(number_text)
        key = (reference, number)
        if key in seen:
            message = gettext("%(number)s is also in row %(row)s.") % {
                "number": number,
                "row": seen[key],
            }
            self._problem(REQUIREMENTS, row, columns["number"], message)
            return
        seen[key] = row
        text = cells.get("text")
        existing = self.requirements.get(key)
        label = gettext("Requirement %(number)s of %(reference)s") % {
            "number": number,
            "reference": reference,
        }
        key = f"{reference}:{number}"
        values = {field: cells[field] for field in ("text", "text_cy") if field in cells}
        if existing is None:
            if not text:
                message = gettext("A new requirement needs its text.")
                self._problem(REQUIREMENTS, row, gettext("Requirement"), message)
                return
            planned = self._added(row, key, label, values, REQUIREMENT_COLUMNS)
        else:
            welsh = values.get("text_cy", existing.text_cy)
            if "text" in values and not text and welsh:
                self._needs_english(REQUIREMENTS, row, columns["text"])
                return
            planned = self._compare(row, key, existing, values, REQUIREMENT_COLUMNS)
        planned.summary, planned.kind = label, REQUIREMENTS
        self.rows.append(planned)


def _frequency_change(existing: Agreement) -> str:
    """Why an import does not change how often an agreement reports: its returns or its
    instalments' waits-for follow from it."""
    if existing.reported:
        return gettext(
            "Returns have already been made at the present frequency: use a variation, which "
            "names the quarter it changes from."
        )
    return gettext(
        "Its instalments wait for returns of the present frequency: change it on the "
        "agreement's edit page, with what they wait for."
    )


def _is_relation(field: str) -> bool:
    # A choice left empty keeps its value (a new agreement's default), as a relation does.
    return Agreement._meta.get_field(field).is_relation or field in (
        "status",
        "reporting_frequency",
    )


def _blank(field: str):
    model_field = Agreement._meta.get_field(field)
    return None if model_field.null else ""


def _shown(value, field: str = "") -> str:
    """A value as the preview shows it: a choice by its label, a date as people write it, an
    amount in pounds and pence."""
    if value is None:
        return ""
    if field == "total_allocation":
        return "£" + number_format(value, 2, force_grouping=True)
    if field in CHOICES and value in CHOICES[field].values:
        return str(CHOICES[field](value).label)
    if isinstance(value, dt.date):
        return imports.date_text(value)
    return str(value)
