"""Reads of the equality plans: scoped through equality_plans.permissions, a fixed number of
queries however many rows."""

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q, QuerySet

from equality_plans import permissions
from equality_plans.filters import ActionFilter
from equality_plans.importing import KIND
from equality_plans.models import (
    Action,
    ActionPlan,
    EqualityStrand,
    Indicator,
    IndicatorValue,
    PopulationProfile,
    ProgressUpdate,
    ProtectedCharacteristic,
    RagStatus,
    latest_progress,
)
from grants.selectors import DeliveredReach, delivered_reach, latest_approved_results
from sla_monitor import equality
from sla_monitor.models import ImportBatch
from sla_monitor.periods import quarter_dates
from sla_monitor.reach import CharacteristicReach, Row, compare

RAG_ORDER = [RagStatus.RED, RagStatus.AMBER, RagStatus.GREEN, RagStatus.COMPLETED]
NO_UPDATE_LABEL = "No update"
# A characteristic with more categories than this is broken down by its groups where it can be.
COMPACT_CATEGORIES = 10


def plans_with_counts(user) -> QuerySet:
    return permissions.visible_plans(user).annotate(action_count=Count("actions", distinct=True))


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


def plan_actions(plan: ActionPlan, today: dt.date, *, listed_only: bool = False) -> QuerySet:
    """The plan's actions, joined once, each with its strands, its latest RAG and whether it is
    overdue: everything exports, reports and an action's page show, or with `listed_only` just
    the page's columns."""
    actions = (
        Action.objects.filter(plan=plan)
        .prefetch_related(with_strand_list())
        .with_overdue(today)
        .order_by("order", "pk")
    )
    if listed_only:
        return actions.select_related("section").only(*LISTED_FIELDS)
    return actions.select_related("section", "objective", "owner").annotate(
        latest_progress=latest_progress("narrative")
    )


def filtered_actions(
    plan: ActionPlan,
    data,
    today: dt.date,
    *,
    materialise: bool = True,
    listed_only: bool = False,
) -> tuple:
    filterset = ActionFilter(
        data, queryset=plan_actions(plan, today, listed_only=listed_only), plan=plan, today=today
    )
    return filterset, list(filterset.qs) if materialise else filterset.qs


def rag_summary(actions: QuerySet) -> "RagCounts":
    """RAG counts of all the filtered actions, in one query, however many pages they span."""
    counts = Counter(
        dict(actions.order_by().values_list("latest_rag").annotate(n=Count("pk", distinct=True)))
    )
    return RagCounts("All actions", counts)


def overdue_actions_by_plan(user, today: dt.date) -> list[tuple[ActionPlan, int]]:
    """(plan, number of overdue actions) for each plan of the user's own council."""
    plans = list(permissions.own_plans(user).order_by("title"))
    overdue = dict(
        Action.objects.filter(plan__in=plans)
        .overdue(today)
        .order_by()
        .values("plan")
        .annotate(count=Count("pk"))
        .values_list("plan", "count")
    )
    return [(plan, overdue.get(plan.pk, 0)) for plan in plans]


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


def action_detail(action: Action, user, today: dt.date) -> dict:
    """The action's progress history, which of its updates the user may still correct, and what
    the funded agreements that deliver it achieved."""
    history = list(
        action.progress_updates.select_related("author").order_by(
            "-financial_year", "-is_year_end", "-quarter", "-created_at"
        )
    )
    return {
        "history": history,
        "correctable": {
            u.pk
            for u in history
            if permissions.can_correct_progress(user, u) and u.is_correctable(today)
        },
        "funded_results": latest_approved_results(action.performance_indicators.all()),
    }


@dataclass
class Coverage:
    """How many of a plan's actions address a protected characteristic (or another strand):
    those that name it specifically, and those that reach it only by being tagged ALL."""

    label: str
    codes: list[str]
    specific: int
    through_all: int
    characteristic: str = ""  # its code in sla_monitor.equality; empty for another strand
    # Who the grants delivering the plan reached in it (`coverage_with_reach`).
    reach: CharacteristicReach | None = None
    breakdown: tuple[Row, ...] = ()

    @property
    def total(self) -> int:
        return self.specific + self.through_all

    @property
    def unaddressed(self) -> bool:
        """No action names it: an action "for all strands" is no plan for it."""
        return self.specific == 0


@dataclass
class StrandCoverage:
    characteristics: list[Coverage]
    other_strands: list[Coverage]
    actions: int
    tagged_all: int


@dataclass(frozen=True)
class StrandKey:
    """The strands, what each names and the nine characteristics: what coverage is read with."""

    strands: list[EqualityStrand]
    named_by: dict[int, set[int]]
    characteristics: list[ProtectedCharacteristic]

    @property
    def all_codes(self) -> set[int]:
        return {s.pk for s in self.strands if s.covers_all}

    def naming(self, characteristic: ProtectedCharacteristic) -> list[EqualityStrand]:
        """The strands that name the characteristic."""
        return [s for s in self.strands if characteristic.pk in self.named_by[s.pk]]


def strand_key() -> StrandKey:
    """Three queries; which characteristics each strand names is read as pairs of ids."""
    strands = list(EqualityStrand.objects.order_by("order"))
    named_by: dict[int, set[int]] = {s.pk: set() for s in strands}
    for strand_id, characteristic_id in EqualityStrand.characteristics.through.objects.values_list(
        "equalitystrand_id", "protectedcharacteristic_id"
    ):
        named_by[strand_id].add(characteristic_id)
    return StrandKey(strands, named_by, list(ProtectedCharacteristic.objects.order_by("order")))


def coverage_of(strands_of: dict[int, set[int]], key: StrandKey) -> StrandCoverage:
    """Coverage of the actions given as {action id: its strand ids}: for each characteristic, and
    each strand that names none, the actions that name it and those that reach it only through
    ALL; an action that names it and is tagged ALL too counts once, as naming it."""
    tagged_all = {a for a, ids in strands_of.items() if ids & key.all_codes}

    def coverage(label: str, codes: list[str], naming: set[int], code: str = "") -> Coverage:
        specific = {a for a, ids in strands_of.items() if ids & naming}
        return Coverage(label, codes, len(specific), len(tagged_all - specific), code)

    characteristics = []
    for characteristic in key.characteristics:
        naming = key.naming(characteristic)
        characteristics.append(
            coverage(
                characteristic.name,
                [s.code for s in naming],
                {s.pk for s in naming},
                characteristic.code,
            )
        )
    other_strands = [
        coverage(s.name, [s.code], {s.pk})
        for s in key.strands
        if not key.named_by[s.pk] and not s.covers_all
    ]
    return StrandCoverage(characteristics, other_strands, len(strands_of), len(tagged_all))


def strand_coverage(plan: ActionPlan) -> StrandCoverage:
    """For each of the nine protected characteristics, and each strand that names none (community
    cohesion, say), the actions of the plan that address it (`coverage_of`). Four queries."""
    strands_of: dict[int, set[int]] = {}
    # One row per action and strand, and one for an action with none (its strand is None).
    for action_id, strand_id in (
        Action.objects.filter(plan=plan).order_by().values_list("pk", "strands")
    ):
        strands_of.setdefault(action_id, set())
        if strand_id is not None:
            strands_of[action_id].add(strand_id)
    return coverage_of(strands_of, strand_key())


def coverage_with_reach(plan: ActionPlan, user) -> tuple[StrandCoverage, DeliveredReach]:
    """The plan's strand coverage, each characteristic with the people reached in it by the
    grants that deliver the plan: the agreements whose performance indicators are linked to its
    actions or to its indicators, among those whose figures the user may read. Their returns in
    the plan's period count, or if none has figures, those of the latest financial year that has.
    The figures are the published ones, rounded to multiples of 5 in each return and added up
    (`grants.selectors.beneficiary_reach`). At most ten queries."""
    coverage = strand_coverage(plan)
    delivered = delivered_reach(
        user,
        [
            Action.performance_indicators.through.objects.filter(action__plan=plan).values(
                "performanceindicator_id"
            ),
            Indicator.performance_indicators.through.objects.filter(
                indicator__sections__plan=plan
            ).values("performanceindicator_id"),
        ],
        start=plan.start_date,
        end=plan.end_date,
    )
    if delivered.has_figures:
        reach = delivered.reach
        for row in coverage.characteristics:
            row.reach = compare(
                equality.characteristic(row.characteristic),
                reach.counts.get(row.characteristic, {}),
                not_collected_returns=reach.not_collected.get(row.characteristic, 0),
            )
            row.breakdown = compact_rows(row.reach)
    return coverage, delivered


def compact_rows(table: CharacteristicReach) -> tuple[Row, ...]:
    """A short breakdown of one characteristic's table: its categories, or where it has many (the
    ethnic groups) the groups that divide them without overlapping; then the unanswered. Counts
    of none are left out."""
    categories = {r.code: r for r in table.rows if not r.is_group}
    rows = list(categories.values())
    if len(rows) > COMPACT_CATEGORIES:
        groups = {r.code: r for r in table.rows if r.is_group}
        covered: set[str] = set()
        rows = []
        for group in table.characteristic.groups:
            if covered & set(group.members):
                continue
            covered |= set(group.members)
            rows.append(groups[group.code])
        rows.extend(r for code, r in categories.items() if code not in covered)
    return tuple(r for r in (*rows, *table.unanswered) if r.reached)


# A council's equality objectives, for its annual equality information report ---------------------


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
        summary=RagCounts("All actions", Counter(rag.values())),
        by_characteristic=by_characteristic,
        coverage=coverage,
        updated_in_year=sum(
            1 for a in actions if a.year_update and a.year_update.financial_year == financial_year
        ),
    )


@dataclass
class IndicatorTrend:
    indicator: object
    values: list

    @property
    def readings(self) -> list[tuple[dt.date, str]]:
        """Each value's date and the value as it reads, with its unit."""
        return [(v.measured_on, self.indicator.reading(v.value)) for v in self.values]

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
    indicators = (
        Indicator.objects.filter(sections__plan=plan)
        .distinct()
        .prefetch_related(
            Prefetch("values", queryset=IndicatorValue.objects.order_by("measured_on")),
            "performance_indicators__agreement",
        )
        .order_by("code")
    )
    return [IndicatorTrend(i, list(i.values.all())) for i in indicators]


# Exports: the columns of a plan's actions as a spreadsheet, in seed 004's headings ----------

ACTION_EXPORT_HEADERS = [
    "No",
    "Section",
    "Objective",
    "ES & CC",
    "Action",
    "Link to Statutory Returns, Key Strategies & Plans",
    "Lead Responsibility",
    "Timescale",
    "Due date",
    "Monitored By",
    "Partner authorities",
    "Outcome",
    "Latest RAG",
    "Latest progress",
    "Overdue",
]


def action_export_rows(actions) -> Iterable[list]:
    """The rows under `ACTION_EXPORT_HEADERS`, for actions read with `plan_actions`."""
    rag_labels = dict(RagStatus.choices)
    for a in actions:
        yield [
            a.number,
            str(a.section),
            str(a.objective) if a.objective else "",
            ", ".join(s.code for s in a.strand_list),
            a.wording,
            a.linked_strategies,
            a.lead_responsibility,
            a.timescale,
            a.due_date,
            a.monitored_by,
            a.partner_authorities_text,
            a.outcome,
            rag_labels.get(a.latest_rag, ""),
            a.latest_progress or "",
            "Yes" if a.overdue else "No",
        ]


def import_history(plan: ActionPlan) -> QuerySet:
    """The files imported into the plan, newest first, with who checked and who undid them."""
    return (
        ImportBatch.objects.filter(
            kind=KIND,
            target_type=ContentType.objects.get_for_model(ActionPlan),
            target_id=plan.pk,
        )
        .exclude(status=ImportBatch.Status.CHECKED)
        .select_related("checked_by", "undone_by")
        .defer("rows", "changes")
    )


# The area's population -----------------------------------------------------------------------


def population_of(user, council) -> tuple[PopulationProfile | None, dict[str, dict[str, Decimal]]]:
    """The council's population profile, if recorded and the user may read it, and its shares
    by characteristic and category or group: two queries."""
    profile = permissions.visible_population_profiles(user).filter(council=council).first()
    shares: dict[str, dict[str, Decimal]] = defaultdict(dict)
    if profile is not None:
        for share in profile.shares.all():
            shares[share.characteristic][share.category] = share.share
    return profile, dict(shares)
