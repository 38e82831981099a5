"""Importing a council's agreements, indicators and minimum requirements from a workbook, checked
first, confirmed once, and undone as a whole, through the import engine (`sla_monitor.imports`):
the agreements importer reads with `grants.importing` and writes with `_Importer` here."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from grants import importing, permissions, stored
from grants.models import Agreement, IndicatorTarget, MinimumRequirement, PerformanceIndicator
from grants.services.agreements import set_up_agreements
from grants.versions import every_agreement_of
from sla_monitor import audit, imports, validation, versions, written
from sla_monitor.models import ImportBatch, Organisation
from sla_monitor.tables import Table

AGREEMENT_FIELDS = [c.field for c in importing.AGREEMENT_COLUMNS if c.field != "reference"]
TARGET_FIELDS = ["financial_year", "target", "q1", "q2", "q3", "q4"]


def _apply(council, preview, recorder, by, blank_fields: bool) -> None:
    _Importer(council, recorder, blank_fields).apply(preview)


AGREEMENTS_IMPORT = imports.Importer(
    kind=importing.KIND,
    may_import=permissions.can_set_up_agreement_for,
    refusal=_("Only a lead officer of the council imports its agreements."),
    plan=importing.preview,
    apply=_apply,
)


def check_import(*, council: Organisation, file_name: str, book: dict[str, Table], by) -> tuple:
    """What importing the workbook would change; a clean check is kept for confirming."""
    return imports.check(AGREEMENTS_IMPORT, target=council, file_name=file_name, book=book, by=by)


def import_agreements(
    *, council: Organisation, batch_id: int, by, blank_fields: bool = False
) -> ImportBatch:
    """Import a checked workbook, all or nothing, exactly as its check showed; a field the
    workbook leaves empty is blanked only with `blank_fields`."""
    with transaction.atomic():
        batch = imports.run(
            AGREEMENTS_IMPORT, target=council, batch_id=batch_id, by=by, blank_fields=blank_fields
        )
        _refresh_figures(council)
    return batch


def undo_import(*, council: Organisation, batch: ImportBatch, by) -> ImportBatch:
    """Put the council's agreements back as they were before the import."""
    with transaction.atomic():
        batch = imports.undo(AGREEMENTS_IMPORT, target=council, batch=batch, by=by)
        _refresh_figures(council)
    return batch


def _refresh_figures(council: Organisation) -> None:
    """The stored figures of the council's agreements, after an import or its undoing changed
    their terms, indicators or targets (`grants.stored`)."""
    stored.refresh(Agreement.objects.filter(funder=council).values_list("pk", flat=True))


@dataclass
class _Write:
    """A record a row of the plan creates or changes."""

    planned: imports.PlannedRow
    instance: Model
    read: Model | None = None  # as it was read, for a record changed
    before: dict = field(default_factory=dict)  # the fields the row sets, as they were

    @property
    def created(self) -> bool:
        return self.read is None


class _Importer:
    """Writes a checked plan in a fixed number of queries however many rows: each kind of record
    created in one statement and changed in another, each checked first against its model's
    rules, and with the history saving it alone would have kept."""

    def __init__(self, council, recorder: imports.Recorder, blank_fields: bool):
        self.council, self.recorder, self.blank_fields = council, recorder, blank_fields
        agreements = Agreement.objects.filter(funder=council).select_related(
            "funder", "provider", "fund", "lead_officer__organisation"
        )
        self.agreements = {a.reference: a for a in agreements}
        by_pk = {a.pk: a for a in self.agreements.values()}
        self.parts: dict[type[Model], dict[tuple, Model]] = {}
        for model, key_field in ((PerformanceIndicator, "code"), (MinimumRequirement, "number")):
            parts = model.objects.filter(agreement__funder=council)
            for part in parts:
                part.agreement = by_pk[part.agreement_id]  # named in its history
            self.parts[model] = {(p.agreement_id, getattr(p, key_field)): p for p in parts}
        self.indicators_of = Counter(pk for pk, _ in self.parts[PerformanceIndicator])
        self.allocations = importing.Allocations(council)

    def apply(self, preview) -> None:
        rows = [r for r in preview.rows if r.change != imports.UNCHANGED]
        versions.move(every_agreement_of(self.council.pk))
        agreements = [self._agreement(r) for r in rows if r.kind == importing.AGREEMENTS]
        new = [w.instance for w in agreements if w.created]
        Agreement.objects.bulk_create(new)
        instalments = defaultdict(list)
        for instalment in set_up_agreements(agreements=new):
            instalments[instalment.agreement_id].append(instalment)
        parts = [
            self._part(r, PerformanceIndicator, "code")
            if r.kind == importing.INDICATORS
            else self._part(r, MinimumRequirement, "number")
            for r in rows
            if r.kind != importing.AGREEMENTS
        ]
        for model in (PerformanceIndicator, MinimumRequirement):
            model.objects.bulk_create(
                w.instance for w in parts if w.created and type(w.instance) is model
            )
        changed = [w for w in agreements + parts if not w.created and _changes(w)]
        for model in (Agreement, PerformanceIndicator, MinimumRequirement):
            _update(model, [w for w in changed if type(w.instance) is model])
        targets = self._targets([w for w in parts if w.planned.related.get("targets")])
        changed += [w for w in targets if not w.created]
        audit.record_bulk_writes(
            created=[w.instance for w in agreements + parts + targets if w.created],
            changed=[(w.read, w.instance) for w in changed],
        )
        for write in agreements + parts + targets:
            if not write.created:
                self.recorder.changed(write.instance, write.before)
                continue
            self.recorder.created(write.instance, _recorded_fields(write))
            if isinstance(write.instance, Agreement):
                for instalment in instalments[write.instance.pk]:
                    self.recorder.created(instalment, ["sequence", "amount", "due_date"])

    def _targets(self, writes: list[_Write]) -> list[_Write]:
        """The indicators' targets by year the rows give, each from its year's start: a year's
        row changed where it has one, else made."""
        if not writes:
            return []
        stored = {
            (t.indicator_id, t.financial_year): t
            for t in IndicatorTarget.objects.filter(
                indicator__in=[w.instance.pk for w in writes], takes_effect_from__isnull=True
            )
        }
        made = []
        for write in writes:
            for values in write.planned.related["targets"]:
                row = stored.get((write.instance.pk, values["financial_year"]))
                if row is None:
                    row = IndicatorTarget(indicator=write.instance, **values)
                    made.append(_Write(write.planned, row))
                else:
                    before = imports.snapshot(row, TARGET_FIELDS)
                    read = importing.unsaved_copy(row)
                    for name, value in values.items():
                        setattr(row, name, value)
                    made.append(_Write(write.planned, row, read=read, before=before))
                _refuse(validation.errors(row, exclude=["indicator", "takes_effect_from"]))
        IndicatorTarget.objects.bulk_create(w.instance for w in made if w.created)
        _update(IndicatorTarget, [w for w in made if not w.created and _changes(w)])
        return [w for w in made if w.created or _changes(w)]

    def _set(self, instance, values: dict) -> None:
        """The file's values, an empty one only where the person asked for blanks and the
        field can be empty."""
        for field_name, value in values.items():
            # A text kept in both languages: the file's is the English.
            column = written.column(instance, field_name)
            if value not in (None, ""):
                setattr(instance, column, value)
                continue
            current = importing.current_value(instance, field_name)
            model_field = instance._meta.get_field(field_name)
            kept = model_field.is_relation or field_name in ("status", "reporting_frequency")
            blankable = model_field.null or not kept
            if blankable and current not in (None, "") and self.blank_fields:
                setattr(instance, column, _blank(instance, field_name))

    def _agreement(self, planned) -> _Write:
        reference = planned.key
        if planned.change == imports.CREATE:
            agreement = Agreement(funder=self.council, reference=reference)
            self.agreements[reference] = agreement
            write = _Write(planned, agreement)
        else:
            agreement = _read(self.agreements.get(reference))
            write = _Write(
                planned,
                agreement,
                read=importing.unsaved_copy(agreement),
                before=imports.snapshot(agreement, planned.values),
            )
        self._set(agreement, planned.values)
        _refuse(
            importing.agreement_errors(agreement, stored=write.read, allocations=self.allocations)
        )
        return write

    def _part(self, planned, model, key_field: str) -> _Write:
        reference, key = planned.key.split(":", 1)
        agreement = self.agreements[reference]
        key_value = int(key) if key_field == "number" else key
        if planned.change == imports.CREATE:
            part = model(agreement=agreement, **{key_field: key_value})
            if key_field == "code":
                self.indicators_of[agreement.pk] += 1
                part.order = self.indicators_of[agreement.pk]
            write = _Write(planned, part)
        else:
            part = _read(self.parts[model].get((agreement.pk, key_value)))
            write = _Write(
                planned,
                part,
                read=importing.unsaved_copy(part),
                before=imports.snapshot(part, planned.values),
            )
        self._set(part, planned.values)
        _refuse(validation.errors(part, exclude=["agreement"]))
        return write


def _read(record: Model | None) -> Model:
    """A record the plan changes, as read for the import: gone since the check, nothing is."""
    if record is None:
        raise ValidationError(imports.PLAN_CHANGED)
    return record


def _refuse(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _changes(write: _Write) -> bool:
    return imports.snapshot(write.instance, write.before) != write.before


def _recorded_fields(write: _Write) -> list[str]:
    if isinstance(write.instance, Agreement):
        return ["reference", *AGREEMENT_FIELDS]
    if isinstance(write.instance, IndicatorTarget):
        return ["indicator", *TARGET_FIELDS]
    key_field = "code" if isinstance(write.instance, PerformanceIndicator) else "number"
    return [key_field, *write.planned.values]


def _update(model: type[Model], writes: list[_Write]) -> None:
    """The records' changed fields, and the time each was modified, in one statement.

    `bulk_update` writes each field as a CASE listing every record, which the database reads
    through for each record it updates: 5,000 agreements took 50 s on PostgreSQL and two
    minutes on SQLite. Inserting each record as it now is, updating the one already under its
    key, takes one look-up a record. The records are locked first, so each is still there to be
    updated, never made anew.
    """
    if not writes:
        return
    pks = [w.instance.pk for w in writes]
    # The rows alone are locked, unordered: PostgreSQL refuses FOR UPDATE over the outer join a
    # model's ordering by a nullable relation adds (a year's target by the quarter it starts).
    rows = model.objects.select_for_update(of=("self",)).filter(pk__in=pks).order_by()
    locked = rows.values_list("pk", flat=True)
    if len(locked) < len(pks):
        raise ValidationError(imports.PLAN_CHANGED)  # one has been removed since the check
    stamped = {f.name for f in model._meta.concrete_fields if getattr(f, "auto_now", False)}
    model.objects.bulk_create(
        [w.instance for w in writes],
        update_conflicts=True,
        unique_fields=[model._meta.pk.name],
        update_fields=sorted(
            {
                column
                for w in writes
                for name in w.before
                for column in written.columns_of(model, name)
            }
            | stamped
        ),
    )


def _blank(instance, field_name: str):
    return None if instance._meta.get_field(field_name).null else ""
