"""The one way a file is imported: checked first, confirmed once, undone as a whole.

An app supplies an `Importer`: who may import into a target, how its file's sheets are read and
planned into a `Preview`, and how a plan is applied. The check keeps the file's rows as an
`ImportBatch` with a digest of the plan; confirming plans again from those rows, under a lock on
the target, and applies only if the plan is still the one shown, once. While it applies, the app
records each record it creates or changes (`Recorder`); undoing puts every one back.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sla_monitor.imports import recording
from sla_monitor.imports.preview import Preview
from sla_monitor.imports.recording import Recorder
from sla_monitor.models import ImportBatch
from sla_monitor.tables import Table

PLAN_CHANGED = gettext_lazy(
    "The plan has changed since the file was checked, so nothing was imported. Check the file "
    "again to see what it would change now."
)
NO_CHECKED_FILE = gettext_lazy("There is no checked file to import: upload it again.")

Book = dict[str, Table]


@dataclass(frozen=True)
class Importer:
    """One kind of import, as its app supplies it."""

    kind: str  # as `ImportBatch.kind` keeps it
    may_import: Callable[[Any, models.Model], bool]  # (person, target)
    refusal: str  # what someone who may not import is told
    plan: Callable[[models.Model, Book], Preview]  # reads only
    # (target, plan, recorder, person, blank_fields): writes what the plan shows, recording it
    apply: Callable[[models.Model, Preview, Recorder, Any, bool], None]


def check(importer: Importer, *, target, file_name: str, book: Book, by) -> tuple:
    """What importing the file would change, and the kept check to confirm when it is clean and
    changes something."""
    _refuse_unless_allowed(importer, target, by)
    preview = importer.plan(target, book)
    batch = None
    if not preview.problems and not preview.nothing_to_change:
        batch = _keep_check(
            kind=importer.kind,
            target=target,
            file_name=file_name,
            rows={name: {"headers": t.headers, "rows": t.rows} for name, t in book.items()},
            preview=preview,
            by=by,
        )
    return preview, batch


@transaction.atomic
def run(importer: Importer, *, target, batch_id: int, by, blank_fields: bool = False):
    """Import a checked file, all or nothing, exactly as its check showed, once. A field the
    file leaves empty is blanked only with `blank_fields`, which the person asks for having
    seen the fields listed. Refused when the target has changed since the check."""
    _refuse_unless_allowed(importer, target, by)
    type(target).objects.select_for_update().get(pk=target.pk)
    batch = _lock_check(batch_id=batch_id, kind=importer.kind, target=target, by=by)
    try:
        book = {name: Table(t["headers"], t["rows"]) for name, t in batch.rows.items()}
    except (AttributeError, KeyError, TypeError) as error:  # kept in an older form
        raise ValidationError(NO_CHECKED_FILE) from error
    preview = importer.plan(target, book)
    _confirm(batch, preview)
    recorder = Recorder()
    try:
        importer.apply(target, preview, recorder, by, blank_fields)
    except IntegrityError as error:
        # A record the file adds has been added since, such as another council's agreement
        # under one of its references.
        raise ValidationError(PLAN_CHANGED) from error
    _finish(batch, preview, recorder)
    return batch


@transaction.atomic
def undo(importer: Importer, *, target, batch: ImportBatch, by) -> ImportBatch:
    """Put the target back as it was before the import; see `recording.undo`."""
    if not importer.may_import(by, target):
        raise PermissionDenied(_("Only those who may import here undo an import."))
    return recording.undo(batch=batch, by=by)


def history(kind: str, target) -> QuerySet:
    """The files of a kind imported into the target, newest first, with who checked and who
    undid them."""
    return (
        ImportBatch.objects.filter(
            kind=kind,
            target_type=ContentType.objects.get_for_model(target),
            target_id=target.pk,
        )
        .exclude(status=ImportBatch.Status.CHECKED)
        .select_related("checked_by", "undone_by")
        .defer("rows", "changes")
    )


def _refuse_unless_allowed(importer: Importer, target, by) -> None:
    if not importer.may_import(by, target):
        raise PermissionDenied(importer.refusal)


def _keep_check(*, kind: str, target, file_name: str, rows: list, preview: Preview, by):
    """Keep a clean check, so that it can be confirmed; the user's earlier unconfirmed checks
    of the same target go."""
    target_type = ContentType.objects.get_for_model(target)
    ImportBatch.objects.filter(
        kind=kind,
        target_type=target_type,
        target_id=target.pk,
        checked_by=by,
        status=ImportBatch.Status.CHECKED,
    ).delete()
    return ImportBatch.objects.create(
        kind=kind,
        target_type=target_type,
        target_id=target.pk,
        file_name=file_name[:255],
        rows=rows,
        digest=preview.digest,
        counts=_counts(preview),
        checked_by=by,
    )


def _lock_check(*, batch_id: int, kind: str, target, by) -> ImportBatch:
    """The user's own checked batch for the target, locked; a batch already imported, undone
    or someone else's is refused."""
    batch = (
        ImportBatch.objects.select_for_update()
        .filter(
            pk=batch_id,
            kind=kind,
            target_type=ContentType.objects.get_for_model(target),
            target_id=target.pk,
        )
        .first()
    )
    if batch is None or batch.checked_by_id != by.pk:
        raise ValidationError(NO_CHECKED_FILE)
    if batch.status != ImportBatch.Status.CHECKED:
        raise ValidationError(
            _("“%(file)s” has already been imported, so nothing was imported again.")
            % {"file": batch.file_name}
        )
    return batch


def _confirm(batch: ImportBatch, preview: Preview) -> None:
    """Refuse to import when planning again from the kept rows no longer gives what was shown."""
    if preview.problems or preview.digest != batch.digest:
        raise ValidationError(PLAN_CHANGED)


def _finish(batch: ImportBatch, preview: Preview, recorder: Recorder) -> None:
    batch.status = ImportBatch.Status.IMPORTED
    batch.imported_at = timezone.now()
    batch.rows = []
    batch.changes = recorder.changes
    batch.counts = _counts(preview)
    batch.save(update_fields=["status", "imported_at", "rows", "changes", "counts"])


def _counts(preview: Preview) -> dict:
    return {
        "created": preview.creates,
        "updated": preview.updates,
        "unchanged": preview.unchanged,
        "blanked": len(preview.blanks),
        "notes": sum(len(r.notes) for r in preview.rows),
    }
