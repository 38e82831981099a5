"""Reads of the grants domain: scoped to the user, joined once, a fixed number of queries."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Count,
    DecimalField,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import QueryDict

from grants import beneficiaries, figures, permissions
from grants.beneficiaries import Section as BeneficiarySection
from grants.filters import QUEUE_STATUSES, ResultFilter, ReturnFilter
from grants.importing import (
    AGREEMENT_COLUMNS,
    AGREEMENTS,
    INDICATOR_COLUMNS,
    INDICATORS,
    REQUIREMENT_COLUMNS,
    REQUIREMENTS,
)
from grants.importing import KIND as IMPORT_KIND
from grants.lifecycle import ReturnStatus
from grants.models import (
    Agreement,
    BeneficiaryCount,
    BeneficiaryFigures,
    CharacteristicNotCollected,
    EvidenceFile,
    IndicatorAnswer,
    MinimumRequirement,
    MonitoringMeeting,
    PaymentInstalment,
    PerformanceIndicator,
    QuarterlyReturn,
    ReportingPeriod,
    RequirementAnswer,
    ReturnSubmission,
    ReturnTransition,
    overdue_on,
    reported_before_quarter,
)
from grants.rag import Rag, rag_status
from sla_monitor.models import ImportBatch
from sla_monitor.periods import financial_year_label

NOT_STARTED, IN_PROGRESS, COMPLETED = "Not started", "In progress", "Completed"
YES_NO = {True: "Yes", False: "No", None: ""}


@dataclass
class EarlierAnswer:
    period: ReportingPeriod
    answer: IndicatorAnswer


@dataclass(frozen=True)
class Achievement:
    """When a milestone was achieved: the quarter whose return reported it, and the day that
    return was submitted."""

    period: ReportingPeriod
    reported_on: dt.datetime | None


@dataclass
class IndicatorRow:
    """One indicator of a return and its answer (a blank, unsaved one until answered)."""

    indicator: PerformanceIndicator
    answer: IndicatorAnswer
    earlier: list[EarlierAnswer]
    quarter: int
    # On a resubmission, the values this answer had at the submission before, of the fields
    # that changed (keys of `snapshot()["values"]`).
    previous: dict = field(default_factory=dict)
    # A milestone achieved in an earlier quarter of the agreement: shown, not asked again.
    achieved_earlier: Achievement | None = None

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
    def expected_to_date(self) -> Decimal | None:
        return figures.expected_by(self.indicator.measure, self.quarter)

    @property
    def target_wording(self) -> str:
        return figures.target_wording(self.indicator, self.quarter)

    @property
    def rag(self) -> Rag | None:
        return rag_status(
            self.indicator.measure,
            quarter=self.quarter,
            actual=self.answer.actual_value,
            year_to_date=self.year_to_date,
            achieved=True if self.achieved_earlier else self.answer.achieved,
            narrative=self.answer.narrative,
        )

    @property
    def missing(self) -> tuple[str, str] | None:
        """What the answer still needs before the return can be submitted, if anything."""
        return None if self.achieved_earlier else self.answer.missing

    @property
    def evidence(self) -> list[EvidenceFile]:
        return list(self.answer.evidence_files.all()) if self.answer.pk else []

    @property
    def status(self) -> str:
        if not self.answer.is_given:
            return NOT_STARTED
        return IN_PROGRESS if self.missing else COMPLETED

    def snapshot(self) -> dict:
        answer = self.answer
        achieved = YES_NO[answer.achieved]
        if self.achieved_earlier:
            achieved = f"Yes, achieved in {self.achieved_earlier.period}"
        values = {
            "actual": _text(answer.actual_value),
            "achieved": achieved,
            "narrative": answer.narrative,
            "evidence": sorted(e.original_name for e in self.evidence),
        }
        return {"label": f"Indicator {self.indicator.code}", "values": values}


@dataclass
class RequirementRow:
    """One minimum requirement of a return and its answer (a blank, unsaved one until answered)."""

    requirement: MinimumRequirement
    answer: RequirementAnswer
    previous: dict = field(default_factory=dict)

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
    submissions: list[ReturnSubmission] = field(default_factory=list)
    changed_keys: set[str] = field(default_factory=set)
    # The people the service worked with, when the agreement asks for them.
    beneficiaries: BeneficiarySection | None = None

    @property
    def requirements_status(self) -> str:
        answers = [r.answer for r in self.requirement_rows]
        if not any(a.is_given for a in answers):
            return NOT_STARTED
        return IN_PROGRESS if any(a.missing for a in answers) else COMPLETED

    @property
    def rows_to_answer(self) -> list[IndicatorRow]:
        """The indicators the return asks: all but milestones achieved in an earlier quarter."""
        return [row for row in self.indicator_rows if row.achieved_earlier is None]

    @property
    def achieved_earlier(self) -> list[IndicatorRow]:
        return [row for row in self.indicator_rows if row.achieved_earlier is not None]

    @property
    def requirements_flagged(self) -> list[RequirementRow]:
        """The minimum requirements the lead officer asked to change."""
        return [row for row in self.requirement_rows if row.answer.change_comment]

    @property
    def sections_completed(self) -> int:
        done = sum(1 for row in self.rows_to_answer if row.status == COMPLETED)
        done += 1 if self.requirements_status == COMPLETED else 0
        section = self.beneficiaries
        return done + (1 if section is not None and section.status == COMPLETED else 0)

    @property
    def section_count(self) -> int:
        return len(self.rows_to_answer) + 1 + (1 if self.beneficiaries is not None else 0)


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
    achievements: dict[int, Achievement] = {}
    achieved = (
        IndicatorAnswer.objects.milestones_achieved()
        .filter(
            quarterly_return__agreement_id=agreement_id,
            quarterly_return__period__start_date__lt=period.start_date,
        )
        .select_related("quarterly_return__period")
        .order_by("quarterly_return__period__start_date")
    )
    for answer in achieved:
        earlier_return = answer.quarterly_return
        achievements.setdefault(
            answer.indicator_id, Achievement(earlier_return.period, earlier_return.submitted_at)
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
                achieved_earlier=achievements.get(i.pk),
            )
            for i in indicators
        ],
        requirement_rows=[
            RequirementRow(r, requirement_answers.get(r.pk) or RequirementAnswer(requirement=r))
            for r in MinimumRequirement.objects.filter(agreement_id=agreement_id)
        ],
    )
    if quarterly_return.agreement.requires_beneficiary_figures:
        detail.beneficiaries = beneficiary_section(quarterly_return)
    if with_history:
        detail.transitions = list(quarterly_return.transitions.select_related("by"))
        detail.submissions = list(
            quarterly_return.submissions.select_related("submitted_by").order_by("number")
        )
        _number_submissions(detail.transitions, detail.submissions)
        changes = _last_changes(detail.submissions)
        detail.changed_keys = set(changes)
        for row in [*detail.indicator_rows, *detail.requirement_rows]:
            row.previous = changes.get(row.key, {})
    return detail


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


def beneficiaries_shown(user, detail: ReturnDetail) -> beneficiaries.Shown | None:
    """The return's figures of the people reached as this user may see them: as entered by its
    provider, as published (rounded to multiples of 5) for anyone else; None when not asked
    for."""
    if detail.beneficiaries is None:
        return None
    as_entered = permissions.sees_figures_as_entered(user, detail.quarterly_return)
    return detail.beneficiaries.shown(as_entered=as_entered)


def answers_snapshot(quarterly_return: QuarterlyReturn) -> dict:
    detail = return_detail(quarterly_return)
    rows = [*detail.indicator_rows, *detail.requirement_rows]
    return {row.key: row.snapshot() for row in rows}


def _changes(latest: dict, previous: dict) -> dict[str, dict]:
    """For each answer that differs between two snapshots, its values in `previous` of the
    fields that differ (an empty value where the answer was not asked then)."""
    changes = {}
    for key in latest.keys() | previous.keys():
        now = latest.get(key, {}).get("values", {})
        before = previous.get(key, {}).get("values", {})
        if now != before:
            changes[key] = {
                name: before.get(name, "")
                for name in now.keys() | before.keys()
                if now.get(name) != before.get(name)
            }
    return changes


def _last_changes(submissions: list[ReturnSubmission]) -> dict[str, dict]:
    """What changed between the last submission and the one before it (see `_changes`)."""
    if len(submissions) < 2:
        return {}
    return _changes(submissions[-1].answers, submissions[-2].answers)


def _number_submissions(transitions: list, submissions: list[ReturnSubmission]) -> None:
    """Give each transition to "submitted" the number of the submission it made (None where
    its answers were not kept), as `submission_number`. Both lists are in the order they
    happened, and the latest submissions are the ones kept."""
    submitted = [t for t in transitions if t.to_status == QuarterlyReturn.Status.SUBMITTED]
    for transition in transitions:
        transition.submission_number = None
    for transition, submission in zip(reversed(submitted), reversed(submissions), strict=False):
        transition.submission_number = submission.number


# One earlier submission, read only ---------------------------------------------------------

# Every field a snapshot's values hold (`IndicatorRow.snapshot`, `RequirementRow.snapshot`), so
# a page can show any of them whatever an older snapshot kept.
SNAPSHOT_FIELDS = {"actual": "", "achieved": "", "narrative": "", "evidence": [], "met": ""}


@dataclass
class SubmittedAnswer:
    """One answer as a submission kept it."""

    key: str
    label: str
    text: str  # the indicator's wording or the requirement's text; empty once removed
    measure_type: str  # empty for a minimum requirement
    values: dict
    changed: bool  # it differs from the submission before

    @property
    def is_requirement(self) -> bool:
        return self.key.startswith("requirement:")


@dataclass
class SubmissionDetail:
    submission: ReturnSubmission
    answers: list[SubmittedAnswer]
    decision: ReturnTransition | None  # what the lead officer decided on it, if they have
    submissions: list[ReturnSubmission]  # every submission of the return, for moving between

    @property
    def indicators(self) -> list[SubmittedAnswer]:
        return [a for a in self.answers if not a.is_requirement]

    @property
    def requirements(self) -> list[SubmittedAnswer]:
        return [a for a in self.answers if a.is_requirement]

    @property
    def is_latest(self) -> bool:
        return self.submission.number == self.submissions[-1].number


def submission_detail(quarterly_return: QuarterlyReturn, number: int) -> SubmissionDetail | None:
    """The answers of one submission of the return, in the order the return asks them, with the
    decision that followed it; None when the return has no such submission."""
    submissions = list(
        quarterly_return.submissions.select_related("submitted_by").order_by("number")
    )
    chosen = next((s for s in submissions if s.number == number), None)
    if chosen is None:
        return None
    before = next((s for s in reversed(submissions) if s.number < number), None)
    changed = set(_changes(chosen.answers, before.answers)) if before else set()
    agreement_id = quarterly_return.agreement_id
    asked = {
        f"indicator:{i.pk}": (i.wording, i.measure_type)
        for i in PerformanceIndicator.objects.filter(agreement_id=agreement_id)
    } | {
        f"requirement:{r.pk}": (r.text, "")
        for r in MinimumRequirement.objects.filter(agreement_id=agreement_id)
    }
    kept = chosen.answers
    order = [key for key in asked if key in kept] + sorted(
        (key for key in kept if key not in asked), key=lambda key: kept[key]["label"]
    )
    answers = []
    for key in order:
        text, measure_type = asked.get(key, ("", ""))
        answers.append(
            SubmittedAnswer(
                key=key,
                label=kept[key]["label"],
                text=text,
                measure_type=measure_type,
                values={**SNAPSHOT_FIELDS, **kept[key]["values"]},
                changed=key in changed,
            )
        )
    transitions = list(quarterly_return.transitions.select_related("by"))
    _number_submissions(transitions, submissions)
    made = next((t for t in transitions if t.submission_number == number), None)
    following = transitions[transitions.index(made) + 1 :] if made else []
    return SubmissionDetail(chosen, answers, following[0] if following else None, submissions)


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
        ReportingPeriod.objects.begun(today)
        .filter(
            start_date__gte=min(a.start_date for a in agreements),
            end_date__lte=max(a.end_date for a in agreements),
        )
        .order_by("-financial_year", "-quarter")
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
    """The filtered returns of the officer's council, the longest waiting first, and counts by
    status. With no filter chosen, the queue holds the returns awaiting review."""
    # Only what a queue row and its export show: every join the planner needn't weigh counts.
    returns: QuerySet = (
        permissions.visible_returns(user)
        .select_related(None)
        .select_related("period", "agreement__provider", "agreement__fund")
    )
    data = _awaiting_review_unless_filtered(data)
    filterset = ReturnFilter(data, queryset=returns, user=user, today=today)
    queue = filterset.qs.order_by(
        F("submitted_at").asc(nulls_last=True), "period__due_date", "agreement__reference", "pk"
    )
    counts = dict(
        returns.order_by()
        .values_list("status")
        .annotate(count=Count("pk"))
        .values_list("status", "count")
    )
    status_counts = [(value, label, counts.get(value, 0)) for value, label in QUEUE_STATUSES]
    return filterset, queue, status_counts


def meeting_of(agreement: Agreement, meeting_pk: int) -> MonitoringMeeting | None:
    """The agreement's meeting, or None when it has been deleted; another agreement's meeting
    raises `MonitoringMeeting.DoesNotExist`, as if it were not there."""
    meeting = (
        agreement.meetings.select_related("agreement", "period", "recorded_by")
        .filter(pk=meeting_pk)
        .first()
    )
    if meeting is None and MonitoringMeeting.objects.filter(pk=meeting_pk).exists():
        raise MonitoringMeeting.DoesNotExist
    return meeting


def instalments_waiting_on(quarterly_return: QuarterlyReturn) -> QuerySet:
    """The agreement's instalments not yet decided that are released once this return is
    approved."""
    return quarterly_return.agreement.instalments.filter(
        depends_on_period=quarterly_return.period_id,
        status=PaymentInstalment.Status.SCHEDULED,
    ).order_by("sequence")


def _awaiting_review_unless_filtered(data: QueryDict | None) -> QueryDict:
    """The queue's filters as asked, or "awaiting review" when none is: a page number alone
    keeps the default, and choosing "Any status" shows every return."""
    data = data.copy() if data is not None else QueryDict(mutable=True)
    if not set(data) - {"page"}:
        data["status"] = ReturnStatus.SUBMITTED
    return data


# Indicator results: every reported answer, with the year's total so far ---------------------


@dataclass
class ResultRow:
    """An answer read with `with_year_to_date()`, and its RAG."""

    answer: IndicatorAnswer

    @cached_property
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
    def expected_to_date(self) -> Decimal | None:
        return figures.expected_by(
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


WAITING_RETURN = {
    None: "it has not been started",
    QuarterlyReturn.Status.DRAFT: "it is still a draft",
    QuarterlyReturn.Status.SUBMITTED: "it is submitted and awaits review",
    QuarterlyReturn.Status.CHANGES_REQUESTED: "it was sent back for changes",
}


def _waiting_message(instalment: PaymentInstalment, quarterly_return) -> str | None:
    period = instalment.depends_on_period
    if period is None:
        return None
    status = quarterly_return.status if quarterly_return else None
    if status == QuarterlyReturn.Status.APPROVED:
        return None
    return (
        f"The {instalment.label} needs the {period} return approved first; "
        f"{WAITING_RETURN[status]}."
    )


def waiting_for_return(instalment: PaymentInstalment) -> str | None:
    """Why the instalment's release still waits for the return it depends on, or None."""
    return instalment_dependency(instalment).blocker


@dataclass
class Dependency:
    """What an instalment's release depends on: the return of a quarter, approved."""

    period: ReportingPeriod | None
    quarterly_return: QuarterlyReturn | None
    blocker: str | None  # why it cannot be released yet

    @property
    def waiting(self) -> str:
        """Where the return stands, while it is not approved."""
        return WAITING_RETURN[self.quarterly_return.status if self.quarterly_return else None]


def instalment_dependency(instalment: PaymentInstalment) -> Dependency:
    if instalment.depends_on_period_id is None:
        return Dependency(None, None, None)
    quarterly_return = QuarterlyReturn.objects.filter(
        agreement_id=instalment.agreement_id, period_id=instalment.depends_on_period_id
    ).first()
    return Dependency(
        instalment.depends_on_period,
        quarterly_return,
        _waiting_message(instalment, quarterly_return),
    )


@dataclass
class InstalmentRow:
    instalment: PaymentInstalment
    steps: list  # the steps of its lifecycle the user may take now
    blocker: str | None  # why it cannot be released yet
    past_due: bool

    def may(self, step_name: str) -> bool:
        return any(step.name == step_name for step in self.steps)

    @property
    def releasable(self) -> bool:
        return self.may("release") and self.blocker is None

    @property
    def withholdable(self) -> bool:
        return self.may("withhold")


def instalment_rows(
    user, instalments: list[PaymentInstalment], past_due: Iterable[PaymentInstalment] = ()
) -> list[InstalmentRow]:
    """Each instalment with what the user may do with it now, what a release waits for, and
    whether it is among the `past_due` ones (`PaymentInstalmentQuerySet.past_due`)."""
    needed = {i.depends_on_period_id for i in instalments if i.depends_on_period_id}
    returns = {
        (r.agreement_id, r.period_id): r
        for r in QuarterlyReturn.objects.filter(
            agreement_id__in={i.agreement_id for i in instalments}, period_id__in=needed
        )
    }
    late = {i.pk for i in past_due}
    rows = []
    for instalment in instalments:
        steps = permissions.instalment_steps_for(user, instalment)
        blocker = None
        if any(step.name == "release" for step in steps):
            key = (instalment.agreement_id, instalment.depends_on_period_id)
            blocker = _waiting_message(instalment, returns.get(key))
        rows.append(InstalmentRow(instalment, steps, blocker, instalment.pk in late))
    return rows


@dataclass
class AgreementPayments:
    """An agreement's money to date: the award, what has been paid and what remains."""

    award: Decimal
    paid: Decimal
    withheld: Decimal
    past_due: list[PaymentInstalment]

    @property
    def remaining(self) -> Decimal:
        return self.award - self.paid


def agreement_payments(agreement: Agreement, today: dt.date) -> AgreementPayments:
    """The agreement's totals over every year, and its instalments past due, in two queries."""
    money = DecimalField(max_digits=14, decimal_places=2)
    zero = Value(Decimal("0"))
    Status = PaymentInstalment.Status
    totals = agreement.instalments.aggregate(
        paid=Coalesce(Sum("amount", filter=Q(status=Status.RELEASED)), zero, output_field=money),
        withheld=Coalesce(
            Sum("amount", filter=Q(status=Status.WITHHELD)), zero, output_field=money
        ),
    )
    past_due = list(
        agreement.instalments.past_due(today)
        .labelled()
        .select_related("depends_on_period")
        .order_by("due_date", "sequence")
    )
    return AgreementPayments(
        award=agreement.total_allocation,
        paid=totals["paid"],
        withheld=totals["withheld"],
        past_due=past_due,
    )


# Exports: the columns of the review queue and of the indicator results -------------------------


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
            qr.submitted_at,
            qr.decided_at,
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
        measure = indicator.measure_type
        yield [
            str(qr.period),
            qr.agreement.reference,
            qr.agreement.provider.name,
            indicator.code,
            indicator.wording,
            indicator.get_measure_type_display(),
            figures.figure(measure, indicator.target),
            indicator.get_target_period_display(),
            figures.figure(measure, row.expected_to_date),
            figures.figure(measure, answer.actual_value),
            YES_NO[answer.achieved],
            figures.figure(measure, row.year_to_date),
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


def _plain_number(value: Decimal | None) -> int | Decimal | None:
    """A number as the agreements import reads it: whole when it is (3, not 3.00), and a
    percentage as the number of percent (75), whatever its measure."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else value.normalize()


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
            _plain_number(i.target),
            i.get_target_period_display(),
            i.unit,
            _plain_number(i.amber_tolerance),
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


# Who the grants reach ------------------------------------------------------------------------


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


def diversity_answers(user, organisation) -> list:
    """An organisation's own answers about its diversity, newest year first, as far as the user
    may read them."""
    return list(
        permissions.visible_diversity(user)
        .filter(organisation=organisation)
        .select_related("updated_by")
        .order_by("-financial_year")
    )
