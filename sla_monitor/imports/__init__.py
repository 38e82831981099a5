"""Imports that are checked before they happen and can be undone after: one batch per file.

`engine` runs every import the same way (check, confirm once, undo, history); an app supplies an
`Importer` with its reader and its apply step. `cells` reads columns and cells the same way for
every app, `preview` is what a check shows, `recording` keeps what an import did so it can be
undone, and `events` puts imports into the audit log.
"""

from sla_monitor.imports.cells import (
    Column,
    by_header,
    cells,
    date_text,
    read_choice,
    read_date,
)
from sla_monitor.imports.engine import (
    NO_CHECKED_FILE,
    PLAN_CHANGED,
    Book,
    Importer,
    check,
    history,
    run,
    undo,
)
from sla_monitor.imports.events import import_events
from sla_monitor.imports.preview import (
    CREATE,
    UNCHANGED,
    UPDATE,
    FieldChange,
    PlannedRow,
    Preview,
    Problem,
)
from sla_monitor.imports.recording import Recorder, WhatUndoDoes, snapshot, what_undo_does

__all__ = [
    "CREATE",
    "NO_CHECKED_FILE",
    "PLAN_CHANGED",
    "UNCHANGED",
    "UPDATE",
    "Book",
    "Column",
    "FieldChange",
    "Importer",
    "PlannedRow",
    "Preview",
    "Problem",
    "Recorder",
    "WhatUndoDoes",
    "by_header",
    "cells",
    "check",
    "date_text",
    "history",
    "import_events",
    "read_choice",
    "read_date",
    "run",
    "snapshot",
    "undo",
    "what_undo_does",
]
