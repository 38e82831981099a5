"""Reads of the grants domain: scoped to the user, joined once, a fixed number of queries."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Count,
    DecimalField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from grants import permissions
from grants.filters import ResultFilter, ReturnFilter
from grants.importing import (
    AGREEMENT_COLUMNS,
    AGREEMENTS,
    INDICATOR_COLUMNS,
    INDICATORS,
    REQUIREMENT_COLUMNS,
    REQUIREMENTS,
)
from grants.importing import KIND as IMPORT_KIND
from grants.models import (
    Agreement,
    EvidenceFile,
    IndicatorAnswer,
    MinimumRequirement,
    PaymentInstalment,
    PerformanceIndicator,
    QuarterlyReturn,
    ReportingPeriod,
    RequirementAnswer,
    overdue_on,
    reported_before_quarter,
)
from grants.rag import Rag, rag_status, target_to_date
from sla_monitor.models import ImportBatch

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
        """The answer's `year_to_date`, or for a quarter not yet answered what was reported in
        the year before it (both from `IndicatorAnswer.objects.with_year_to_date()`)."""
        if not self.indicator.is_cumulative:
            return None
        if self.answer.pk is None:
            return self.indicator.reported_before
        return self.answer.year_to_date

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
        if not self.answer.is_given:
            return NOT_STARTED
        return IN_PROGRESS if self.answer.missing else COMPLETED

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
        if not any(a.is_given for a in answers):
            return NOT_STARTED
        return IN_PROGRESS if any(a.missing for a in answers) else COMPLETED

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
    indicators = list(
        PerformanceIndicator.objects.filter(agreement_id=agreement_id).annotate(
            reported_before=reported_before_quarter(period.financial_year, period.quarter)
        )
    )
    evidence = Prefetch("evidence_files", queryset=EvidenceFile.objects.order_by("uploaded_at"))
    answers = {
        a.indicator_id: a
        for a in IndicatorAnswer.objects.filter(quarterly_return=quarterly_return)
        .with_completeness()
        .with_year_to_date()
        .prefetch_related(evidence)
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
        for a in RequirementAnswer.objects.filter(
            quarterly_return=quarterly_return
        ).with_completeness()
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
        status = self.quarterly_return.status if self.quarterly_return else None
        return overdue_on(self.today, due_date=self.period.due_date, status=status)


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
            (QuarterlyReturn.Status.DRAFT, "In draft"),
            (QuarterlyReturn.Status.CHANGES_REQUESTED, "Sent back for changes"),
            (QuarterlyReturn.Status.SUBMITTED, "Submitted"),
            (QuarterlyReturn.Status.APPROVED, "Approved"),
        ]
        return [(label, self.count(key)) for key, label in labels]


def provider_overview(user, today: dt.date) -> list[AgreementOverview]:
    """Each of the provider's agreements with its quarters so far and their returns."""
    agreements = list(
        permissions.visible_agreements(user)
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


def review_queue(user, data, today: dt.date) -> tuple:
    """The filtered returns of the officer's council, soonest due first, and counts by status."""
    # Only what a queue row and its export show: every join the planner needn't weigh counts.
    returns: QuerySet = (
        permissions.visible_returns(user)
        .select_related(None)
        .select_related("period", "agreement__provider", "agreement__fund")
    )
    filterset = ReturnFilter(data, queryset=returns, user=user, today=today)
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
    """An answer read with `with_year_to_date()`, and its RAG."""

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
        return self.answer.year_to_date if self.answer.indicator.is_cumulative else None

    @property
    def target_to_date(self) -> Decimal | None:
        return target_to_date(
            self.answer.indicator.measure, self.answer.quarterly_return.period.quarter
        )


def indicator_results(user, data) -> tuple:
    """Answers of submitted and approved returns the user may see, newest quarter first."""
    answers = (
        IndicatorAnswer.objects.reported()
        .filter(quarterly_return__in=permissions.visible_returns(user).values("pk"))
        .select_related(
            "indicator",
            "quarterly_return__period",
            "quarterly_return__agreement__provider",
            "quarterly_return__agreement__fund",
        )
        .with_year_to_date()
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
    answers = (
        IndicatorAnswer.objects.filter(
            indicator__in=indicators, quarterly_return__status=QuarterlyReturn.Status.APPROVED
        )
        .select_related(
            "indicator", "quarterly_return__period", "quarterly_return__agreement__provider"
        )
        .order_by(
            "indicator_id",
            "-quarterly_return__period__financial_year",
            "-quarterly_return__period__quarter",
        )
        .with_year_to_date()
    )
    latest: dict[int, IndicatorAnswer] = {}
    for answer in answers:
        latest.setdefault(answer.indicator_id, answer)
    return [ResultRow(answer) for answer in latest.values()]


# Funds -----------------------------------------------------------------------------------------


def funds_with_totals(user) -> QuerySet:
    """The user's funds with `awarded` and `released` totals: one query, however many funds."""
    money = DecimalField(max_digits=14, decimal_places=2)
    awarded = (
        Agreement.objects.filter(fund=OuterRef("pk"))
        .order_by()
        .values("fund")
        .annotate(total=Sum("total_allocation"))
        .values("total")
    )
    released = (
        PaymentInstalment.objects.filter(
            agreement__fund=OuterRef("pk"), status=PaymentInstalment.Status.RELEASED
        )
        .order_by()
        .values("agreement__fund")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return permissions.visible_funds(user).annotate(
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


# Payments --------------------------------------------------------------------------------------


def _waiting_message(instalment: PaymentInstalment, quarterly_return) -> str | None:
    period = instalment.depends_on_period
    if period is None:
        return None
    needs = f"Instalment {instalment.sequence} needs the {period} return approved first"
    if quarterly_return is None:
        return f"{needs}; it has not been started."
    if quarterly_return.status != QuarterlyReturn.Status.APPROVED:
        return f"{needs}; it is {quarterly_return.get_status_display().lower()}."
    return None


def waiting_for_return(instalment: PaymentInstalment) -> str | None:
    """Why the instalment's release still waits for the return it depends on, or None."""
    if instalment.depends_on_period_id is None:
        return None
    quarterly_return = QuarterlyReturn.objects.filter(
        agreement_id=instalment.agreement_id, period_id=instalment.depends_on_period_id
    ).first()
    return _waiting_message(instalment, quarterly_return)


@dataclass
class InstalmentRow:
    instalment: PaymentInstalment
    steps: list  # the steps of its lifecycle the user may take now
    blocker: str | None  # why it cannot be released yet

    @property
    def withholdable(self) -> bool:
        return any(step.name == "withhold" for step in self.steps)


def instalment_rows(user, instalments: list[PaymentInstalment]) -> list[InstalmentRow]:
    """Each instalment with what the user may do with it now, and what a release waits for."""
    needed = {i.depends_on_period_id for i in instalments if i.depends_on_period_id}
    returns = {
        (r.agreement_id, r.period_id): r
        for r in QuarterlyReturn.objects.filter(
            agreement_id__in={i.agreement_id for i in instalments}, period_id__in=needed
        )
    }
    rows = []
    for instalment in instalments:
        steps = permissions.instalment_steps_for(user, instalment)
        blocker = None
        if any(step.name == "release" for step in steps):
            key = (instalment.agreement_id, instalment.depends_on_period_id)
            blocker = _waiting_message(instalment, returns.get(key))
        rows.append(InstalmentRow(instalment, steps, blocker))
    return rows


# Exports: the columns of the review queue and of the indicator results -------------------------


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


RETURN_EXPORT_HEADERS = [
    "Due date",
    "Quarter",
    "Agreement",
    "Agreement title",
    "Provider",
    "Fund",
    "Status",
    "Submitted at",
    "Decided at",
]


def return_export_rows(returns) -> Iterable[list]:
    """The rows under `RETURN_EXPORT_HEADERS`, for returns read with `review_queue`."""
    for qr in returns:
        yield [
            qr.period.due_date,
            str(qr.period),
            qr.agreement.reference,
            qr.agreement.title,
            qr.agreement.provider.name,
            qr.agreement.fund.name if qr.agreement.fund else "",
            qr.get_status_display(),
            _local(qr.submitted_at),
            _local(qr.decided_at),
        ]


RESULT_EXPORT_HEADERS = [
    "Quarter",
    "Agreement",
    "Provider",
    "Indicator",
    "Wording",
    "Measure",
    "Target",
    "Target period",
    "Target to date",
    "Actual",
    "Achieved",
    "Year to date",
    "RAG",
    "Narrative",
    "Return status",
]


def result_export_rows(rows: Iterable[ResultRow]) -> Iterable[list]:
    """The rows under `RESULT_EXPORT_HEADERS`, for the rows of `indicator_results`."""
    for row in rows:
        answer = row.answer
        indicator, qr = answer.indicator, answer.quarterly_return
        rag = row.rag
        yield [
            str(qr.period),
            qr.agreement.reference,
            qr.agreement.provider.name,
            indicator.code,
            indicator.wording,
            indicator.get_measure_type_display(),
            indicator.target,
            indicator.get_target_period_display(),
            row.target_to_date,
            answer.actual_value,
            YES_NO[answer.achieved],
            row.year_to_date,
            rag.label if rag else "",
            answer.narrative,
            qr.get_status_display(),
        ]


def agreement_import_history(council) -> QuerySet:
    """The workbooks imported into the council's agreements, newest first."""
    return (
        ImportBatch.objects.filter(
            kind=IMPORT_KIND,
            target_type=ContentType.objects.get_for_model(council),
            target_id=council.pk,
        )
        .exclude(status=ImportBatch.Status.CHECKED)
        .select_related("checked_by", "undone_by")
        .defer("rows", "changes")
    )


def agreements_workbook(council) -> dict:
    """The council's agreements, indicators and minimum requirements in the sheets and columns
    the agreements import reads, so that the file imports back with nothing to change."""
    agreements = list(
        Agreement.objects.filter(funder=council)
        .select_related("provider", "fund", "lead_officer")
        .prefetch_related("indicators", "requirements")
        .order_by("reference")
    )
    agreement_rows = (
        [
            a.reference,
            a.title,
            a.provider.name,
            a.fund.name if a.fund else "",
            a.lead_officer.username if a.lead_officer else "",
            a.get_status_display(),
            a.start_date,
            a.end_date,
            a.total_allocation,
            a.award_date,
            a.department,
            a.purpose,
            a.outcome,
        ]
        for a in agreements
    )
    indicator_rows = (
        [
            a.reference,
            i.code,
            i.wording,
            i.get_measure_type_display(),
            i.target,
            i.get_target_period_display(),
            i.amber_tolerance,
        ]
        for a in agreements
        for i in a.indicators.all()
    )
    requirement_rows = (
        [a.reference, r.number, r.text] for a in agreements for r in a.requirements.all()
    )
    return {
        AGREEMENTS: ([c.title for c in AGREEMENT_COLUMNS], agreement_rows),
        INDICATORS: ([c.title for c in INDICATOR_COLUMNS], indicator_rows),
        REQUIREMENTS: ([c.title for c in REQUIREMENT_COLUMNS], requirement_rows),
    }
