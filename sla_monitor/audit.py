"""What the audit log reads, and how each app contributes to it.

Two kinds of record answer "who did what, when and why":
- an app's own history tables (a return's transitions, an instalment's decisions, an action's
  progress updates), which the app registers as a `Source`;
- the change history that django-auditlog keeps of every model an app `track`s: old and new
  values of each field, whether the change came from a page, the admin, the shell or a worker.

Apps register both from their `AppConfig.ready()`, each with the queryset of what a user may see,
so the log shows a person only what touches the records they may see. Reads only.
"""

import contextlib
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import reduce
from operator import or_

from auditlog.context import auditlog_disabled, auditlog_value, set_extra_data
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry, LogEntryManager
from auditlog.registry import auditlog
from auditlog.signals import pre_log
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db.models import (
    BigIntegerField,
    BooleanField,
    DateField,
    DateTimeField,
    Field,
    Model,
    Q,
    QuerySet,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.db.models.lookups import In
from django.db.models.signals import pre_save
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sla_monitor import roles

HISTORY = "history"
NOT_SET = gettext_lazy("not set")
VERBS = {
    LogEntry.Action.CREATE: gettext_lazy("Added %(kind)s “%(record)s”"),
    LogEntry.Action.UPDATE: gettext_lazy("Changed %(kind)s “%(record)s”"),
    LogEntry.Action.DELETE: gettext_lazy("Deleted %(kind)s “%(record)s”"),
}
RECORDED = gettext_lazy("Recorded %(kind)s “%(record)s”")


@dataclass(frozen=True)
class Event:
    at: dt.datetime
    kind: str
    who: object
    what: str
    details: str = ""
    why: str = ""
    where: str = ""

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]


@dataclass(frozen=True)
class Filters:
    actor_id: int | None = None
    since: dt.date | None = None
    until: dt.date | None = None


@dataclass(frozen=True)
class Page:
    """One page of the log, newest first, with what its page links need."""

    events: list[Event]
    number: int
    size: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.size + 1 if self.events else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * self.size + len(self.events)


@dataclass(frozen=True)
class Source:
    """An app's own history table: `events(user, filters, limit)` gives the latest `limit`
    events the user may see, newest first, in one query."""

    kind: str
    label: str
    events: Callable[[object, Filters, int], Iterable[Event]]


KINDS: dict[str, str] = {HISTORY: gettext_lazy("Record changed")}
SOURCES: dict[str, Source] = {}
TRACKED: dict[type[Model], list[Callable[[object], QuerySet]]] = {}
CREATED_IN_SOURCE: set[type[Model]] = set()
OWNED: dict[type[Model], tuple[str, Callable[[object], QuerySet]]] = {}


def register(source: Source) -> None:
    KINDS[source.kind] = source.label
    SOURCES[source.kind] = source


def shared_rows(model: type[Model]) -> Callable[[object], QuerySet]:
    """What a user may read of the history of rows every organisation shares (quarters, equality
    strands): all of it for a superuser, none for anyone else, since who changed a shared row,
    and from where, may be a person of another organisation."""

    def visible(user) -> QuerySet:
        rows = model._default_manager.all()
        return rows if roles.is_superuser(user) else rows.none()

    return visible


def track(
    model: type[Model],
    *,
    visible: Callable[[object], QuerySet],
    exclude_fields: Iterable[str] = (),
    m2m_fields: Iterable[str] = (),
    creation_recorded_by: str = "",
    owner: tuple[str, Callable[[object], QuerySet]] | None = None,
) -> None:
    """Keep the change history of `model`; `visible(user)` is what a user may read of it.

    Another app may track a model again to let more people read its history (a council reads
    the history of the providers it funds): the first call says which fields are kept. A model
    whose rows are themselves events of a `Source` names it in `creation_recorded_by`: their
    creation is that source's event, and only later changes are kept here.

    A model whose rows belong to another record gives `owner`: the key under which its
    `get_additional_data()` names that record's id, and what a user may see of such records. A
    deleted row is no longer among what `visible` finds: its history, its deletion included, is
    then read by whoever sees the record it belonged to."""
    if creation_recorded_by:
        CREATED_IN_SOURCE.add(model)
    if owner is not None:
        if not callable(getattr(model, "get_additional_data", None)):
            raise ImproperlyConfigured(f"{model.__name__} names no owner in its change history.")
        OWNED[model] = owner
    if model not in TRACKED:
        # A model's own columns only: the library would otherwise record its reverse relations.
        kept = [
            f.name
            for f in model._meta.concrete_fields
            if not f.primary_key and f.name not in set(exclude_fields)
        ]
        auditlog.register(model, include_fields=kept, m2m_fields=set(m2m_fields))
        TRACKED[model] = []
    TRACKED[model].append(visible)


def record_change(instance: Model, *, by, changes: dict[str, tuple[str, str]]) -> None:
    """A change of a tracked record that the library cannot see field by field (rows replaced
    as a set, or values it must not show), written as the app words it: {label: (old, new)}."""
    LogEntry.objects.log_create(
        instance, action=LogEntry.Action.UPDATE, changes=changes, actor=by, force_log=True
    )


class _UnsavedEntries(LogEntryManager):
    """The library's own way of making an entry, the entry kept unsaved: many are saved at once."""

    def create(self, **kwargs):
        return self.model(**kwargs)


def record_bulk_writes(
    *, created: Iterable[Model] = (), changed: Iterable[tuple[Model, Model]] = ()
) -> None:
    """The change history of records written with `bulk_create` or `bulk_update`, which send
    no signal for the library to act on: the entries a `save()` of each would have made, by the
    same person from the same address, saved in one query. `changed` pairs each record as it
    was read with the record as written. The related records each names must be at hand, as
    the history shows them by name."""
    if auditlog_disabled.get():
        return
    entries = _UnsavedEntries()
    entries.model = LogEntry
    writes = [(LogEntry.Action.CREATE, None, new) for new in created]
    writes += [(LogEntry.Action.UPDATE, old, new) for old, new in changed]
    kept = []
    for action, old, new in writes:
        if not auditlog.contains(type(new)):
            continue
        asked = pre_log.send(type(new), instance=new, action=action)
        if any(answer is False for _, answer in asked):
            continue
        changes = model_instance_diff(
            old,
            new,
            fields_to_check=None if old is None else _compared_on_save(type(new)),
            use_json_for_changes=settings.AUDITLOG_STORE_JSON_CHANGES,
        )
        if not changes:
            continue
        entry = entries.log_create(new, action=action, changes=changes)
        # What saving the entry would tell the library: who acts, and from where.
        pre_save.send(
            LogEntry, instance=entry, raw=False, using=LogEntry.objects.db, update_fields=None
        )
        kept.append(entry)
    LogEntry.objects.bulk_create(kept)


def _compared_on_save(model: type[Model]) -> list[str]:
    """The fields the library compares when a record is saved: it compares before the save
    stamps the time of the change, so never that."""
    return [f.name for f in model._meta.concrete_fields if not getattr(f, "auto_now", False)]


def _skip_creations_a_source_records(sender, action, **kwargs):
    if action == LogEntry.Action.CREATE and sender in CREATED_IN_SOURCE:
        return False
    return None


pre_log.connect(_skip_creations_a_source_records)


def latest(queryset: QuerySet, *, actor: str, at: str, filters: Filters, limit: int) -> QuerySet:
    """A source's rows narrowed by the filters, newest first, at most `limit` of them."""
    if filters.actor_id:
        queryset = queryset.filter(**{f"{actor}_id": filters.actor_id})
    if filters.since:
        queryset = queryset.filter(**{f"{at}__date__gte": filters.since})
    if filters.until:
        queryset = queryset.filter(**{f"{at}__date__lte": filters.until})
    return queryset.order_by(f"-{at}", "-pk")[:limit]


# How far back pages go; further back, the reader narrows the log by date.
LAST_PAGE = 100


def events_page(user, *, kind: str = "", filters: Filters, number: int, size: int) -> Page:
    """Page `number` of the events the user may see, `size` to a page, newest first.

    The events come from several tables (each source's own and the change history), so no one
    query pages them all. Each table is read newest first with its limit in the database: the
    newest number * size + 1 of its rows, in one query. Merged, the newest number * size of all
    of them are the pages up to this one, whatever table each came from, and one more says
    whether there is a page after it. A page so costs one query a table, and reads rows in
    proportion to how far back it is, never to how much history is kept; `LAST_PAGE` bounds
    that, beyond which the date filters reach further back."""
    number = min(max(number, 1), LAST_PAGE)
    shown = (number - 1) * size
    merged = recent_events(user, kind=kind, filters=filters, limit=number * size + 1)
    return Page(
        events=merged[shown : shown + size],
        number=number,
        size=size,
        has_next=len(merged) > shown + size and number < LAST_PAGE,
    )


def recent_events(user, *, kind: str = "", filters: Filters, limit: int = 200) -> list[Event]:
    """The latest `limit` events of each kind asked for that the user may see, merged."""
    events: list[Event] = []
    for source in SOURCES.values():
        if kind in ("", source.kind):
            events.extend(source.events(user, filters, limit))
    if kind in ("", HISTORY):
        events.extend(_history(user, filters, limit))
    return sorted(events, key=lambda e: e.at, reverse=True)[:limit]


def _history(user, filters: Filters, limit: int) -> Iterable[Event]:
    entries = LogEntry.objects.select_related("actor", "content_type")
    if not roles.is_superuser(user):
        entries = entries.filter(_visible_entries(user))
    for entry in latest(entries, actor="actor", at="timestamp", filters=filters, limit=limit):
        model = entry.content_type.model_class()
        name = model._meta.verbose_name if model else entry.content_type.model
        yield Event(
            entry.timestamp,
            HISTORY,
            entry.actor,
            str(VERBS.get(entry.action, RECORDED)) % {"kind": name, "record": entry.object_repr},
            details=describe_changes(model, entry.changes_dict),
            where=entry.remote_addr or "",
        )


@contextlib.contextmanager
def acting_as(user):
    """Changes made inside are recorded as `user`'s, from where the request came: for a person
    who is not signed in yet when they act, such as someone accepting an invitation."""
    try:
        outer = auditlog_value.get()
    except LookupError:
        outer = {}
    context = {k: v for k, v in outer.items() if k != "signal_duid"}
    with set_extra_data(context_data={**context, "actor": user}):
        yield
    if outer:
        # The library leaves its context var on the inner value; the request's own resumes.
        auditlog_value.set(outer)


def _visible_entries(user) -> Q:
    """Entries about the records the user may see now, one condition per tracked model, and
    about rows, deleted or not, that belong to a record the user sees."""
    return visible_to(user, type_field="content_type", id_field="object_id") | _of_owners(user)


def _of_owners(user) -> Q:
    conditions = [
        Q(content_type=ContentType.objects.get_for_model(model))
        & Q(
            In(
                Cast(KeyTextTransform(key, "additional_data"), BigIntegerField()),
                owners(user).values("pk"),
            )
        )
        for model, (key, owners) in OWNED.items()
    ]
    return reduce(or_, conditions, Q(pk__in=[]))


def visible_to(user, *, type_field: str, id_field: str) -> Q:
    """Rows that point (by content type and id) at a record of a tracked model the user sees."""
    conditions = [
        Q(
            **{
                type_field: ContentType.objects.get_for_model(model),
                f"{id_field}__in": visible(user).values("pk"),
            }
        )
        for model, visibles in TRACKED.items()
        for visible in visibles
    ]
    return reduce(or_, conditions, Q(pk__in=[]))


def describe_changes(model: type[Model] | None, changes: dict) -> str:
    """ "Field: old → new" for each field a history entry records, in the model's own words and
    with each value as a page shows it (see `shown`)."""
    parts = []
    for name, change in changes.items():
        field = _field(model, name)
        label = capfirst(str(getattr(field, "verbose_name", name)))
        if isinstance(change, dict):  # a many-to-many change
            objects = ", ".join(change.get("objects", []))
            verb = _("added") if change.get("operation") == "add" else _("removed")
            parts.append(f"{label} {verb}: {objects}")
            continue
        old, new = change
        parts.append(f"{label}: {shown(field, old)} → {shown(field, new)}")
    return "; ".join(parts)


def _field(model: type[Model] | None, name: str) -> Field | None:
    """The model's field of that name; None for a change the app recorded under its own label
    (`record_change`), or of a model no longer known."""
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def shown(field: Field | None, value) -> str:
    """A value as the history keeps it, as a person reads it: a choice by its label, a yes or
    no, a date or time as the app writes dates (the history keeps a time in UTC, to the
    microsecond), and "not set" for nothing. A related record is kept by its name already
    (`AUDITLOG_USE_FK_STRING_REPRESENTATION`), so showing one asks the database nothing."""
    if value in (None, "", "None"):
        return str(NOT_SET)
    if field is None:
        return str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, BooleanField):
        return str(_("Yes") if value in (True, "True") else _("No"))
    try:
        if isinstance(field, DateTimeField):
            moment = dt.datetime.fromisoformat(str(value))
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment, dt.UTC)
            return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")
        if isinstance(field, DateField):
            return formats.date_format(dt.date.fromisoformat(str(value)[:10]), "DATE_FORMAT")
    except ValueError:
        pass
    return str(value)
