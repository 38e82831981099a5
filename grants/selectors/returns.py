"""A return as its pages show it: each indicator and minimum requirement with its answer, what
changed since the submission before, and any earlier submission, read only."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from grants import beneficiaries, figures, permissions
from grants.beneficiaries import Section as BeneficiarySection
from grants.models import (
    EvidenceFile,
    IndicatorAnswer,
    MinimumRequirement,
    PerformanceIndicator,
    QuarterlyReturn,
    ReportingPeriod,
    RequirementAnswer,
    ReturnSubmission,
    ReturnTransition,
    reported_before_quarter,
)
from grants.rag import Rag, rag_status
from grants.selectors.beneficiaries import beneficiary_section

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


def milestone_achievements(agreement_id: int, *, before: dt.date) -> dict[int, Achievement]:
    """Each of the agreement's milestones that a return of a quarter starting before `before`
    reports achieved, with the first quarter that did: it stays achieved from the next quarter
    on, in that year and the agreement's later years."""
    achievements: dict[int, Achievement] = {}
    achieved = (
        IndicatorAnswer.objects.milestones_achieved()
        .filter(
            quarterly_return__agreement_id=agreement_id,
            quarterly_return__period__start_date__lt=before,
        )
        .select_related("quarterly_return__period")
        .order_by("quarterly_return__period__start_date")
    )
    for answer in achieved:
        earlier_return = answer.quarterly_return
        achievements.setdefault(
            answer.indicator_id, Achievement(earlier_return.period, earlier_return.submitted_at)
        )
    return achievements


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
    achievements = milestone_achievements(agreement_id, before=period.start_date)
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
