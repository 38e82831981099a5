"""Figures the equality plans keep on their rows, written when what they summarise changes, so
that a page reads a column rather than working them out from history on every request.

An action keeps the RAG status of its latest progress update (`Action.latest_rag`). Every
service that adds, corrects or removes an update calls `refresh_latest_rag` in its own
transaction; `rebuild` works every figure out again from history, and says how many were wrong.
The figures are written with `update()`, so the change history, which keeps what people did,
holds none of them.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import BooleanField, Case, F, Q, Value, When

from equality_plans.models import Action, latest_progress

LATEST_RAG = "action latest RAG"


@transaction.atomic
def refresh_latest_rag(action_ids: Iterable[int]) -> None:
    """Write each action's latest RAG from its progress updates.

    The actions are locked first, so that the update that works it out reads every update
    committed before it, not only those its transaction began with: two people recording and
    correcting at once leave the figure of the later one."""
    locked = list(
        Action.objects.select_for_update()
        .filter(pk__in=list(action_ids))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if locked:
        Action.objects.filter(pk__in=locked).update(latest_rag=latest_progress("rag_status"))


def rebuild(*, write: bool = True) -> dict[str, int]:
    """Work every stored figure of the equality plans out again from history, and how many rows
    held a wrong one, by figure; with `write=False` only count them."""
    with transaction.atomic():
        wrong = list(_wrong_latest_rag().values_list("pk", flat=True))
        if write and wrong:
            refresh_latest_rag(wrong)
    return {LATEST_RAG: len(wrong)}


def _wrong_latest_rag():
    """The actions whose stored latest RAG is not their latest update's (nulls compared as
    equal: an action with no update keeps none)."""
    return Action.objects.annotate(
        derived_rag=latest_progress("rag_status"),
        rag_right=Case(
            When(
                Q(latest_rag=F("derived_rag"))
                | Q(latest_rag__isnull=True, derived_rag__isnull=True),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        ),
    ).filter(rag_right=False)
