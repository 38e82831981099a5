"""What a file would change, row by row, before anything is written: what the check shows and
what confirming applies."""

import hashlib
import json
from dataclasses import dataclass, field

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"


@dataclass(frozen=True)
class Problem:
    row: int  # as the spreadsheet numbers it: the header is row 1
    column: str
    message: str


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str

    @property
    def blanks(self) -> bool:
        return bool(self.before) and not self.after


@dataclass
class PlannedRow:
    row: int
    key: str  # what the row is matched on, such as an action's number
    change: str  # CREATE, UPDATE or UNCHANGED
    summary: str
    changes: list[FieldChange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)  # what the importer applies
    kind: str = ""  # which kind of record, where a file holds several
    # Records the importer writes beside this one, such as an indicator's targets by year.
    related: dict = field(default_factory=dict)

    @property
    def blanks(self) -> list[FieldChange]:
        return [c for c in self.changes if c.blanks]


@dataclass
class Preview:
    rows: list[PlannedRow]
    problems: list[Problem]
    notes: list[str] = field(default_factory=list)  # about the file as a whole

    def count(self, change: str) -> int:
        return sum(1 for r in self.rows if r.change == change)

    @property
    def creates(self) -> int:
        return self.count(CREATE)

    @property
    def updates(self) -> int:
        return self.count(UPDATE)

    @property
    def unchanged(self) -> int:
        return self.count(UNCHANGED)

    @property
    def listed(self) -> list[PlannedRow]:
        """The rows the preview lists: those that change something or have a note."""
        return [r for r in self.rows if r.change != UNCHANGED or r.notes]

    @property
    def blanks(self) -> list[tuple[PlannedRow, FieldChange]]:
        return [(row, change) for row in self.rows for change in row.blanks]

    @property
    def nothing_to_change(self) -> bool:
        return not self.problems and self.creates == 0 and self.updates == 0

    @property
    def digest(self) -> str:
        """What this preview says would change, as a fingerprint."""
        shown = [
            [r.row, r.key, r.change, [[c.label, c.before, c.after] for c in r.changes], r.notes]
            for r in self.rows
        ]
        return hashlib.sha256(json.dumps(shown, sort_keys=True).encode()).hexdigest()
