"""Who a council's funded services reached, set beside its area's population: the reach page and
its downloads.

The figures are the published beneficiary figures of the council's returns (rounded to multiples
of 5 in each return, `sla_monitor.suppression`) for a financial year (or one of its quarters),
optionally of one fund, summed by `grants.selectors.beneficiary_reach` and set beside the
population by `sla_monitor.reach.compare`. Every figure is a sum of published ones, so no choice
of year, quarter or fund, and no download, can be set against another to work out a count. A
fixed number of queries, however many agreements and returns.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, Max, OuterRef, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from equality_plans import selectors as plan_selectors
from equality_plans.models import PopulationProfile
from grants import permissions as grant_permissions
from grants.models import Agreement, BeneficiaryFigures, Fund, QuarterlyReturn
from grants.selectors import beneficiary_reach
from oversight import permissions
from sla_monitor.equality import CHARACTERISTICS
from sla_monitor.figures import Figure, Kind
from sla_monitor.models import Organisation
from sla_monitor.params import record_id
from sla_monitor.periods import financial_year_label, financial_year_of
from sla_monitor.reach import CharacteristicReach, Row, compare

QUARTERS = {
    1: gettext_lazy("Q1 (April to June)"),
    2: gettext_lazy("Q2 (July to September)"),
    3: gettext_lazy("Q3 (October to December)"),
    4: gettext_lazy("Q4 (January to March)"),
}


@dataclass(frozen=True)
class Choice:
    """What the page shows: a council, a financial year, and perhaps a quarter and a fund."""

    council: Organisation
    councils: list[Organisation]  # those the user may choose from (one, for council staff)
    year: int
    years: list[int]
    quarter: int | None
    fund: Fund | None
    funds: list[Fund]

    @property
    def label(self) -> str:
        period = financial_year_label(self.year)
        if self.quarter:
            period = _("Q%(quarter)s %(year)s") % {"quarter": self.quarter, "year": period}
        if self.fund:
            return _("%(period)s, %(fund)s") % {"period": period, "fund": self.fund.name}
        return period

    @property
    def slug(self) -> str:
        parts = [self.council.short_code or str(self.council.pk), str(self.year)]
        if self.quarter:
            parts.append(f"q{self.quarter}")
        if self.fund:
            parts.append(f"fund-{self.fund.pk}")
        return "-".join(parts)


def choose(user, asked, today: dt.date) -> Choice | None:
    """The council, year, quarter and fund asked for, where the user may have them; a value not
    offered is ignored. The year is, unless asked, the latest whose returns carry figures, else
    the current one. None when there is no council to show."""
    councils = list(permissions.reach_councils(user))
    chosen = record_id(asked.get("council", ""))
    council = next((c for c in councils if c.pk == chosen), None) or _default(councils)
    if council is None:
        return None
    returns = council_returns(user, council)
    years = set(returns.order_by().values_list("period__financial_year", flat=True).distinct())
    current = financial_year_of(today)
    latest = (
        returns.reported()
        .filter(Exists(BeneficiaryFigures.objects.filter(quarterly_return=OuterRef("pk"))))
        .aggregate(latest=Max("period__financial_year"))["latest"]
    )
    years = sorted(years | {current}, reverse=True)
    year = record_id(asked.get("year", ""))
    if year not in years:
        year = latest if latest is not None else current
    quarter = record_id(asked.get("quarter", ""))
    funds = list(Fund.objects.filter(council=council).order_by("name"))
    fund_id = record_id(asked.get("fund", ""))
    return Choice(
        council=council,
        councils=councils,
        year=year,
        years=years,
        quarter=quarter if quarter in QUARTERS else None,
        fund=next((f for f in funds if f.pk == fund_id), None),
        funds=funds,
    )


def _default(councils: list[Organisation]) -> Organisation | None:
    """A superuser who has not chosen sees the first council that funds anything."""
    if len(councils) <= 1:
        return councils[0] if councils else None
    funders = set(Agreement.objects.order_by().values_list("funder_id", flat=True).distinct())
    return next((c for c in councils if c.pk in funders), councils[0])


def council_returns(user, council: Organisation) -> QuerySet:
    """The returns of the council's agreements, as far as the user may read their figures."""
    agreements = grant_permissions.reach_agreements(user).filter(funder=council)
    return QuarterlyReturn.objects.filter(agreement__in=agreements.values("pk"))


# The report ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CharacteristicTable:
    """One characteristic's table, with what the page says beside it."""

    reach: CharacteristicReach
    not_collected_people: int | None  # people of the returns that did not collect it

    @property
    def characteristic(self):
        return self.reach.characteristic

    @property
    def groups(self) -> tuple[Row, ...]:
        return tuple(r for r in self.reach.rows if r.is_group)

    @property
    def categories(self) -> tuple[Row, ...]:
        return tuple(r for r in self.reach.rows if not r.is_group)


@dataclass(frozen=True)
class ReachReport:
    choice: Choice
    returns: int
    people: int
    profile: PopulationProfile | None
    sections: list[CharacteristicTable] = field(default_factory=list)

    @property
    def under_reached(self) -> list[tuple[CharacteristicTable, Row]]:
        return [(s, r) for s in self.sections for r in s.reach.under_reached]

    @property
    def compared(self) -> bool:
        return any(r.compared for s in self.sections for r in s.reach.rows)


def reach_report(user, choice: Choice) -> ReachReport:
    returns = council_returns(user, choice.council).filter(period__financial_year=choice.year)
    if choice.quarter:
        returns = returns.filter(period__quarter=choice.quarter)
    if choice.fund:
        returns = returns.filter(agreement__fund=choice.fund)
    reach = beneficiary_reach(returns)
    profile, population = plan_selectors.population_of(user, choice.council)
    tolerance = profile.under_reach_tolerance if profile else None
    sections = []
    for characteristic in CHARACTERISTICS:
        code = characteristic.code
        not_collected = reach.not_collected.get(code, 0)
        sections.append(
            CharacteristicTable(
                compare(
                    characteristic,
                    reach.counts.get(code, {}),
                    population.get(code),
                    tolerance,
                    not_collected_returns=not_collected,
                ),
                reach.not_collected_people.get(code, 0) if not_collected else None,
            )
        )
    return ReachReport(choice, reach.returns, reach.people_reached, profile, sections)


# Downloads -----------------------------------------------------------------------------------

EXPORT_HEADERS = [
    gettext_lazy("Characteristic"),
    gettext_lazy("Category or group"),
    gettext_lazy("Row"),
    gettext_lazy("People reached"),
    gettext_lazy("Share of people reached"),
    gettext_lazy("Area's share"),
    gettext_lazy("Difference (percentage points)"),
    gettext_lazy("Under-reached"),
]


def _percentage(value: Decimal | None) -> Figure | None:
    return None if value is None else Figure(value, Kind.PERCENTAGE)


NOT_JUDGED = gettext_lazy("Not judged: too few people")


def export_rows(report: ReachReport):
    """The page's tables, one row per category, group and unanswered count."""
    yield [_("All"), _("People reached"), _("Total"), report.people, None, None, None, ""]
    for section in report.sections:
        name = section.characteristic.name
        for row in section.reach.rows:
            difference = row.difference
            yield [
                name,
                row.label,
                _("Group") if row.is_group else _("Category"),
                row.reached,
                _percentage(row.share),
                _percentage(row.population),
                None if difference is None else Figure(difference),
                under_reached_text(row),
            ]
        for row in section.reach.unanswered:
            yield [name, row.label, _("Not answered"), row.reached, None, None, None, ""]
        yield [name, _("Everyone counted"), _("Total"), section.reach.total, None, None, None, ""]


def under_reached_text(row: Row) -> str:
    """What the download's "Under-reached" column says of a row."""
    if row.under_reached:
        return _("Under-reached by %(difference)s points") % {"difference": Figure(-row.difference)}
    return str(NOT_JUDGED) if row.too_few else ""
