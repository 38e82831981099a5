"""Imports that are checked before they happen and can be undone after: one batch per file.

An app's importer reads a file into rows and plans what they would change (a `Preview`). The
check is kept as an `ImportBatch` holding the rows and a digest of the plan; confirming plans
again from those rows and imports only if the plan is still the one shown, once. While it
imports, the app records each record it creates or changes (`Recorder`); undoing puts every
one back as it was, in one transaction, unless someone has changed it since.
"""

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.contrib.admin.utils import NestedObjects
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from sla_monitor import audit, roles
from sla_monitor.models import ImportBatch

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
PLAN_CHANGED = (
    "The plan has changed since the file was checked, so nothing was imported. Check the file "
    "again to see what it would change now."
)


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


# Checking and confirming -----------------------------------------------------------------------


def keep_check(*, kind: str, target, file_name: str, rows: list, preview: Preview, by):
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


def lock_check(*, batch_id: int, kind: str, target, by) -> ImportBatch:
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
        raise ValidationError("There is no checked file to import: upload it again.")
    if batch.status != ImportBatch.Status.CHECKED:
        raise ValidationError(
            f"“{batch.file_name}” has already been imported, so nothing was imported again."
        )
    return batch


def confirm(batch: ImportBatch, preview: Preview) -> None:
    """Refuse to import when planning again from the kept rows no longer gives what was shown."""
    if preview.problems or preview.digest != batch.digest:
        raise ValidationError(PLAN_CHANGED)


def finish(batch: ImportBatch, preview: Preview, recorder: "Recorder") -> None:
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


# Recording and undoing -------------------------------------------------------------------------


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict:
    """The fields' values as JSON: a related record by its id, many by their sorted ids."""
    values = {}
    for name in fields:
        model_field = instance._meta.get_field(name)
        if model_field.many_to_many:
            values[name] = sorted(getattr(instance, name).values_list("pk", flat=True))
        elif model_field.is_relation:
            values[name] = getattr(instance, model_field.attname)
        else:
            values[name] = _json(_as_stored(model_field, getattr(instance, name)))
    return values


def _as_stored(model_field, value):
    """A decimal as the database gives it back: to the field's places, so 3 and 3.00 agree."""
    if isinstance(model_field, models.DecimalField) and value is not None:
        return Decimal(value).quantize(Decimal(1).scaleb(-model_field.decimal_places))
    return value


def _json(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _restore(instance: models.Model, values: dict) -> None:
    plain = []
    for name, value in values.items():
        model_field = instance._meta.get_field(name)
        if model_field.many_to_many:
            continue
        if model_field.is_relation:
            setattr(instance, model_field.attname, value)
        else:
            setattr(instance, name, model_field.to_python(value))
        plain.append(model_field.attname if model_field.is_relation else name)
    instance.save(update_fields=plain or None)
    for name, value in values.items():
        if instance._meta.get_field(name).many_to_many:
            getattr(instance, name).set(value)


class Recorder:
    """What an import does to each record, as it does it."""

    def __init__(self):
        self.changes: list[dict] = []

    def created(self, instance: models.Model, fields: Iterable[str]) -> None:
        self.changes.append(
            {
                "model": instance._meta.label_lower,
                "pk": instance.pk,
                "created": True,
                "after": snapshot(instance, fields),
            }
        )

    def changed(self, instance: models.Model, before: dict) -> None:
        after = snapshot(instance, before)
        if after != before:
            self.changes.append(
                {
                    "model": instance._meta.label_lower,
                    "pk": instance.pk,
                    "created": False,
                    "before": before,
                    "after": after,
                }
            )


@transaction.atomic
def undo(*, batch: ImportBatch, by, may_undo: bool) -> ImportBatch:
    """Put back everything the batch changed and remove what it created, all or nothing.

    Refused when any record has changed since the import, or removing one would remove
    something the import did not make (an update an owner added to an imported action)."""
    if not may_undo:
        raise PermissionDenied("Only those who may import here undo an import.")
    locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.status != ImportBatch.Status.IMPORTED:
        raise ValidationError(
            f"“{locked.file_name}” is {locked.get_status_display().lower()}, so there is "
            "nothing to undo."
        )
    records = [(change, _current(change)) for change in locked.changes]
    reasons = [
        reason for change, instance in records if (reason := _changed_since(change, instance))
    ]
    created = {(c["model"], c["pk"]) for c in locked.changes if c["created"]}
    # Newest first: an action moved into a section the import added is put back before the
    # section goes, so removing the section then removes nothing else.
    for change, instance in reversed(records):
        if reasons:
            break
        if not change["created"]:
            _restore(instance, change["before"])
        elif reason := _removes_more(change, instance, created):
            reasons.append(reason)
        else:
            instance.delete()
    if reasons:
        transaction.set_rollback(True)
        raise ValidationError(
            [f"“{locked.file_name}” cannot be undone, so nothing was changed:", *reasons]
        )
    locked.status = ImportBatch.Status.UNDONE
    locked.undone_by = by
    locked.undone_at = timezone.now()
    locked.save(update_fields=["status", "undone_by", "undone_at"])
    return locked


def _current(change: dict) -> models.Model | None:
    model = apps.get_model(change["model"])
    return model._default_manager.filter(pk=change["pk"]).first()


def _name(change: dict, instance) -> str:
    model = apps.get_model(change["model"])
    return f"{model._meta.verbose_name} “{instance or change['pk']}”"


def _changed_since(change: dict, instance) -> str | None:
    if instance is None:
        done = "made" if change["created"] else "changed"
        return f"The {_name(change, instance)} it {done} has been removed."
    if snapshot(instance, change["after"]) != change["after"]:
        return f"The {_name(change, instance)} has been changed since."
    return None


def _removes_more(change: dict, instance, created: set) -> str | None:
    """What removing a record the import made would also remove that it did not make."""
    collector = NestedObjects(using=instance._state.db)
    collector.collect([instance])
    if collector.protected:
        name = _name(change, instance)
        return f"Removing the {name} would also remove {next(iter(collector.protected))}."
    for model, objects in collector.data.items():
        if model._meta.auto_created:  # the rows linking it to its strands, say
            continue
        others = [o for o in objects if (model._meta.label_lower, o.pk) not in created]
        if others:
            name = _name(change, instance)
            return f"Removing the {name} would also remove {others[0]}, added since."
    return None


def import_events(user, filters: audit.Filters, limit: int) -> list[audit.Event]:
    """Each file imported, and each import undone, of what the user may see."""
    batches = (
        ImportBatch.objects.exclude(status=ImportBatch.Status.CHECKED)
        .select_related("checked_by", "undone_by", "target_type")
        .prefetch_related("target")
    )
    if not roles.is_superuser(user):
        batches = batches.filter(
            audit.visible_to(user, type_field="target_type", id_field="target_id")
        )
    events = []
    for batch in audit.latest(
        batches.defer("rows", "changes"),
        actor="checked_by",
        at="imported_at",
        filters=filters,
        limit=limit,
    ):
        counts = batch.counts
        target = batch.target or f"{batch.target_type.name} {batch.target_id}"
        events.append(
            audit.Event(
                batch.imported_at,
                "import",
                batch.checked_by,
                f"Imported “{batch.file_name}” into {target}: {counts.get('created', 0)} added, "
                f"{counts.get('updated', 0)} updated",
            )
        )
        if batch.undone_at:
            events.append(
                audit.Event(
                    batch.undone_at,
                    "import",
                    batch.undone_by,
                    f"Undid the import of “{batch.file_name}” into {target}",
                )
            )
    return events
