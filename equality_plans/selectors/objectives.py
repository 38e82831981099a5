"""A council's equality objectives, for its annual equality information report: the plans it
owns or is a partner in, the plans its funded services deliver, and where each plan's actions
stood at the end of a financial year."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext

from equality_plans.models import Action, ActionPlan, ProgressUpdate, latest_progress
from equality_plans.selectors.actions import RagCounts, with_strand_list
from equality_plans.selectors.coverage import (
    Coverage,
    StrandCoverage,
    StrandKey,
    coverage_of,
    strand_key,
)
from sla_monitor.periods import quarter_dates


def council_plans(council_id: int) -> list[ActionPlan]:
    """The plans the council owns or is a partner in: its equality objectives. One query."""
    return list(
        ActionPlan.objects.filter(Q(owner_id=council_id) | Q(partner_councils__id=council_id))
        .distinct()
        .select_related("owner")
        .order_by("start_date", "title")
    )


def plans_delivered_by(council_id: int) -> list[ActionPlan]:
    """Other councils' plans that the council's funded agreements deliver: an action or an
    indicator of theirs is linked to one of the agreements' performance indicators. One query."""
    return list(
        ActionPlan.objects.delivered_by(council_id)
        .exclude(owner_id=council_id)
        .exclude(pk__in=ActionPlan.objects.partnered_by(council_id).values("pk"))
        .select_related("owner")
        .order_by("title")
    )


def in_force(plans: list[ActionPlan], financial_year: int) -> list[ActionPlan]:
    """The plans that run for some of the financial year."""
    first, last = quarter_dates(financial_year, 1)[0], quarter_dates(financial_year, 4)[1]
    return [p for p in plans if p.start_date <= last and p.end_date >= first]


@dataclass
class CharacteristicProgress:
    """A plan's actions that name a protected characteristic, by their RAG at the year's end."""

    coverage: Coverage
    rag: RagCounts


@dataclass
class PlanProgress:
    plan: ActionPlan
    partner: bool  # the council is one of its partners, not its owner
    actions: list[Action]  # each with `year_update`, its latest update up to the year's end
    summary: RagCounts
    by_characteristic: list[CharacteristicProgress]
    coverage: StrandCoverage
    updated_in_year: int  # actions with an update for the year itself


def objectives_progress(
    plans: list[ActionPlan], council_id: int, financial_year: int
) -> list[PlanProgress]:
    """Each plan's actions with their RAG at the end of the financial year (their latest update
    for that year or an earlier one), counted for the whole plan and for each protected
    characteristic the actions name, with the plan's strand coverage. Seven queries, however
    many plans, actions and updates."""
    if not plans:
        return []
    annotated = Action.objects.filter(plan__in=plans).annotate(
        year_update_id=latest_progress("pk", up_to_year=financial_year)
    )
    actions = list(
        annotated.prefetch_related(with_strand_list())
        .only("plan_id", "number", "order", "wording")
        .order_by("order", "pk")
    )
    updates = {
        u.pk: u for u in ProgressUpdate.objects.filter(pk__in=annotated.values("year_update_id"))
    }
    key = strand_key()
    by_plan: dict[int, list[Action]] = {plan.pk: [] for plan in plans}
    for action in actions:
        action.year_update = updates.get(action.year_update_id)
        by_plan[action.plan_id].append(action)
    return [
        _plan_progress(plan, by_plan[plan.pk], key, council_id, financial_year) for plan in plans
    ]


def _plan_progress(
    plan: ActionPlan, actions: list[Action], key: StrandKey, council_id: int, financial_year: int
) -> PlanProgress:
    strands_of = {a.pk: {s.pk for s in a.strand_list} for a in actions}
    rag = {a.pk: a.year_update.rag_status if a.year_update else None for a in actions}
    coverage = coverage_of(strands_of, key)
    by_characteristic = []
    for row, characteristic in zip(coverage.characteristics, key.characteristics, strict=True):
        naming = {s.pk for s in key.naming(characteristic)}
        counts = Counter(rag[a] for a, ids in strands_of.items() if ids & naming)
        by_characteristic.append(CharacteristicProgress(row, RagCounts(row.label, counts)))
    return PlanProgress(
        plan=plan,
        partner=plan.owner_id != council_id,
        actions=actions,
        summary=RagCounts(gettext("All actions"), Counter(rag.values())),
        by_characteristic=by_characteristic,
        coverage=coverage,
        updated_in_year=sum(
            1 for a in actions if a.year_update and a.year_update.financial_year == financial_year
        ),
    )
