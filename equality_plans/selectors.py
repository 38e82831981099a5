"""Reads of the equality plans: scoped through sla_monitor.access, a fixed number of queries."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery

from equality_plans.models import Action, ActionPlan, EqualityStrand, ProgressUpdate, RagStatus
from sla_monitor import access

RAG_ORDER = [RagStatus.RED, RagStatus.AMBER, RagStatus.GREEN, RagStatus.COMPLETED]
NO_UPDATE_LABEL = "No update"


def visible_plans(user) -> QuerySet:
    return access.visible_plans(user).annotate(action_count=Count("actions", distinct=True))


def latest_rag():
    """The RAG of an action's latest progress update, for annotating actions."""
    return _latest("rag_status")


def _latest(field: str):
    latest = ProgressUpdate.objects.filter(action=OuterRef("pk")).order_by(
        "-financial_year", "-is_year_end", "-quarter", "-created_at", "-pk"
    )
    return Subquery(latest.values(field)[:1])


def with_strand_list():
    """Each action's strands as a plain list, `strand_list`. Prefetched into `strands.all()`,
    Django builds a filtered queryset for every action, which on a page of a hundred actions
    cost more than the rest of the page's reads together."""
    return Prefetch(
        "strands", queryset=EqualityStrand.objects.order_by("order"), to_attr="strand_list"
    )


# What the plan page's table shows of an action; the page reads no more than that.
LISTED_FIELDS = (
    "plan_id",
    "number",
    "order",
    "wording",
    "lead_responsibility",
    "timescale",
    "due_date",
    "section__number",
    "section__title",
)


def plan_actions(plan: ActionPlan, *, listed_only: bool = False) -> QuerySet:
    """The plan's actions, joined once, each with its strands and its latest RAG: everything
    exports, reports and an action's page show, or with `listed_only` just the page's columns."""
    actions = (
        Action.objects.filter(plan=plan)
        .prefetch_related(with_strand_list())
        .annotate(latest_rag=_latest("rag_status"))
        .order_by("order", "pk")
    )
    if listed_only:
        return actions.select_related("section").only(*LISTED_FIELDS)
    return actions.select_related("section", "objective", "owner").annotate(
        latest_progress=_latest("narrative")
    )


def filtered_actions(
    plan: ActionPlan, data, *, materialise: bool = True, listed_only: bool = False
) -> tuple:
    from equality_plans.filters import ActionFilter

    filterset = ActionFilter(data, queryset=plan_actions(plan, listed_only=listed_only), plan=plan)
    return filterset, list(filterset.qs) if materialise else filterset.qs


def rag_summary(actions: QuerySet) -> "RagCounts":
    """RAG counts of all the filtered actions, in one query, however many pages they span."""
    counts = Counter(
        dict(actions.order_by().values_list("latest_rag").annotate(n=Count("pk", distinct=True)))
    )
    return RagCounts("All actions", counts)


def is_overdue(action: Action, today: dt.date) -> bool:
    return bool(
        action.due_date
        and action.due_date < today
        and action.latest_rag not in (RagStatus.GREEN, RagStatus.COMPLETED)
    )


@dataclass
class RagCounts:
    label: str
    counts: Counter

    @property
    def labelled(self) -> list[tuple[str, int]]:
        return list(zip(RAG_HEADINGS, self.cells, strict=True))

    @property
    def cells(self) -> list[int]:
        return [self.counts.get(r.value, 0) for r in RAG_ORDER] + [self.counts.get(None, 0)]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def rag_counts(actions: list[Action]) -> RagCounts:
    return RagCounts("All actions", Counter(a.latest_rag for a in actions))


def rag_by_section(actions: list[Action]) -> list[RagCounts]:
    sections: dict = {}
    for action in actions:
        sections.setdefault(action.section, Counter())[action.latest_rag] += 1
    return [RagCounts(str(section), counts) for section, counts in sections.items()]


def rag_by_strand(actions: list[Action], strands: list[EqualityStrand]) -> list[RagCounts]:
    """RAG counts for each strand; an action for ALL strands counts for every strand."""
    rows = []
    for strand in strands:
        counts = Counter(
            a.latest_rag
            for a in actions
            if any(s.pk == strand.pk or s.covers_all for s in a.strand_list)
        )
        rows.append(RagCounts(f"{strand.code}: {strand.name}", counts))
    return rows


RAG_HEADINGS = [r.label for r in RAG_ORDER] + [NO_UPDATE_LABEL]


def action_detail(action: Action) -> dict:
    """The action's progress history and what the funded agreements that deliver it achieved."""
    from grants.selectors import latest_approved_results

    history = list(
        action.progress_updates.select_related("author").order_by(
            "-financial_year", "-is_year_end", "-quarter", "-created_at"
        )
    )
    return {
        "history": history,
        "funded_results": latest_approved_results(action.performance_indicators.all()),
    }


@dataclass
class Coverage:
    strand: EqualityStrand
    direct: int
    through_all: int

    @property
    def total(self) -> int:
        return self.direct + self.through_all


def strand_coverage(plan: ActionPlan) -> list[Coverage]:
    """How many actions address each strand; an action for ALL strands counts for each."""
    actions = list(
        Action.objects.filter(plan=plan).prefetch_related(with_strand_list()).only("pk", "plan_id")
    )
    all_strands = sum(1 for a in actions if any(s.covers_all for s in a.strand_list))
    rows = []
    for strand in EqualityStrand.objects.filter(covers_all=False).order_by("order"):
        direct = sum(
            1
            for a in actions
            if any(s.pk == strand.pk for s in a.strand_list)
            and not any(s.covers_all for s in a.strand_list)
        )
        rows.append(Coverage(strand, direct, all_strands))
    return rows


@dataclass
class IndicatorTrend:
    indicator: object
    values: list

    @property
    def trend(self) -> str:
        if len(self.values) < 2:
            return "Not enough values yet"
        previous, latest = self.values[-2].value, self.values[-1].value
        if latest == previous:
            return "No change"
        better = latest > previous if self.indicator.higher_is_better else latest < previous
        return "Improving" if better else "Getting worse"


def plan_indicators(plan: ActionPlan) -> list[IndicatorTrend]:
    from equality_plans.models import Indicator, IndicatorValue
    from grants.models import PerformanceIndicator

    indicators = (
        Indicator.objects.filter(sections__plan=plan)
        .distinct()
        .prefetch_related(
            Prefetch("values", queryset=IndicatorValue.objects.order_by("measured_on")),
            Prefetch(
                "performance_indicators",
                queryset=PerformanceIndicator.objects.select_related("agreement"),
            ),
        )
        .order_by("code")
    )
    return [IndicatorTrend(i, list(i.values.all())) for i in indicators]
