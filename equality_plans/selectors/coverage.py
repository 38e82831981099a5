"""Which protected characteristics (and other strands) a plan's actions address, and who the
grants delivering the plan reached in each."""

from dataclasses import dataclass

from django.utils.translation import gettext

from equality_plans.models import (
    Action,
    ActionPlan,
    EqualityStrand,
    Indicator,
    ProtectedCharacteristic,
)
from grants.selectors import DeliveredReach, delivered_reach
from sla_monitor import equality
from sla_monitor.reach import CharacteristicReach, Row, compare

# A characteristic with more categories than this is broken down by its groups where it can be.
COMPACT_CATEGORIES = 10


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
                gettext(characteristic.name),
                [s.code for s in naming],
                {s.pk for s in naming},
                characteristic.code,
            )
        )
    other_strands = [
        coverage(gettext(s.name), [s.code], {s.pk})
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
