"""Reads of the grants domain: scoped to the user, joined once, a fixed number of queries."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet

from grants.models import (
    Agreement,
    EvidenceFile,
    IndicatorAnswer,
    MinimumRequirement,
    PerformanceIndicator,
    QuarterlyReturn,
    ReportingPeriod,
    RequirementAnswer,
)
from grants.rag import Rag, rag_status, target_to_date
from sla_monitor import access

NOT_STARTED, IN_PROGRESS, COMPLETED = "Not started", "In progress", "Completed"
YES_NO = {True: "Yes", False: "No", None: ""}


@dataclass
class EarlierAnswer:
    period: ReportingPeriod
    answer: IndicatorAnswer


@dataclass
class IndicatorRow:
    """One indicator of a return and its answer (a blank, unsaved one until answered)."""

    indicator: PerformanceIndicator
    answer: IndicatorAnswer
    earlier: list[EarlierAnswer]
    quarter: int

    @property
    def key(self) -> str:
        return f"indicator:{self.indicator.pk}"

    @property
    def anchor(self) -> str:
        return f"indicator-{self.indicator.pk}"

    @property
    def year_to_date(self) -> Decimal | None:
        if not self.indicator.is_cumulative:
            return None
        values = [e.answer.actual_value for e in self.earlier if e.answer.actual_value is not None]
        if self.answer.actual_value is not None:
            values.append(self.answer.actual_value)
        return sum(values, Decimal("0")) if values else None

    @property
    def target_to_date(self) -> Decimal | None:
        return target_to_date(self.indicator.measure, self.quarter)

    @property
    def rag(self) -> Rag | None:
        return rag_status(
            self.indicator.measure,
            quarter=self.quarter,
            actual=self.answer.actual_value,
            year_to_date=self.year_to_date,
            achieved=self.answer.achieved,
            narrative=self.answer.narrative,
        )

    @property
    def evidence(self) -> list[EvidenceFile]:
        return list(self.answer.evidence_files.all()) if self.answer.pk else []

    @property
    def status(self) -> str:
        answer, indicator = self.answer, self.indicator
        if answer.actual_value is None and answer.achieved is None and not answer.narrative:
            return NOT_STARTED
        if indicator.needs_value and answer.actual_value is None:
            return IN_PROGRESS
        if indicator.measure_type == "milestone" and answer.achieved is None:
            return IN_PROGRESS
        if indicator.measure_type == "narrative" and not answer.narrative:
            return IN_PROGRESS
        return COMPLETED

    def snapshot(self) -> dict:
        answer = self.answer
        values = {
            "actual": _text(answer.actual_value),
            "achieved": YES_NO[answer.achieved],
            "narrative": answer.narrative,
            "evidence": sorted(e.original_name for e in self.evidence),
        }
        return {"label": f"Indicator {self.indicator.code}", "values": values}


@dataclass
class RequirementRow:
    """One minimum requirement of a return and its answer (a blank, unsaved one until answered)."""

    requirement: MinimumRequirement
    answer: RequirementAnswer

    @property
    def key(self) -> str:
        return f"requirement:{self.requirement.pk}"

    @property
    def anchor(self) -> str:
        return f"requirement-{self.requirement.pk}"

    def snapshot(self) -> dict:
        return {
            "label": f"Requirement {self.requirement.number}",
            "values": {"met": YES_NO[self.answer.met], "narrative": self.answer.narrative},
        }


@dataclass
class ReturnDetail:
    quarterly_return: QuarterlyReturn
    indicator_rows: list[IndicatorRow]
    requirement_rows: list[RequirementRow]
    transitions: list = field(default_factory=list)
    changed_keys: set[str] = field(default_factory=set)

    @property
    def requirements_status(self) -> str:
        answers = [r.answer for r in self.requirement_rows]
        if all(a.met is None and not a.narrative for a in answers):
            return NOT_STARTED
        complete = all(a.met is not None and (a.met or a.narrative) for a in answers)
        return COMPLETED if complete else IN_PROGRESS

    @property
    def sections_completed(self) -> int:
        done = sum(1 for row in self.indicator_rows if row.status == COMPLETED)
        return done + (1 if self.requirements_status == COMPLETED else 0)

    @property
    def section_count(self) -> int:
        return len(self.indicator_rows) + 1


def _text(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"


def return_detail(quarterly_return: QuarterlyReturn, *, with_history: bool = False) -> ReturnDetail:
    """Everything a return page shows, in a fixed number of queries."""
    agreement_id = quarterly_return.agreement_id
    period = quarterly_return.period
    indicators = list(PerformanceIndicator.objects.filter(agreement_id=agreement_id))
    evidence = Prefetch("evidence_files", queryset=EvidenceFile.objects.order_by("uploaded_at"))
    answers = {
        a.indicator_id: a
        for a in IndicatorAnswer.objects.filter(quarterly_return=quarterly_return).prefetch_related(
            evidence
        )
    }
    earlier_by_indicator: dict[int, list[EarlierAnswer]] = defaultdict(list)
    earlier = (
        IndicatorAnswer.objects.filter(
            quarterly_return__agreement_id=agreement_id,
            quarterly_return__period__financial_year=period.financial_year,
            quarterly_return__period__quarter__lt=period.quarter,
        )
        .select_related("quarterly_return__period")
        .order_by("quarterly_return__period__quarter")
    )
    for answer in earlier:
        earlier_by_indicator[answer.indicator_id].append(
            EarlierAnswer(answer.quarterly_return.period, answer)
        )
    requirement_answers = {
        a.requirement_id: a
        for a in RequirementAnswer.objects.filter(quarterly_return=quarterly_return)
    }
    detail = ReturnDetail(
        quarterly_return=quarterly_return,
        indicator_rows=[
            IndicatorRow(
                i,
                answers.get(i.pk) or IndicatorAnswer(indicator=i),
                earlier_by_indicator[i.pk],
                period.quarter,
            )
            for i in indicators
        ],
        requirement_rows=[
            RequirementRow(r, requirement_answers.get(r.pk) or RequirementAnswer(requirement=r))
            for r in MinimumRequirement.objects.filter(agreement_id=agreement_id)
        ],
    )
    if with_history:
        detail.transitions = list(quarterly_return.transitions.select_related("by"))
        detail.changed_keys = changed_since_sent_back(quarterly_return)
    return detail


def answers_snapshot(quarterly_return: QuarterlyReturn) -> dict:
    detail = return_detail(quarterly_return)
    rows = [*detail.indicator_rows, *detail.requirement_rows]
    return {row.key: row.snapshot() for row in rows}


def changed_since_sent_back(quarterly_return: QuarterlyReturn) -> set[str]:
    """Keys of the answers that differ between the last submission and the one before it."""
    submissions = list(quarterly_return.submissions.order_by("-number")[:2])
    if len(submissions) < 2:
        return set()
    latest, previous = submissions[0].answers, submissions[1].answers
    return {key for key in latest.keys() | previous.keys() if latest.get(key) != previous.get(key)}


# The provider's dashboard --------------------------------------------------------------


@dataclass
class PeriodRow:
    agreement: Agreement
    period: ReportingPeriod
    quarterly_return: QuarterlyReturn | None
    today: dt.date

    @property
    def status_label(self) -> str:
        if self.overdue:
            return "Overdue"
        qr = self.quarterly_return
        return "Not started" if qr is None else qr.get_status_display()

    @property
    def status_key(self) -> str:
        qr = self.quarterly_return
        if self.overdue:
            return "overdue"
        return "not_started" if qr is None else qr.status

    @property
    def overdue(self) -> bool:
        editable = self.quarterly_return is None or self.quarterly_return.is_editable
        return editable and self.period.due_date < self.today


@dataclass
class AgreementOverview:
    agreement: Agreement
    rows: list[PeriodRow]

    def count(self, key: str) -> int:
        return sum(1 for row in self.rows if row.status_key == key)

    @property
    def counts(self) -> list[tuple[str, int]]:
        labels = [
            ("overdue", "Overdue"),
            ("not_started", "Due"),
            ("draft", "In draft"),
            ("changes_requested", "Sent back for changes"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
        ]
        return [(label, self.count(key)) for key, label in labels]


def provider_overview(user, today: dt.date) -> list[AgreementOverview]:
    """Each of the provider's agreements with its quarters so far and their returns."""
    agreements = list(
        access.visible_agreements(user)
        .exclude(status=Agreement.Status.DRAFT)
        .prefetch_related(
            Prefetch("returns", queryset=QuarterlyReturn.objects.select_related("period"))
        )
        .order_by("reference")
    )
    if not agreements:
        return []
    periods = list(
        ReportingPeriod.objects.filter(
            start_date__lte=today,
            start_date__gte=min(a.start_date for a in agreements),
            end_date__lte=max(a.end_date for a in agreements),
        ).order_by("-financial_year", "-quarter")
    )
    overviews = []
    for agreement in agreements:
        returns = {r.period_id: r for r in agreement.returns.all()}
        rows = [
            PeriodRow(agreement, period, returns.get(period.pk), today)
            for period in periods
            if agreement.start_date <= period.start_date and period.end_date <= agreement.end_date
        ]
        overviews.append(AgreementOverview(agreement, rows))
    return overviews


# The lead officer's review queue -------------------------------------------------------


def review_queue(user, data) -> tuple:
    """The filtered returns of the officer's council, soonest due first, and counts by status."""
    from grants.filters import ReturnFilter

    # Only what a queue row and its export show: every join the planner needn't weigh counts.
    returns: QuerySet = (
        access.visible_returns(user)
        .select_related(None)
        .select_related("period", "agreement__provider", "agreement__fund")
    )
    filterset = ReturnFilter(data, queryset=returns, user=user)
    queue = filterset.qs.order_by("period__due_date", "agreement__reference")
    counts = dict(
        returns.order_by()
        .values_list("status")
        .annotate(count=Count("pk"))
        .values_list("status", "count")
    )
    status_counts = [
        (value, label, counts.get(value, 0)) for value, label in QuarterlyReturn.Status.choices
    ]
    return filterset, queue, status_counts


# Indicator results: every reported answer, with the year's total so far ---------------------


@dataclass
class ResultRow:
    answer: IndicatorAnswer

    @property
    def rag(self) -> Rag | None:
        answer, period = self.answer, self.answer.quarterly_return.period
        return rag_status(
            answer.indicator.measure,
            quarter=period.quarter,
            actual=answer.actual_value,
            year_to_date=self.year_to_date,
            achieved=answer.achieved,
            narrative=answer.narrative,
        )

    @property
    def year_to_date(self) -> Decimal | None:
        return self.answer.year_total if self.answer.indicator.is_cumulative else None

    @property
    def target_to_date(self) -> Decimal | None:
        return target_to_date(
            self.answer.indicator.measure, self.answer.quarterly_return.period.quarter
        )


def with_year_total(answers: QuerySet, statuses) -> QuerySet:
    """Annotate each answer with `year_total`: the sum of its indicator's actuals in returns of
    the given statuses, from the year's first quarter to the answer's own."""
    from django.db.models import OuterRef, Subquery, Sum

    year_total = (
        IndicatorAnswer.objects.filter(
            indicator=OuterRef("indicator"),
            quarterly_return__period__financial_year=OuterRef(
                "quarterly_return__period__financial_year"
            ),
            quarterly_return__period__quarter__lte=OuterRef("quarterly_return__period__quarter"),
            quarterly_return__status__in=statuses,
        )
        .order_by()
        .values("indicator")
        .annotate(total=Sum("actual_value"))
        .values("total")
    )
    return answers.annotate(year_total=Subquery(year_total))


def indicator_results(user, data) -> tuple:
    """Answers of submitted and approved returns the user may see, newest quarter first."""
    from grants.filters import ResultFilter

    reported = (QuarterlyReturn.Status.SUBMITTED, QuarterlyReturn.Status.APPROVED)
    answers = with_year_total(
        IndicatorAnswer.objects.filter(
            quarterly_return__in=access.visible_returns(user).values("pk"),
            quarterly_return__status__in=reported,
        ).select_related(
            "indicator",
            "quarterly_return__period",
            "quarterly_return__agreement__provider",
            "quarterly_return__agreement__fund",
        ),
        reported,
    )
    filterset = ResultFilter(data, queryset=answers, user=user)
    rows = filterset.qs.order_by(
        "-quarterly_return__period__financial_year",
        "-quarterly_return__period__quarter",
        "quarterly_return__agreement__reference",
        "indicator__order",
        "indicator__code",
    )
    return filterset, [ResultRow(answer) for answer in rows]


def latest_approved_results(indicators) -> list[ResultRow]:
    """For each performance indicator, its latest answer in an approved return, with RAG."""
    approved = (QuarterlyReturn.Status.APPROVED,)
    answers = with_year_total(
        IndicatorAnswer.objects.filter(
            indicator__in=indicators, quarterly_return__status__in=approved
        )
        .select_related(
            "indicator", "quarterly_return__period", "quarterly_return__agreement__provider"
        )
        .order_by(
            "indicator_id",
            "-quarterly_return__period__financial_year",
            "-quarterly_return__period__quarter",
        ),
        approved,
    )
    latest: dict[int, IndicatorAnswer] = {}
    for answer in answers:
        latest.setdefault(answer.indicator_id, answer)
    return [ResultRow(answer) for answer in latest.values()]


# Funds -----------------------------------------------------------------------------------------


def funds_with_totals(user) -> QuerySet:
    """The user's funds with `awarded` and `released` totals: one query, however many funds."""
    from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
    from django.db.models.functions import Coalesce

    from grants.models import PaymentInstalment

    money = DecimalField(max_digits=14, decimal_places=2)
    awarded = (
        Agreement.objects.filter(fund=OuterRef("pk"))
        .order_by()
        .values("fund")
        .annotate(total=Sum("total_allocation"))
        .values("total")
    )
    released = (
        PaymentInstalment.objects.filter(agreement__fund=OuterRef("pk"), status="released")
        .order_by()
        .values("agreement__fund")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return access.visible_funds(user).annotate(
        awarded=Coalesce(Subquery(awarded, output_field=money), Value(0), output_field=money),
        released=Coalesce(Subquery(released, output_field=money), Value(0), output_field=money),
    )


def agreement_specification(agreement: Agreement) -> dict:
    """The parts of an agreement as its specification writes them."""
    return {
        "objectives": list(agreement.objectives.all()),
        "requirements": list(agreement.requirements.all()),
        "in_kind": list(agreement.in_kind_contributions.all()),
        "added_values": list(agreement.added_values.all()),
    }


def fund_awards(fund) -> QuerySet:
    return fund.agreements.select_related("provider").order_by("reference")
