"""Who the grants reach: a return's figures of the people its service worked with, and the
published figures summed over many returns."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q, QuerySet, Sum

from grants import beneficiaries, permissions
from grants.models import (
    Agreement,
    BeneficiaryCount,
    BeneficiaryFigures,
    CharacteristicNotCollected,
    PerformanceIndicator,
    QuarterlyReturn,
)
from sla_monitor.periods import financial_year_label


def beneficiary_section(quarterly_return: QuarterlyReturn) -> beneficiaries.Section:
    """The return's figures of the people its service worked with, as entered and as published,
    in three queries whether it has any or not."""
    people, people_published = (
        BeneficiaryFigures.objects.filter(quarterly_return=quarterly_return)
        .values_list("people_reached", "people_reached_published")
        .first()
    ) or (None, 0)
    section = beneficiaries.Section(
        people_reached=people, published=beneficiaries.Published(people_published, {})
    )
    for characteristic, category, count, published in BeneficiaryCount.objects.filter(
        figures__quarterly_return=quarterly_return
    ).values_list("characteristic", "category", "count", "published"):
        section.counts.setdefault(characteristic, {})[category] = count
        section.published.counts.setdefault(characteristic, {})[category] = published
    section.not_collected = dict(
        CharacteristicNotCollected.objects.filter(
            figures__quarterly_return=quarterly_return
        ).values_list("characteristic", "reason")
    )
    return section


@dataclass
class Reach:
    """Published beneficiary figures summed over a set of returns: three queries, however many
    returns.

    Every figure is a sum of the returns' published figures (rounded to multiples of 5 in each
    return, `sla_monitor.suppression`), never of their counts as entered: this is what anyone but
    a return's provider reads, and a sum of published figures gives nothing away that the
    figures it adds up do not. `counts[characteristic][category]` are people;
    `not_collected[characteristic]` is how many returns did not collect it, and
    `people_counted(characteristic)` the people its counts cover (the people reached by the
    returns that collected it: the sum rule, which rounding keeps, makes the two agree).
    """

    returns: int = 0
    people_reached: int = 0
    counts: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))
    not_collected: dict[str, int] = field(default_factory=dict)
    not_collected_people: dict[str, int] = field(default_factory=dict)

    def people_counted(self, characteristic: str) -> int:
        return self.people_reached - self.not_collected_people.get(characteristic, 0)


def beneficiary_reach(returns: QuerySet) -> Reach:
    """The published beneficiary figures of the given returns (already scoped by the caller),
    summed. Only returns submitted or approved count: a draft's figures may still change."""
    reported = returns.reported().values("pk")
    figures = BeneficiaryFigures.objects.filter(quarterly_return__in=reported)
    totals = figures.aggregate(returns=Count("pk"), people=Sum("people_reached_published"))
    reach = Reach(returns=totals["returns"], people_reached=totals["people"] or 0)
    for row in (
        BeneficiaryCount.objects.filter(figures__in=figures)
        .order_by()
        .values("characteristic", "category")
        .annotate(people=Sum("published"))
    ):
        reach.counts[row["characteristic"]][row["category"]] = row["people"]
    for row in (
        CharacteristicNotCollected.objects.filter(figures__in=figures)
        .order_by()
        .values("characteristic")
        .annotate(returns=Count("pk"), people=Sum("figures__people_reached_published"))
    ):
        reach.not_collected[row["characteristic"]] = row["returns"]
        reach.not_collected_people[row["characteristic"]] = row["people"]
    return reach


@dataclass
class DeliveredReach:
    """Who the agreements delivering something (a plan's actions and indicators) reached: the
    figures of their returns within the span asked for or, where none has any, of the latest
    financial year that has."""

    agreements: list[Agreement]
    reach: Reach
    in_span: bool = False
    financial_year: int | None = None  # the year the figures are of, when not the span

    @property
    def has_figures(self) -> bool:
        return self.reach.returns > 0

    @property
    def year_label(self) -> str:
        return financial_year_label(self.financial_year) if self.financial_year else ""


def delivered_reach(
    user, indicator_ids: Iterable[QuerySet], *, start: dt.date, end: dt.date
) -> DeliveredReach:
    """The beneficiary figures of the agreements the given performance indicators belong to (each
    of `indicator_ids` a queryset of ids), among those whose figures the user may read. Five
    queries at most, however many indicators, agreements or returns."""
    linked = Q(pk__in=[])
    for ids in indicator_ids:
        linked |= Q(pk__in=PerformanceIndicator.objects.filter(pk__in=ids).values("agreement_id"))
    agreements = list(
        permissions.reach_agreements(user)
        .filter(linked)
        .only("pk", "reference", "title")
        .order_by("reference")
    )
    if not agreements:
        return DeliveredReach(agreements, Reach())
    with_figures = (
        QuarterlyReturn.objects.filter(agreement__in=agreements, beneficiary_figures__isnull=False)
        .reported()
        .order_by()
    )
    span = Q(period__start_date__lte=end, period__end_date__gte=start)
    found = with_figures.aggregate(
        in_span=Count("pk", filter=span), latest=Max("period__financial_year")
    )
    if found["in_span"]:
        return DeliveredReach(agreements, beneficiary_reach(with_figures.filter(span)), True)
    if found["latest"] is None:
        return DeliveredReach(agreements, Reach())
    year = found["latest"]
    returns = with_figures.filter(period__financial_year=year)
    return DeliveredReach(agreements, beneficiary_reach(returns), False, year)


@dataclass
class CouncilReach:
    """The beneficiary figures a council's funded services reported for a financial year."""

    reach: Reach
    organisations: int  # funded organisations whose returns carry figures
    agreements: int


def returns_reach(returns: QuerySet) -> CouncilReach:
    """`beneficiary_reach` of the returns (already scoped by the caller), with how many funded
    organisations and agreements the figures come from: four queries."""
    reach = beneficiary_reach(returns)
    who = BeneficiaryFigures.objects.filter(
        quarterly_return__in=returns.reported().values("pk")
    ).aggregate(
        organisations=Count("quarterly_return__agreement__provider_id", distinct=True),
        agreements=Count("quarterly_return__agreement_id", distinct=True),
    )
    return CouncilReach(reach, who["organisations"], who["agreements"])


def years_with_figures(returns: QuerySet) -> list[int]:
    """The financial years in which the returns (already scoped by the caller) that were reported
    carry beneficiary figures."""
    return sorted(
        returns.reported()
        .filter(beneficiary_figures__isnull=False)
        .values_list("period__financial_year", flat=True)
        .distinct()
        .order_by()
    )
