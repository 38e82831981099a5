"""The data of the grants reports: an agreement's year, quarter by quarter. Reads only."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from weasyprint.document import Document

from grants import figures, permissions, selectors
from grants.lifecycle import ReturnStatus
from grants.models import (
    Agreement,
    IndicatorAnswer,
    InstalmentTransition,
    MonitoringMeeting,
    PaymentInstalment,
    PerformanceIndicator,
    QuarterlyReturn,
    ReportingPeriod,
    ReturnTransition,
)
from grants.rag import Rag, rag_status
from sla_monitor.charts import BarAndTarget, bar_and_target_charts
from sla_monitor.pdf import laid_out
from sla_monitor.periods import financial_year_label, financial_years


@dataclass
class QuarterResult:
    period: ReportingPeriod
    quarterly_return: QuarterlyReturn | None
    answer: IndicatorAnswer | None
    year_to_date: Decimal | None
    expected: Decimal | None  # the target to date as shown (`grants.figures.expected_by`)
    rag: Rag | None
    # A milestone achieved in an earlier quarter of the agreement, this year's or an earlier
    # year's: shown achieved, as its later returns show it.
    achieved_earlier: selectors.Achievement | None = None

    @property
    def reported(self) -> bool:
        return self.answer is not None


@dataclass
class IndicatorYear:
    indicator: PerformanceIndicator
    quarters: list[QuarterResult]
    chart: str = ""
    financial_year: int | None = None

    @property
    def target_wording(self) -> str:
        """The target in words as the year starts (each quarter's is in `quarters`)."""
        return figures.target_wording(self.indicator, financial_year=self.financial_year)

    @property
    def narratives(self) -> list[QuarterResult]:
        return [q for q in self.quarters if q.answer is not None and q.answer.narrative]


@dataclass
class AgreementYear:
    agreement: Agreement
    financial_year: int
    periods: list[ReportingPeriod]
    returns: dict[int, QuarterlyReturn]
    indicators: list[IndicatorYear]
    instalments: list[PaymentInstalment]
    meetings: list[MonitoringMeeting]
    years: list[int] = field(default_factory=list)
    # The support in kind the year's returns report, and the whole value of the council's support.
    support: selectors.SupportYear | None = None

    @property
    def label(self) -> str:
        return financial_year_label(self.financial_year)

    @property
    def return_rows(self) -> list[tuple[ReportingPeriod, str, QuarterlyReturn | None]]:
        """The year's returns as the agreement makes them: only the quarters it reports in (Q4
        alone for an annual grant), each named by what it covers, with its return if begun."""
        return [
            (period, self.agreement.return_period_label(period), self.returns.get(period.pk))
            for period in self.periods
            if self.agreement.reports_in(period) or period.pk in self.returns
        ]

    @property
    def paid(self) -> Decimal:
        released = PaymentInstalment.Status.RELEASED
        return sum((i.amount for i in self.instalments if i.status == released), Decimal("0"))

    @property
    def due(self) -> Decimal:
        released = PaymentInstalment.Status.RELEASED
        return sum((i.amount for i in self.instalments if i.status != released), Decimal("0"))


def agreement_years(agreement: Agreement) -> list[int]:
    return financial_years(agreement.start_date, agreement.end_date)


def agreement_year(
    agreement: Agreement, financial_year: int, *, charts: bool = True
) -> AgreementYear:
    """Each indicator across the year's four quarters, with RAG per quarter, and the payments
    and meetings of the year, in a fixed number of queries."""
    periods = list(
        ReportingPeriod.objects.filter(financial_year=financial_year).order_by("quarter")
    )
    returns = {
        r.period_id: r
        for r in QuarterlyReturn.objects.filter(
            agreement=agreement, period__financial_year=financial_year
        ).prefetch_related(
            Prefetch("transitions", queryset=_transitions()),
        )
    }
    answers: dict[tuple[int, int], IndicatorAnswer] = {}
    for answer in (
        IndicatorAnswer.objects.reported()
        .filter(
            quarterly_return__agreement=agreement,
            quarterly_return__period__financial_year=financial_year,
        )
        .select_related("quarterly_return")
        .with_year_to_date()
    ):
        answers[(answer.indicator_id, answer.quarterly_return.period_id)] = answer
    achievements = (
        selectors.milestone_achievements(agreement.pk, before=periods[-1].start_date)
        if periods
        else {}
    )
    indicators = []
    asked = PerformanceIndicator.objects.filter(agreement=agreement)
    if periods:
        # Those asked in some quarter of the year: not retired before it, nor added after it.
        asked = asked.filter(
            Q(retired_from__isnull=True) | Q(retired_from__start_date__gt=periods[0].start_date),
            Q(starts_from__isnull=True) | Q(starts_from__start_date__lte=periods[-1].start_date),
        )
    for indicator in asked.with_targets():
        achievement = achievements.get(indicator.pk)
        quarters = []
        for period in periods:
            measure = indicator.measure_for(period)
            first_quarter = agreement.first_quarter_covered(period)
            answer = answers.get((indicator.pk, period.pk))
            ytd = answer.year_to_date if answer is not None and indicator.is_cumulative else None
            achieved_earlier = (
                achievement
                if achievement is not None and achievement.period.start_date < period.start_date
                else None
            )
            rag = None
            if achieved_earlier is not None:
                rag = rag_status(measure, quarter=period.quarter, achieved=True)
            elif answer is not None:
                rag = rag_status(
                    measure,
                    quarter=period.quarter,
                    first_quarter=first_quarter,
                    actual=answer.actual_value,
                    year_to_date=ytd,
                    achieved=answer.achieved,
                    narrative=answer.narrative,
                )
            quarters.append(
                QuarterResult(
                    period=period,
                    quarterly_return=returns.get(period.pk),
                    answer=answer,
                    year_to_date=ytd,
                    expected=figures.expected_by(measure, period.quarter, first_quarter),
                    rag=rag,
                    achieved_earlier=achieved_earlier,
                )
            )
        indicators.append(IndicatorYear(indicator, quarters, financial_year=financial_year))
    if charts:
        drawn = [row for row in indicators if row.indicator.needs_value]
        for row, chart in zip(
            drawn, bar_and_target_charts([indicator_chart(row) for row in drawn]), strict=True
        ):
            row.chart = chart
    instalments = list(
        agreement.instalments.filter(financial_year=financial_year)
        .labelled()
        .select_related("depends_on_period", "decided_by")
        .prefetch_related(
            Prefetch("transitions", queryset=InstalmentTransition.objects.select_related("by"))
        )
    )
    meetings = list(
        MonitoringMeeting.objects.filter(agreement=agreement)
        .filter(held_on__gte=periods[0].start_date, held_on__lte=periods[-1].end_date)
        .select_related("period", "recorded_by")
        .order_by("held_on")
        if periods
        else []
    )
    return AgreementYear(
        agreement=agreement,
        financial_year=financial_year,
        periods=periods,
        returns=returns,
        indicators=indicators,
        instalments=instalments,
        meetings=meetings,
        years=agreement_years(agreement),
        support=selectors.support_year(
            agreement,
            financial_year,
            allocation=sum((i.amount for i in instalments), Decimal("0.00")),
        ),
    )


def indicator_chart(row: IndicatorYear) -> BarAndTarget:
    indicator = row.indicator
    cumulative = indicator.is_cumulative
    values = [
        (q.year_to_date if cumulative else (q.answer.actual_value if q.answer else None))
        for q in row.quarters
    ]
    return BarAndTarget(
        labels=tuple(gettext("Q%(quarter)s") % {"quarter": q.period.quarter} for q in row.quarters),
        values=tuple(values),
        targets=tuple(q.expected for q in row.quarters),
        title=(
            gettext("Indicator %(code)s: year to date against target")
            if cumulative
            else gettext("Indicator %(code)s: each quarter against target")
        )
        % {"code": indicator.code},
        value_label=gettext("Year to date") if cumulative else gettext("Actual"),
        target_label=gettext("Target to date") if cumulative else gettext("Target"),
        kind=figures.KINDS[indicator.measure_type],
    )


def _transitions():
    return ReturnTransition.objects.select_related("by").order_by("at", "pk")


# PDF builders and their sizes, run by sla_monitor.reporting as the user who asked ---------------


# What a return's PDF says in place of its approval, until it is approved.
AWAITING_APPROVAL = {
    ReturnStatus.DRAFT: _("Draft, not submitted"),
    ReturnStatus.SUBMITTED: _("Submitted, awaiting review"),
    ReturnStatus.CHANGES_REQUESTED: _("Changes requested"),
    ReturnStatus.APPROVED: _("Approved"),
}


def build_return_pdf(user, pk: int, query) -> tuple[Document, str]:
    quarterly_return = get_object_or_404(permissions.visible_returns(user), pk=pk)
    detail = selectors.return_detail(quarterly_return, with_history=True)
    approval = next(
        (t for t in reversed(detail.transitions) if t.to_status == ReturnStatus.APPROVED), None
    )
    document = laid_out(
        "grants/pdf/return.html",
        {
            "qr": quarterly_return,
            "detail": detail,
            "approval": approval,
            "awaiting": AWAITING_APPROVAL[quarterly_return.status],
            # A document travels beyond whoever downloads it: its figures of people are the
            # published ones for everyone, the provider included.
            "beneficiaries": detail.beneficiaries.shown(as_entered=False)
            if detail.beneficiaries is not None
            else None,
        },
    )
    period = quarterly_return.period
    name = f"{quarterly_return.agreement.reference}-{period.financial_year}-Q{period.quarter}.pdf"
    return document, name


def return_pdf_rows(user, pk: int, query) -> int:
    """An answer for each indicator and each minimum requirement, and each message of its
    conversation."""
    counted = get_object_or_404(
        permissions.visible_returns(user)
        .select_related(None)
        .annotate(
            indicator_count=Count("agreement__indicators", distinct=True),
            requirement_count=Count("agreement__requirements", distinct=True),
            message_count=Count("messages", distinct=True),
        ),
        pk=pk,
    )
    return counted.indicator_count + counted.requirement_count + counted.message_count


def build_agreement_year_pdf(user, pk: int, query) -> tuple[Document, str]:
    agreement = get_object_or_404(permissions.visible_agreements(user), pk=pk)
    year = int(query.get("year", "0"))
    if year not in agreement_years(agreement):
        raise Http404("The agreement does not run in that year.")
    document = laid_out(
        "grants/pdf/agreement_year.html", {"report": agreement_year(agreement, year)}
    )
    return document, f"{agreement.reference}-{financial_year_label(year).replace('/', '-')}.pdf"


def agreement_year_pdf_rows(user, pk: int, query) -> int:
    """Each indicator's four quarters and its chart, which costs about as much as a row."""
    counted = get_object_or_404(
        permissions.visible_agreements(user)
        .select_related(None)
        .annotate(indicator_count=Count("indicators")),
        pk=pk,
    )
    return counted.indicator_count * 5
