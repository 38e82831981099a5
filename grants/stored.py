"""Figures stored when what they summarise changes, so that a page sums columns instead of
working history out again on every request.

What is kept, and from what:
- each answer's RAG, its year to date and the target it was judged against (`grants.rag`, with
  the year to date of `add_year_to_date`): they move with its own figures, its return's status,
  an earlier quarter's return of the same year, the indicator's targets and the agreement's
  reporting frequency;
- each status change's timing (days late at a first submission, days to decide at a decision,
  days with the provider at a resubmission after changes were asked for), and on each return its
  days late and the days its latest decision took;
- each agreement's RAG counts: its latest submitted or approved return's answers, by RAG;
- the returns each agreement owes (`ReturnDue`): every quarter it reports in whose return has
  never been submitted.

`refresh(agreement_ids)` works all of them out again for those agreements from their history and
writes what differs, in a fixed number of queries however many agreements. Every service that
changes one of the inputs calls it inside its own transaction, so a figure is never seen out of
step with what it summarises; `rebuild()` runs it over every agreement (the `rebuild_figures`
command), and reports how many rows were wrong.
"""

from collections import Counter
from collections.abc import Iterable
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from grants.lifecycle import NEVER_SUBMITTED, ReturnStatus
from grants.models import (
    Agreement,
    IndicatorAnswer,
    QuarterlyReturn,
    ReportingPeriod,
    ReturnDue,
    ReturnTransition,
    add_year_to_date,
    targets_prefetch,
)
from grants.models.returns import REPORTED
from grants.rag import Rag
from grants.selectors.results import ResultRow

# How many agreements a rebuild reads at a time.
CHUNK = 200
# How many rows one UPDATE writes: Django's `bulk_update` is one CASE branch a row, and a long
# CASE costs the database far more than a few shorter statements; PostgreSQL joins a list of
# values instead, in far larger batches.
BATCH = 200
VALUES_BATCH = 5000
CENT = Decimal("0.01")
Timing = ReturnTransition.Timing

ANSWERS = "answers' RAG, year to date and target"
TRANSITIONS = "status changes' timing"
RETURNS = "returns' days late and days to decide"
AGREEMENTS = "agreements' RAG counts"
DUE = "returns owed"
FIGURES = (ANSWERS, TRANSITIONS, RETURNS, AGREEMENTS, DUE)


def refresh(agreement_ids: Iterable[int], *, write: bool = True) -> Counter:
    """Work out the stored figures of the agreements again and write those that differ; how many
    rows of each figure differed (`FIGURES`). With `write` False nothing is written."""
    changed = Counter(dict.fromkeys(FIGURES, 0))
    changed.update(_refresh(sorted(set(agreement_ids)), write))
    return changed


def refresh_agreement(agreement: Agreement | int) -> None:
    """`refresh` of one agreement, for the services: after they wrote, in their transaction."""
    refresh([agreement if isinstance(agreement, int) else agreement.pk])


def rebuild(*, write: bool = True) -> Counter:
    """Every agreement's stored figures worked out again from history (`refresh`), a few hundred
    agreements at a time, so that its memory stays flat however many there are."""
    ids = list(Agreement.objects.order_by("pk").values_list("pk", flat=True))
    changed = Counter(dict.fromkeys(FIGURES, 0))
    for start in range(0, len(ids), CHUNK):
        changed.update(_refresh(ids[start : start + CHUNK], write))
    return changed


def _refresh(ids: list[int], write: bool) -> Counter:
    agreements = Agreement.objects.in_bulk(ids)
    returns = {
        r.pk: r
        for r in QuarterlyReturn.objects.filter(agreement_id__in=ids).select_related("period")
    }
    for quarterly_return in returns.values():
        quarterly_return.agreement = agreements[quarterly_return.agreement_id]
    changed = Counter()
    changed[ANSWERS], rags = _answers(agreements, returns, write)
    changed[TRANSITIONS], changed[RETURNS] = _timings(returns, write)
    changed[AGREEMENTS] = _rag_counts(agreements, returns, rags, write)
    changed[DUE] = _returns_due(agreements, returns, write)
    return changed


def _cents(value: Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(CENT)


def _answers(agreements: dict, returns: dict, write: bool) -> tuple[int, dict]:
    """Each answer's RAG, year to date and target; and, by return, how many of its answers are
    of each RAG, for the agreements' counts."""
    answers = list(
        IndicatorAnswer.objects.filter(quarterly_return__agreement_id__in=list(agreements))
        .select_related("indicator")
        .prefetch_related(targets_prefetch("indicator__"))
        .order_by("pk")
    )
    for answer in answers:
        answer.quarterly_return = returns[answer.quarterly_return_id]
    add_year_to_date(answers)
    stale = []
    rags: dict[int, Counter] = {}
    for answer in answers:
        row = ResultRow(answer)
        figures = (
            row.rag.value if row.rag else "",
            _cents(answer.year_to_date),
            _cents(row.expected_to_date),
        )
        if figures != (answer.rag, _cents(answer.year_total), _cents(answer.judged_target)):
            answer.rag, answer.year_total, answer.judged_target = figures
            stale.append(answer)
        rags.setdefault(answer.quarterly_return_id, Counter())[answer.rag] += 1
    if write and stale:
        _write(IndicatorAnswer, stale, ["rag", "year_total", "judged_target"])
    return len(stale), rags


def _timings(returns: dict, write: bool) -> tuple[int, int]:
    """Each status change's timing and days, and each return's days late and days to decide,
    from the returns' transitions in the order they happened."""
    transitions = ReturnTransition.objects.filter(quarterly_return_id__in=list(returns)).order_by(
        "quarterly_return_id", "at", "pk"
    )
    stale_transitions = []
    found: dict[int, dict] = {pk: {"days_late": None, "days_to_decide": None} for pk in returns}
    submitted_at, sent_back_at = {}, {}
    for transition in transitions.only("quarterly_return_id", "to_status", "at", "timing", "days"):
        return_id, at = transition.quarterly_return_id, transition.at
        timing, days = "", None
        if transition.to_status == ReturnStatus.SUBMITTED:
            if return_id not in submitted_at:
                due = returns[return_id].period.due_date
                timing, days = Timing.LATE, max(0, (timezone.localtime(at).date() - due).days)
                found[return_id]["days_late"] = int(days)
            elif (start := sent_back_at.pop(return_id, None)) is not None:
                timing, days = Timing.REWORKED, _days(start, at)
            submitted_at[return_id] = at
        elif transition.to_status in (ReturnStatus.APPROVED, ReturnStatus.CHANGES_REQUESTED):
            if (start := submitted_at.get(return_id)) is not None:
                timing, days = Timing.DECIDED, _days(start, at)
                found[return_id]["days_to_decide"] = days
                submitted_at[return_id] = None
            if transition.to_status == ReturnStatus.CHANGES_REQUESTED:
                sent_back_at[return_id] = at
        if (transition.timing, transition.days) != (timing, days):
            transition.timing, transition.days = timing, days
            stale_transitions.append(transition)
    stale_returns = []
    for return_id, figures in found.items():
        quarterly_return = returns[return_id]
        now = (quarterly_return.days_late, quarterly_return.days_to_decide)
        if now != (figures["days_late"], figures["days_to_decide"]):
            quarterly_return.days_late = figures["days_late"]
            quarterly_return.days_to_decide = figures["days_to_decide"]
            stale_returns.append(quarterly_return)
    if write:
        _write(ReturnTransition, stale_transitions, ["timing", "days"])
        _write(QuarterlyReturn, stale_returns, ["days_late", "days_to_decide"])
    return len(stale_transitions), len(stale_returns)


def _days(start, end) -> float:
    return round((end - start).total_seconds() / 86400, 4)


def _rag_counts(agreements: dict, returns: dict, rags: dict, write: bool) -> int:
    """Each agreement's RAG counts of its latest reported return."""
    latest: dict[int, QuarterlyReturn] = {}
    for quarterly_return in returns.values():
        if quarterly_return.status not in REPORTED:
            continue
        kept = latest.get(quarterly_return.agreement_id)
        if kept is None or quarterly_return.period.start_date > kept.period.start_date:
            latest[quarterly_return.agreement_id] = quarterly_return
    fields = ["rag_period_id", "rag_red", "rag_amber", "rag_green"]
    stale = []
    for agreement in agreements.values():
        quarterly_return = latest.get(agreement.pk)
        counts = rags.get(quarterly_return.pk, Counter()) if quarterly_return else Counter()
        figures = (
            quarterly_return.period_id if quarterly_return else None,
            counts[Rag.RED.value],
            counts[Rag.AMBER.value],
            counts[Rag.GREEN.value],
        )
        if figures != tuple(getattr(agreement, name) for name in fields):
            for name, value in zip(fields, figures, strict=True):
                setattr(agreement, name, value)
            stale.append(agreement)
    if write:
        _write(Agreement, stale, ["rag_period", "rag_red", "rag_amber", "rag_green"])
    return len(stale)


def _returns_due(agreements: dict, returns: dict, write: bool) -> int:
    """The quarters each agreement reports in whose return was never submitted, as rows."""
    if not agreements:
        return 0
    by_key = {(r.agreement_id, r.period_id): r for r in returns.values()}
    wanted = {}
    for period in ReportingPeriod.objects.within_any(agreements.values()):
        for agreement in agreements.values():
            if not agreement.reports_in(period):
                continue
            quarterly_return = by_key.get((agreement.pk, period.pk))
            if quarterly_return is None or quarterly_return.status in NEVER_SUBMITTED:
                wanted[agreement.pk, period.pk] = (
                    period.due_date,
                    quarterly_return.pk if quarterly_return else None,
                )
    kept = {
        (row.agreement_id, row.period_id): row
        for row in ReturnDue.objects.filter(agreement_id__in=list(agreements))
    }
    gone = [row.pk for key, row in kept.items() if key not in wanted]
    new, stale = [], []
    for (agreement_id, period_id), (due_date, return_id) in wanted.items():
        row = kept.get((agreement_id, period_id))
        if row is None:
            new.append(
                ReturnDue(
                    agreement_id=agreement_id,
                    period_id=period_id,
                    due_date=due_date,
                    quarterly_return_id=return_id,
                )
            )
        elif (row.due_date, row.quarterly_return_id) != (due_date, return_id):
            row.due_date, row.quarterly_return_id = due_date, return_id
            stale.append(row)
    if write:
        ReturnDue.objects.filter(pk__in=gone).delete()
        _write(ReturnDue, stale, ["due_date", "quarterly_return"])
        ReturnDue.objects.bulk_create(new)
    return len(gone) + len(new) + len(stale)


def _write(model, rows: list, fields: list[str]) -> None:
    """Write the `fields` of `rows`, already read and changed. On PostgreSQL one UPDATE joins a
    list of values a few thousand rows at a time, which writes a council's whole history in
    seconds where `bulk_update`'s CASE takes minutes; elsewhere, `bulk_update`."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_update(rows, fields, batch_size=BATCH)
        return
    quote = connection.ops.quote_name
    columns = [model._meta.get_field(name) for name in fields]
    names = ", ".join(["id", *(quote(c.column) for c in columns)])
    sets = ", ".join(
        f"{quote(c.column)} = v.{quote(c.column)}::{c.db_type(connection)}" for c in columns
    )
    row = "(" + ", ".join(["%s"] * (len(columns) + 1)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), VALUES_BATCH):
            chunk = rows[start : start + VALUES_BATCH]
            # Only the model's own table and column names are written into the statement; every
            # value is a parameter.
            sql = (
                f"UPDATE {quote(model._meta.db_table)} AS t SET {sets} "  # nosec B608
                f"FROM (VALUES {', '.join([row] * len(chunk))}) AS v({names}) WHERE t.id = v.id"
            )
            cursor.execute(
                sql,
                [
                    value
                    for obj in chunk
                    for value in (obj.pk, *(getattr(obj, c.attname) for c in columns))
                ],
            )
