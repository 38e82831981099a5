"""The council dashboard's figures: reads only, a fixed number of queries however many rows."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext

from grants import permissions
from grants.models import (
    Agreement,
    IndicatorAnswer,
    PaymentInstalment,
    QuarterlyReturn,
    ReportingPeriod,
    ReturnTransition,
    overdue_on,
)
from grants.rag import Rag
from grants.selectors import ResultRow, SpendAlert, spend_alerts
from grants.selectors.results import StoredResult
from grants.worklists import OwedReturn, owed_returns
from sla_monitor import periods
from sla_monitor.params import record_id

Status = QuarterlyReturn.Status
Timing = ReturnTransition.Timing
RAG_RANK = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2}


@dataclass
class StatusCounts:
    label: str
    filter_key: str = ""
    filter_value: int | None = None
    expected: int = 0
    not_started: int = 0
    draft: int = 0
    submitted: int = 0
    changes_requested: int = 0
    approved: int = 0
    overdue: int = 0

    @property
    def filter_query(self) -> str:
        """The review queue's filter for this row, to follow the quarter's: "&fund=3"."""
        if self.filter_key and self.filter_value:
            return f"&{self.filter_key}={self.filter_value}"
        return ""

    def add(self, quarterly_return: QuarterlyReturn | None) -> None:
        self.expected += 1
        if quarterly_return is None:
            self.not_started += 1
        else:
            setattr(self, quarterly_return.status, getattr(self, quarterly_return.status) + 1)


@dataclass
class IndicatorAlert:
    result: ResultRow
    previous: ResultRow | None

    @property
    def direction(self) -> str:
        """Better, same or worse than the previous quarter, by RAG and then by the figure."""
        if self.previous is None or self.previous.rag is None or self.result.rag is None:
            return gettext("No earlier quarter")
        now, before = RAG_RANK[self.result.rag], RAG_RANK[self.previous.rag]
        if now == before:
            now_value, before_value = _figure(self.result), _figure(self.previous)
            if now_value is None or before_value is None or now_value == before_value:
                return "Same"
            return "Better" if now_value > before_value else "Worse"
        return "Better" if now > before else "Worse"


def _figure(row: ResultRow) -> Decimal | None:
    return row.year_to_date if row.year_to_date is not None else row.answer.actual_value


@dataclass
class Dashboard:
    period: ReportingPeriod
    today: dt.date
    totals: StatusCounts
    by_fund: list[StatusCounts]
    by_provider: list[StatusCounts]
    not_started: list[Agreement]
    alerts: list[IndicatorAlert]
    instalments: list[PaymentInstalment]
    past_due: list[PaymentInstalment]
    days_late: list[tuple[str, float, int]]
    days_to_decide: list[tuple[str, float, int]]
    days_sent_back: list[tuple[str, float, int]]
    overdue: list[OwedReturn]
    periods: list[ReportingPeriod] = field(default_factory=list)
    # Agreements whose latest reported spend is off budget beyond their fund's threshold.
    spend_alerts: list[SpendAlert] = field(default_factory=list)

    @property
    def is_overdue(self) -> bool:
        """A return of the quarter not yet submitted would be overdue now."""
        return overdue_on(self.today, due_date=self.period.due_date, status=None)


def chosen_period(asked: str, today: dt.date) -> ReportingPeriod | None:
    """The quarter asked for, else the current one, else the latest that has started."""
    period = None
    if (pk := record_id(asked)) is not None:
        period = ReportingPeriod.objects.filter(pk=pk).first()
    if period is None:
        year, quarter = periods.quarter_of(today)
        period = ReportingPeriod.objects.filter(financial_year=year, quarter=quarter).first()
    if period is None:
        period = ReportingPeriod.objects.begun(today).order_by("-start_date").first()
    return period


def council_dashboard(user, period: ReportingPeriod, today: dt.date) -> Dashboard:
    agreements = list(
        permissions.visible_agreements(user)
        .reporting_in(period)
        .filter(status=Agreement.Status.ACTIVE)
        .select_related("fund")
        .order_by("reference")
    )
    returns = {
        r.agreement_id: r
        for r in QuarterlyReturn.objects.filter(
            period=period, agreement__in=[a.pk for a in agreements]
        )
    }
    totals = StatusCounts(gettext("All agreements"))
    funds: dict = {}
    providers: dict = {}

    def rows_of(agreement: Agreement) -> tuple[StatusCounts, ...]:
        if agreement.fund_id not in funds:
            funds[agreement.fund_id] = StatusCounts(
                agreement.fund.name if agreement.fund else gettext("No fund"),
                "fund",
                agreement.fund_id,
            )
        if agreement.provider_id not in providers:
            providers[agreement.provider_id] = StatusCounts(
                agreement.provider.name, "provider", agreement.provider_id
            )
        return totals, funds[agreement.fund_id], providers[agreement.provider_id]

    not_started = []
    for agreement in agreements:
        quarterly_return = returns.get(agreement.pk)
        for counts in rows_of(agreement):
            counts.add(quarterly_return)
        if quarterly_return is None:
            not_started.append(agreement)
    # Overdue counts every return overdue now, whatever quarter it belongs to.
    overdue = owed_returns(user, today, overdue_only=True)
    for owed in overdue:
        for counts in rows_of(owed.agreement):
            counts.overdue += 1
    days_late, days_to_decide, days_sent_back = _timeliness(user)
    # The quarter's instalments and those past due, whenever they fell due, in one read.
    instalments = list(
        _instalments(user, today).filter(
            Q(due_date__gte=period.start_date, due_date__lte=period.end_date) | Q(is_past_due=True)
        )
    )
    return Dashboard(
        period=period,
        today=today,
        totals=totals,
        by_fund=sorted(funds.values(), key=lambda c: c.label),
        by_provider=sorted(providers.values(), key=lambda c: c.label),
        not_started=not_started,
        overdue=overdue,
        alerts=_alerts(user, period),
        instalments=[i for i in instalments if period.start_date <= i.due_date <= period.end_date],
        past_due=[i for i in instalments if i.is_past_due],
        days_late=days_late,
        days_to_decide=days_to_decide,
        days_sent_back=days_sent_back,
        periods=list(ReportingPeriod.objects.begun(today).order_by("-start_date")),
        spend_alerts=spend_alerts(
            permissions.visible_agreements(user).filter(status=Agreement.Status.ACTIVE)
        ),
    )


def _instalments(user, today: dt.date) -> QuerySet:
    """The instalments of the agreements the user sees, labelled, soonest due first."""
    return (
        PaymentInstalment.objects.filter(
            agreement__in=permissions.visible_agreements(user).values("pk")
        )
        .labelled()
        .with_past_due(today)
        .select_related("agreement__provider", "depends_on_period")
        .order_by("due_date", "agreement__reference", "sequence")
    )


def _reported_answers(user, period_filter: Q) -> QuerySet:
    return (
        IndicatorAnswer.objects.reported()
        .filter(period_filter)
        .filter(quarterly_return__in=permissions.visible_returns(user).values("pk"))
    )


ALERTING = [Rag.RED.value, Rag.AMBER.value]


def _alerts(user, period: ReportingPeriod) -> list[IndicatorAlert]:
    """The chosen quarter's red and amber indicators, each with its previous quarter: read by
    the RAG each answer has stored (`grants.stored`), so only the alerting answers are read."""
    answers = _reported_answers(
        user, Q(quarterly_return__period=period, rag__in=ALERTING)
    ).select_related("indicator", "quarterly_return__agreement__provider")
    alerting = [StoredResult(answer) for answer in answers]
    previous = _previous_results(user, period, alerting)
    alerts = [IndicatorAlert(row, previous.get(row.answer.indicator_id)) for row in alerting]
    return sorted(
        alerts,
        key=lambda a: (
            RAG_RANK[a.result.rag],
            a.result.answer.quarterly_return.agreement.reference,
        ),
    )


def _previous_results(user, period: ReportingPeriod, rows: list[ResultRow]) -> dict:
    """The previous quarter's result of each alerting row's indicator, by indicator id, as
    stored. Only the figures are read: the indicator is the alerting row's own."""
    previous_period = (
        ReportingPeriod.objects.filter(start_date__lt=period.start_date)
        .order_by("-start_date")
        .first()
    )
    if previous_period is None or not rows:
        return {}
    indicators = {row.answer.indicator_id: row.answer.indicator for row in rows}
    figures = _reported_answers(
        user,
        Q(quarterly_return__period=previous_period, indicator_id__in=list(indicators)),
    ).values("indicator_id", "actual_value", "achieved", "narrative", "rag", "year_total")
    return {
        figure["indicator_id"]: StoredResult(
            IndicatorAnswer(**figure, indicator=indicators[figure.pop("indicator_id")])
        )
        for figure in figures
    }


def _timeliness(user) -> tuple[list, list, list]:
    """Per provider, the average days its returns were first submitted after their due date;
    per officer, the average days from a submission to their decision on it; and per provider,
    the average days a return sent back for changes spent with it before it came back (time
    reported apart from lateness, which ends at the first submission). Each status change's days
    are stored when it is made (`grants.stored`): two grouped queries."""
    timed = ReturnTransition.objects.filter(
        quarterly_return__in=permissions.visible_returns(user).values("pk"), days__isnull=False
    ).order_by()
    by_provider = (
        timed.filter(timing__in=[Timing.LATE, Timing.REWORKED])
        .values_list("timing", "quarterly_return__agreement__provider__name")
        .annotate(total=Sum("days"), count=Count("pk"))
    )
    by_officer = (
        timed.filter(timing=Timing.DECIDED)
        .values_list("by__first_name", "by__last_name", "by__username")
        .annotate(total=Sum("days"), count=Count("pk"))
    )
    late: dict[str, list] = defaultdict(lambda: [0.0, 0])
    sent_back: dict[str, list] = defaultdict(lambda: [0.0, 0])
    waits: dict[str, list] = defaultdict(lambda: [0.0, 0])
    for timing, provider, total, count in by_provider:
        _add(late if timing == Timing.LATE else sent_back, provider, total, count)
    for first, last, username, total, count in by_officer:
        _add(waits, f"{first} {last}".strip() or username, total, count)
    return _averages(late), _averages(waits), _averages(sent_back)


def _add(sums: dict, name: str, total: float, count: int) -> None:
    sums[name][0] += total
    sums[name][1] += count


def _averages(sums: dict[str, list]) -> list[tuple[str, float, int]]:
    return [(name, total / count, count) for name, (total, count) in sorted(sums.items())]
