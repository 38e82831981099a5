"""Versions of what pages show, and the parts of pages kept by them.

A version is an opaque token in Django's shared cache, one for each thing a kept part of a page
shows: the whole site's reference data (`SITE`: quarters, organisations' and people's names,
strands), a council's grants (`council(pk)`), an agreement, a return and a plan. A kept part's
key carries the versions of what it shows, so it is never stale: a write moves the versions of
what it changed, and the next reader misses and renders afresh.

- **Reading** several versions is one round trip (`get_many`). A version missing from the cache
  (never made, or evicted) is made with `cache.add`, a fresh random token, so an evicted version
  can never bring back a part kept under an earlier one.
- **Moving** a version sets a new random token once the writing transaction commits
  (`transaction.on_commit`): a rolled-back write moves nothing, and no reader can keep a part
  drawn from the rows as they were before the commit under the version that follows it.
- **What moves which version** is one table per app, registered from `AppConfig.ready()`:
  `watch(Model, what)` connects the model's saves and deletes, and `what(instance)` names what
  the row belongs to, from the row alone, without a query. A name may be of a kind that is
  not itself kept ("instalment:7"); the app registers, with `expand(kind, parents)`, how such
  names lead, in one query for all of them, to the versions they move. That work is done after
  the commit, once for everything the transaction wrote. Saves that only record a read (a
  sign-in's `last_login`) are left out by naming the fields that matter (`fields=`). A write
  that sends no signal (`QuerySet.update`, `bulk_create`) calls `move` itself.

The core knows no app's models: the apps tell it what belongs to what.
"""

import hashlib
import secrets
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_save, pre_delete
from django.utils.safestring import SafeString, mark_safe

SITE = "site"
# The kinds of version kept in the cache; other kinds only lead to these (`expand`).
KEPT = frozenset({"site", "council", "agreement", "return", "plan"})
PREFIX = "version:"
# A kept part's longest life: its key names the day anyway, so that a part whose wording
# depends on the date (overdue, past due) is drawn again each day.
PART_TIMEOUT = 24 * 60 * 60

_parents: dict[str, list[Callable[[list[int]], Iterable[str]]]] = defaultdict(list)


def council(pk: int) -> str:
    return f"council:{pk}"


def agreement(pk: int) -> str:
    return f"agreement:{pk}"


def quarterly_return(pk: int) -> str:
    return f"return:{pk}"


def plan(pk: int) -> str:
    return f"plan:{pk}"


def read(*names: str) -> dict[str, str]:
    """The current token of each named version, in one round trip; a missing one is made."""
    keys = {PREFIX + name: name for name in names}
    found = cache.get_many(list(keys))
    for key in keys:
        if key not in found:
            token = secrets.token_hex(8)
            # Another process may have made it meanwhile: theirs stands, and is read back.
            if not cache.add(key, token, timeout=None):
                token = cache.get(key) or token
            found[key] = token
    return {name: found[key] for key, name in keys.items()}


def part_key(part: str, *, versions: Iterable[str], vary: Iterable = ()) -> str:
    """The cache key of a kept part of a page: the part's name, the tokens of the versions it
    shows, and whatever else it depends on (the viewer's scope, the query string, the day, the
    language), hashed to a fixed length."""
    names = sorted(set(versions))
    tokens = read(*names)
    described = "\n".join(
        [*(f"{name}={tokens[name]}" for name in names), *(str(value) for value in vary)]
    )
    return f"part:{part}:{hashlib.sha256(described.encode()).hexdigest()}"


def kept(
    part: str, *, versions: Iterable[str], vary: Iterable, draw: Callable[[], str]
) -> SafeString:
    """The part as kept under its key, else drawn by `draw()` (a template's output, escaped
    there) and kept."""
    key = part_key(part, versions=versions, vary=vary)
    html = cache.get(key)
    if html is None:
        html = str(draw())
        cache.set(key, html, timeout=PART_TIMEOUT)
    return mark_safe(html)  # nosec B308 B703: drawn by our own templates


class _Move:
    """The versions a transaction's writes move, queued with `transaction.on_commit`."""

    def __init__(self, names: set[str]):
        self.names = names

    def __call__(self) -> None:
        _move_now(self.names)


def move(*names: str) -> None:
    """Move these versions on (and those they lead to) once the current transaction commits; at
    once outside a transaction. Writes made under the same savepoints share one queued move, so
    a transaction that saves a hundred rows moves each version once, and a savepoint rolled
    back takes its moves with it, as Django does with every callback queued under it."""
    if not names:
        return
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        savepoints = set(connection.savepoint_ids)
        for queued_under, func, _ in reversed(connection.run_on_commit):
            if isinstance(func, _Move) and queued_under == savepoints:
                func.names.update(names)
                return
    transaction.on_commit(_Move(set(names)))


def _move_now(names: set[str]) -> None:
    moved = closure(names)
    if moved:
        cache.set_many({PREFIX + name: secrets.token_hex(8) for name in moved}, timeout=None)


def closure(names: Iterable[str]) -> set[str]:
    """The kept versions these names lead to, through the apps' `expand` rules."""
    seen: set[str] = set()
    todo = set(names)
    while todo:
        seen |= todo
        by_kind: dict[str, list[int]] = defaultdict(list)
        for name in todo:
            kind, _, pk = name.partition(":")
            if pk:
                by_kind[kind].append(int(pk))
        found: set[str] = set()
        for kind, pks in by_kind.items():
            for parents in _parents.get(kind, ()):
                found.update(parents(pks))
        todo = found - seen
    return {name for name in seen if name.partition(":")[0] in KEPT}


def expand(kind: str, parents: Callable[[list[int]], Iterable[str]]) -> None:
    """Names of `kind` also move what `parents(pks)` names (one query for all the pks)."""
    _parents[kind].append(parents)


def watch(
    model,
    what: Callable[[object], Iterable[str]],
    *,
    fields: Iterable[str] | None = None,
) -> None:
    """Each save and delete of `model` moves the versions `what(instance)` names, after commit.
    A delete is seen before it is made, while what the row links to is still there to read.
    With `fields`, a save that names its `update_fields` and none of these moves nothing."""
    watched = frozenset(fields) if fields is not None else None
    uid = f"versions:{model._meta.label}:{what.__module__}.{what.__qualname__}"

    def saved(sender, instance, raw=False, update_fields=None, **kwargs):
        if raw or (watched is not None and update_fields and not watched & set(update_fields)):
            return
        move(*what(instance))

    def deleted(sender, instance, **kwargs):
        move(*what(instance))

    post_save.connect(saved, sender=model, weak=False, dispatch_uid=uid)
    pre_delete.connect(deleted, sender=model, weak=False, dispatch_uid=uid)


def watch_links(through, what: Callable[[object, bool, set | None], Iterable[str]]) -> None:
    """A many-to-many link's additions, removals and clearing move the versions
    `what(instance, reverse, pk_set)` names (`pk_set` is None when a link is cleared)."""

    def changed(sender, instance, action, reverse, pk_set, **kwargs):
        if action in {"post_add", "post_remove", "post_clear"}:
            move(*what(instance, reverse, pk_set))

    m2m_changed.connect(
        changed, sender=through, weak=False, dispatch_uid=f"versions:{through._meta.label}"
    )
