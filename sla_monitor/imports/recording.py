"""What an import does to each record, kept with its batch, and undoing it: every record put
back as it was, in one transaction, unless someone has changed it since."""

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.contrib.admin.utils import NestedObjects
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sla_monitor import written
from sla_monitor.models import ImportBatch


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict:
    """The fields' values as JSON: a related record by its id, many by their sorted ids, a text
    kept in both languages from its English column (`title`) or its Welsh one (`title_cy`), as
    named, whatever language the import is read in."""
    values = {}
    for name in fields:
        model_field = instance._meta.get_field(name)
        if model_field.many_to_many:
            values[name] = sorted(getattr(instance, name).values_list("pk", flat=True))
        elif model_field.is_relation:
            values[name] = getattr(instance, model_field.attname)
        else:
            value = getattr(instance, written.column(instance, name))
            values[name] = _json(_as_stored(model_field, value))
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
            plain.append(model_field.attname)
        else:
            column = written.column(instance, name)
            setattr(instance, column, model_field.to_python(value))
            plain += written.saved_with(instance, column)
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


@dataclass(frozen=True)
class Counted:
    kind: str  # the records' name, in the plural when there are several
    count: int


@dataclass(frozen=True)
class WhatUndoDoes:
    removes: list[Counted]  # the records the import added
    puts_back: list[Counted]  # the records it changed


def what_undo_does(batch: ImportBatch) -> WhatUndoDoes:
    """How many records of each kind undoing the batch would remove and put back, without
    reading them: what the confirmation page tells the person before they undo it."""
    added, changed = Counter(), Counter()
    for change in batch.changes:
        (added if change["created"] else changed)[change["model"]] += 1
    return WhatUndoDoes(removes=_counted(added), puts_back=_counted(changed))


def _counted(counts: Counter) -> list[Counted]:
    counted = []
    for label, count in counts.items():
        meta = apps.get_model(label)._meta
        kind = meta.verbose_name if count == 1 else meta.verbose_name_plural
        counted.append(Counted(str(kind), count))
    return counted


@transaction.atomic
def undo(*, batch: ImportBatch, by) -> ImportBatch:
    """Put back everything the batch changed and remove what it created, all or nothing.

    Refused when any record has changed since the import, or removing one would remove
    something the import did not make (an update an owner added to an imported action)."""
    locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.status != ImportBatch.Status.IMPORTED:
        raise ValidationError(
            _("“%(file)s” is %(status)s, so there is nothing to undo.")
            % {"file": locked.file_name, "status": locked.get_status_display().lower()}
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
            [
                _("“%(file)s” cannot be undone, so nothing was changed:")
                % {"file": locked.file_name},
                *reasons,
            ]
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
    return _("%(kind)s “%(record)s”") % {
        "kind": model._meta.verbose_name,
        "record": instance or change["pk"],
    }


def _changed_since(change: dict, instance) -> str | None:
    if instance is None:
        if change["created"]:
            return _("The %(record)s it made has been removed.") % {
                "record": _name(change, instance)
            }
        return _("The %(record)s it changed has been removed.") % {
            "record": _name(change, instance)
        }
    if snapshot(instance, change["after"]) != change["after"]:
        return _("The %(record)s has been changed since.") % {"record": _name(change, instance)}
    return None


def _removes_more(change: dict, instance, created: set) -> str | None:
    """What removing a record the import made would also remove that it did not make."""
    collector = NestedObjects(using=instance._state.db)
    collector.collect([instance])
    if collector.protected:
        name = _name(change, instance)
        return _("Removing the %(record)s would also remove %(other)s.") % {
            "record": name,
            "other": next(iter(collector.protected)),
        }
    for model, objects in collector.data.items():
        # The rows linking it to its strands, say, and rows worked out from others (`derived`).
        if model._meta.auto_created or getattr(model, "derived", False):
            continue
        others = [o for o in objects if (model._meta.label_lower, o.pk) not in created]
        if others:
            name = _name(change, instance)
            return _("Removing the %(record)s would also remove %(other)s, added since.") % {
                "record": name,
                "other": others[0],
            }
    return None
