"""Reads of agreements' budgets: each year's lines against its allocation and the spend last
reported, and the agreements whose last reported spend is off budget beyond the threshold."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import OuterRef, Subquery

from grants import budgets
from grants.models import Agreement, BudgetLine, QuarterlyReturn, ReportingPeriod, SpendAnswer
from grants.models.returns import REPORTED
from sla_monitor import periods


@dataclass
class BudgetYear:
    """One financial year of an agreement's budget."""

    financial_year: int
    allocation: Decimal
    lines: list[BudgetLine] = field(default_factory=list)
    # The spend the latest reported return of the year gave, by line, and that return's period.
    spent: dict[int, Decimal] = field(default_factory=dict)
    reported_in: ReportingPeriod | None = None

    @property
    def label(self) -> str:
        return periods.financial_year_label(self.financial_year)

    @property
    def budget(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))

    @property
    def difference(self) -> Decimal:
        """The lines' total less the allocation: above 0, the lines ask for more."""
        return self.budget - self.allocation

    @property
    def spent_total(self) -> Decimal | None:
        if self.reported_in is None:
            return None
        return sum(self.spent.values(), Decimal("0.00"))

    @property
    def share_percent(self) -> Decimal | None:
        if self.reported_in is None:
            return None
        share = budgets.share_of_year_gone(self.reported_in.end_date, self.financial_year)
        return (share * budgets.HUNDRED).quantize(Decimal("1"))

    @property
    def expected_total(self) -> Decimal | None:
        if self.reported_in is None:
            return None
        share = budgets.share_of_year_gone(self.reported_in.end_date, self.financial_year)
        return budgets.expected_to_date(self.budget, share)


def budget_years(agreement: Agreement) -> list[BudgetYear]:
    """Every financial year of the agreement with its lines, allocation and the spend last
    reported in it: three queries."""
    years = {
        year: BudgetYear(year, Decimal("0.00"))
        for year in periods.financial_years(agreement.start_date, agreement.end_date)
    }
    for instalment in agreement.instalments.all():
        year = years.get(periods.financial_year_of(instalment.due_date))
        if year is not None:
            year.allocation += instalment.amount
    for line in BudgetLine.objects.filter(agreement=agreement).select_related("own_heading"):
        if line.financial_year in years:
            years[line.financial_year].lines.append(line)
    answers = (
        SpendAnswer.objects.filter(
            budget_line__agreement=agreement,
            quarterly_return__status__in=REPORTED,
            spent_to_date__isnull=False,
        )
        .select_related("quarterly_return__period", "budget_line")
        .order_by("quarterly_return__period__start_date")
    )
    for answer in answers:
        year = years.get(answer.budget_line.financial_year)
        if year is None:
            continue
        period = answer.quarterly_return.period
        if year.reported_in is None or period.start_date > year.reported_in.start_date:
            year.reported_in, year.spent = period, {}
        year.spent[answer.budget_line_id] = answer.spent_to_date
    return list(years.values())


@dataclass
class SpendAlert:
    """An agreement whose latest reported spend is off its budget beyond the fund's threshold."""

    agreement: Agreement
    quarterly_return: QuarterlyReturn
    rows: list[budgets.SpendRow]

    @property
    def overspent(self) -> list[budgets.SpendRow]:
        return [row for row in self.rows if row.variance > 0]

    @property
    def underspent(self) -> list[budgets.SpendRow]:
        return [row for row in self.rows if row.variance < 0]


def spend_alerts(agreements) -> list[SpendAlert]:
    """Of `agreements` (a queryset already scoped to the user), those whose latest reported
    return with spend has a line beyond the fund's threshold: two queries however many."""
    latest = Subquery(
        QuarterlyReturn.objects.filter(
            agreement=OuterRef("pk"), status__in=REPORTED, spend_answers__isnull=False
        )
        .order_by("-period__start_date")
        .values("pk")[:1]
    )
    return_ids = [
        pk
        for pk in agreements.annotate(latest_spend=latest).values_list("latest_spend", flat=True)
        if pk is not None
    ]
    answers = (
        SpendAnswer.objects.filter(quarterly_return_id__in=return_ids, spent_to_date__isnull=False)
        .select_related(
            "budget_line__own_heading",
            "quarterly_return__period",
            "quarterly_return__agreement__fund",
            "quarterly_return__agreement__provider",
        )
        .order_by("quarterly_return__agreement__reference", "budget_line__order")
    )
    by_return: dict[int, list[SpendAnswer]] = defaultdict(list)
    for answer in answers:
        by_return[answer.quarterly_return_id].append(answer)
    alerts = []
    for given in by_return.values():
        quarterly_return = given[0].quarterly_return
        period, fund = quarterly_return.period, quarterly_return.agreement.fund
        threshold = fund.variance_threshold if fund is not None else budgets.DEFAULT_THRESHOLD
        share = budgets.share_of_year_gone(period.end_date, period.financial_year)
        rows = [budgets.SpendRow(a.budget_line, a, share, threshold) for a in given]
        beyond = [row for row in rows if row.needs_explanation]
        if beyond:
            alerts.append(SpendAlert(quarterly_return.agreement, quarterly_return, beyond))
    return alerts
