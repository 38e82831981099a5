"""Importing a council's agreements, indicators and minimum requirements from a workbook, checked
first, confirmed once, and undone as a whole (see `sla_monitor.imports`)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from grants import importing, permissions
from grants.models import Agreement, MinimumRequirement, PerformanceIndicator
from grants.services.agreements import set_up_agreement
from sla_monitor import imports
from sla_monitor.models import ImportBatch, Organisation
from sla_monitor.tables import Table

AGREEMENT_FIELDS = [c.field for c in importing.AGREEMENT_COLUMNS if c.field != "reference"]


def _refuse_unless_allowed(by, council: Organisation) -> None:
    if not permissions.can_set_up_agreement_for(by, council):
        raise PermissionDenied("Only a lead officer of the council imports its agreements.")


def check_import(*, council: Organisation, file_name: str, book: dict[str, Table], by) -> tuple:
    """What importing the workbook would change; a clean check is kept for confirming."""
    _refuse_unless_allowed(by, council)
    preview = importing.preview(council, book)
    batch = None
    if not preview.problems and not preview.nothing_to_change:
        batch = imports.keep_check(
            kind=importing.KIND,
            target=council,
            file_name=file_name,
            rows={name: {"headers": t.headers, "rows": t.rows} for name, t in book.items()},
            preview=preview,
            by=by,
        )
    return preview, batch


@transaction.atomic
def import_agreements(
    *, council: Organisation, batch_id: int, by, blank_fields: bool = False
) -> ImportBatch:
    """Import a checked workbook, all or nothing, exactly as its check showed; a field the
    workbook leaves empty is blanked only with `blank_fields`."""
    _refuse_unless_allowed(by, council)
    Organisation.objects.select_for_update().get(pk=council.pk)
    batch = imports.lock_check(batch_id=batch_id, kind=importing.KIND, target=council, by=by)
    book = {name: Table(t["headers"], t["rows"]) for name, t in batch.rows.items()}
    preview = importing.preview(council, book)
    imports.confirm(batch, preview)
    recorder = imports.Recorder()
    _Importer(council, recorder, blank_fields).apply(preview)
    imports.finish(batch, preview, recorder)
    return batch


class _Importer:
    def __init__(self, council, recorder: imports.Recorder, blank_fields: bool):
        self.council, self.recorder, self.blank_fields = council, recorder, blank_fields
        self.agreements = {a.reference: a for a in Agreement.objects.filter(funder=council)}

    def apply(self, preview) -> None:
        for planned in preview.rows:
            if planned.change == imports.UNCHANGED:
                continue
            if planned.kind == importing.AGREEMENTS:
                self._agreement(planned)
            elif planned.kind == importing.INDICATORS:
                self._part(planned, PerformanceIndicator, "code")
            else:
                self._part(planned, MinimumRequirement, "number")

    def _set(self, instance, values: dict) -> None:
        """The file's values, an empty one only where the person asked for blanks and the
        field can be empty."""
        for field, value in values.items():
            if value not in (None, ""):
                setattr(instance, field, value)
                continue
            current = importing.current_value(instance, field)
            blankable = instance._meta.get_field(field).null or not (
                instance._meta.get_field(field).is_relation or field == "status"
            )
            if blankable and current not in (None, "") and self.blank_fields:
                setattr(instance, field, _blank(instance, field))

    def _agreement(self, planned) -> None:
        reference = planned.key
        if planned.change == imports.CREATE:
            agreement = Agreement(funder=self.council, reference=reference)
            self._set(agreement, planned.values)
            agreement.full_clean()
            agreement.save()
            self.recorder.created(agreement, ["reference", *AGREEMENT_FIELDS])
            set_up_agreement(agreement=agreement)
            for instalment in agreement.instalments.all():
                self.recorder.created(instalment, ["sequence", "amount", "due_date"])
            self.agreements[reference] = agreement
            return
        agreement = self.agreements[reference]
        before = imports.snapshot(agreement, planned.values)
        self._set(agreement, planned.values)
        agreement.full_clean()
        agreement.save()
        self.recorder.changed(agreement, before)

    def _part(self, planned, model, key_field: str) -> None:
        reference, key = planned.key.split(":", 1)
        agreement = self.agreements[reference]
        key_value = int(key) if key_field == "number" else key
        part = model.objects.filter(agreement=agreement, **{key_field: key_value}).first()
        if part is None:
            part = model(agreement=agreement, **{key_field: key_value})
            self._set(part, planned.values)
            if key_field == "code":
                part.order = agreement.indicators.count() + 1
            part.full_clean()
            part.save()
            self.recorder.created(part, [key_field, *planned.values])
            return
        before = imports.snapshot(part, planned.values)
        self._set(part, planned.values)
        part.full_clean()
        part.save()
        self.recorder.changed(part, before)


def _blank(instance, field: str):
    return None if instance._meta.get_field(field).null else ""


@transaction.atomic
def undo_import(*, council: Organisation, batch: ImportBatch, by) -> ImportBatch:
    """Put the council's agreements back as they were before the import."""
    return imports.undo(
        batch=batch, by=by, may_undo=permissions.can_set_up_agreement_for(by, council)
    )
