"""The annual equality information report: what a council publishes each year under the Public
Sector Equality Duty (Equality Act 2010, section 149, and the specific duties regulations 2011).

It joins the two domains: the council's equality objectives (the plans it owns or is a partner in)
with their actions' progress by protected characteristic, the equality impact assessments it
signed off in the year, and who its funded services reached set beside its area's population.
The report is for publication, so every count of people in it is a sum of the published figures
of returns, rounded to multiples of 5 in each return (`sla_monitor.suppression`), and under-reach
is judged from those alone (`sla_monitor.reach`).
"""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext

from equality_plans import permissions as plan_permissions
from equality_plans import selectors as plan_selectors
from equality_plans.assessments import selectors as assessment_selectors
from equality_plans.models import ActionPlan, PopulationProfile
from grants import selectors as grant_selectors
from oversight.reach import council_returns
from sla_monitor import equality
from sla_monitor.models import Organisation
from sla_monitor.periods import financial_year_label, financial_year_of, financial_years
from sla_monitor.reach import CharacteristicReach, Row, compare

# What it says ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unaddressed:
    """A protected characteristic no action of the council's objectives names."""

    name: str
    through_all: int  # actions that reach it only by being for all strands


@dataclass(frozen=True)
class UnderReached:
    characteristic: str
    row: Row


@dataclass(frozen=True)
class Comparison:
    """One characteristic's table as the report prints it: categories no one was counted in and
    the population has no share for are left out."""

    table: CharacteristicReach

    @property
    def rows(self) -> list[Row]:
        return [r for r in self.table.rows if _worth_a_row(r)]

    @property
    def unanswered(self) -> list[Row]:
        return [r for r in self.table.unanswered if _worth_a_row(r)]


def _worth_a_row(row: Row) -> bool:
    return row.compared or bool(row.reached)


@dataclass
class EqualityReport:
    council: Organisation
    financial_year: int
    made_on: dt.date
    objectives: list[plan_selectors.PlanProgress]
    delivered_plans: list[ActionPlan]  # other councils' plans its grants deliver
    reach: grant_selectors.CouncilReach
    profile: PopulationProfile | None
    comparisons: list[Comparison]
    # The equality impact assessments the council signed off in the year.
    assessments: list[assessment_selectors.AssessmentOfYear]

    rag_headings = plan_selectors.RAG_HEADINGS

    @property
    def label(self) -> str:
        return financial_year_label(self.financial_year)

    @property
    def people_reached(self) -> int:
        return self.reach.reach.people_reached

    @property
    def has_figures(self) -> bool:
        return self.reach.reach.returns > 0

    @property
    def counted(self) -> list[Comparison]:
        """The characteristics the funded services counted anyone for."""
        return [c for c in self.comparisons if c.table.counted]

    @property
    def uncounted(self) -> list[CharacteristicReach]:
        return [c.table for c in self.comparisons if not c.table.counted]

    @property
    def unaddressed(self) -> list[Unaddressed]:
        """Characteristics no action of any objective names: named by no strand an action carries,
        or reached only through actions for all strands."""
        if not self.objectives:
            return []
        across = zip(*(p.coverage.characteristics for p in self.objectives), strict=True)
        return [
            Unaddressed(rows[0].label, sum(row.through_all for row in rows))
            for rows in across
            if all(row.unaddressed for row in rows)
        ]

    @property
    def under_reached(self) -> list[UnderReached]:
        return [
            UnderReached(gettext(c.table.characteristic.name), row)
            for c in self.comparisons
            for row in c.table.under_reached
        ]

    @property
    def tolerance(self):
        return self.profile.under_reach_tolerance if self.profile else None


def report_years(user, council: Organisation, plans: list[ActionPlan], today: dt.date) -> list[int]:
    """The financial years a report can be made for, up to the current one: those its
    objectives (`plan_selectors.council_plans`) run in and those its funded services reported
    figures for. One query."""
    current = financial_year_of(today)
    years = set(grant_selectors.years_with_figures(council_returns(user, council)))
    for plan in plans:
        years.update(financial_years(plan.start_date, plan.end_date))
    return sorted(y for y in years | {current} if y <= current)


def equality_report(
    user, council: Organisation, plans: list[ActionPlan], financial_year: int, today: dt.date
) -> EqualityReport:
    """The council's report for the year, from its objectives (`plan_selectors.council_plans`),
    in a fixed number of queries however many plans, actions and returns."""
    returns = council_returns(user, council).filter(period__financial_year=financial_year)
    reach = grant_selectors.returns_reach(returns)
    profile, population = plan_selectors.population_of(user, council)
    tolerance = profile.under_reach_tolerance if profile else None
    comparisons = []
    if reach.reach.returns:
        for characteristic in equality.CHARACTERISTICS:
            code = characteristic.code
            table = compare(
                characteristic,
                reach.reach.counts.get(code, {}),
                population.get(code),
                tolerance,
                not_collected_returns=reach.reach.not_collected.get(code, 0),
            )
            comparisons.append(Comparison(table))
    in_force = plan_selectors.in_force(plans, financial_year)
    return EqualityReport(
        council=council,
        financial_year=financial_year,
        made_on=today,
        objectives=plan_selectors.objectives_progress(in_force, council.pk, financial_year),
        delivered_plans=plan_selectors.plans_delivered_by(council.pk),
        reach=reach,
        profile=profile,
        comparisons=comparisons,
        assessments=assessment_selectors.assessments_of_year(
            council, financial_year, among=plan_permissions.visible_assessments(user)
        ),
    )
