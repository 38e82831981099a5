"""A return as its pages show it: each indicator and minimum requirement with its answer, what
changed since the submission before, and any earlier submission, read only."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from grants import beneficiaries, budgets, figures, permissions
from grants.beneficiaries import Section as BeneficiarySection
from grants.models import (
    AnswerFlag,
    CorrectionLine,
    EvidenceFile,
    IndicatorAnswer,
    Message,
    MinimumRequirement,
    PerformanceIndicator,
    QuarterlyReturn,
    ReportingPeriod,
    RequirementAnswer,
    ReturnCorrection,
    ReturnSubmission,
    ReturnTransition,
    reported_before_quarter,
)
from grants.rag import Measure, Rag, rag_status
from grants.selectors.beneficiaries import beneficiary_section
from grants.selectors.conversations import with_authors
from grants.selectors.questions import QuestionRow, question_rows
from grants.selectors.support import SupportSection, support_section

# A section's status is its key and reads as English; templates translate it for display.
NOT_STARTED = gettext_noop("Not started")
IN_PROGRESS = gettext_noop("In progress")
COMPLETED = gettext_noop("Completed")
CHANGE_REQUESTED = gettext_noop("Change requested")
YES_NO = {True: "Yes", False: "No", None: ""}
# How a submission keeps an answer achieved in an earlier quarter, before the quarter's name.
ACHIEVED_EARLIER = "Yes, achieved in "


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
    # The latest flag an officer raised on this answer, open or cleared (`attach_flags`).
    flag: AnswerFlag | None = None
    # The return's quarter, whose target in force judges the answer (`measure_for`).
    period: ReportingPeriod | None = None
    # The first quarter of the year the return covers (`Agreement.first_quarter_covered`):
    # earlier than `quarter` for a six-monthly or annual return.
    first_quarter: int | None = None

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
    def measure(self) -> Measure:
        """The target in force in the return's quarter."""
        if self.period is None:
            return self.indicator.measure
        return self.indicator.measure_for(self.period)

    @property
    def expected_to_date(self) -> Decimal | None:
        return figures.expected_by(self.measure, self.quarter, self.first_quarter)

    @property
    def target_wording(self) -> str:
        year = self.period.financial_year if self.period is not None else None
        return figures.target_wording(self.indicator, self.quarter, financial_year=year)

    @property
    def rag(self) -> Rag | None:
        return rag_status(
            self.measure,
            quarter=self.quarter,
            first_quarter=self.first_quarter,
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
        if self.flag is not None and self.flag.is_open:
            return CHANGE_REQUESTED
        if not self.answer.is_given:
            return NOT_STARTED
        return IN_PROGRESS if self.missing else COMPLETED

    def snapshot(self) -> dict:
        answer = self.answer
        achieved = YES_NO[answer.achieved]
        if self.achieved_earlier:
            achieved = f"{ACHIEVED_EARLIER}{self.achieved_earlier.period}"
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
    flag: AnswerFlag | None = None

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
    # The return's own thread: messages about the return rather than one answer.
    messages: list[Message] = field(default_factory=list)
    # Every flag ever raised on the return, with its thread, in the order raised.
    flags: list[AnswerFlag] = field(default_factory=list)
    # The people the service worked with, when the agreement asks for them.
    beneficiaries: BeneficiarySection | None = None
    # Every correction proposed to the return, with its lines, in the order proposed.
    corrections: list[ReturnCorrection] = field(default_factory=list)
    # The questions its fund, or its agreement, adds (`grants.selectors.questions`).
    question_rows: list[QuestionRow] = field(default_factory=list)

    # Added value and support in kind, when the agreement has either.
    support: SupportSection | None = None

    @property
    def support_rows(self) -> list:
        return self.support.rows if self.support is not None else []

    # The budget lines of the return's financial year and the spend to date on each.
    spend_rows: list[budgets.SpendRow] = field(default_factory=list)

    @property
    def spending_status(self) -> str | None:
        """The spending section's status; None when the year has no budget."""
        rows = self.spend_rows
        if not rows:
            return None
        if any(row.flag and row.flag.is_open for row in rows):
            return CHANGE_REQUESTED
        if not any(row.answer.spent_to_date is not None for row in rows):
            return NOT_STARTED
        return IN_PROGRESS if any(row.missing for row in rows) else COMPLETED

    @property
    def spend_missing(self) -> list[tuple[str, str]]:
        return [missing for row in self.spend_rows if (missing := row.missing)]

    @property
    def open_correction(self) -> ReturnCorrection | None:
        return next((c for c in self.corrections if c.is_open), None)

    @property
    def approved_corrections(self) -> list[ReturnCorrection]:
        return [c for c in self.corrections if c.status == ReturnCorrection.Status.APPROVED]

    @property
    def requirements_status(self) -> str:
        if self.requirements_flagged:
            return CHANGE_REQUESTED
        answers = [r.answer for r in self.requirement_rows]
        if not any(a.is_given for a in answers):
            return NOT_STARTED
        return IN_PROGRESS if any(a.missing for a in answers) else COMPLETED

    @property
    def questions_flagged(self) -> list[QuestionRow]:
        return [row for row in self.question_rows if row.flag and row.flag.is_open]

    @property
    def questions_status(self) -> str:
        if self.questions_flagged:
            return CHANGE_REQUESTED
        if not any(row.is_given for row in self.question_rows):
            return NOT_STARTED
        return IN_PROGRESS if any(row.missing for row in self.question_rows) else COMPLETED

    @property
    def answer_rows(self) -> list:
        """Every answer of the return, in the order it asks them."""
        return [
            *self.indicator_rows,
            *self.requirement_rows,
            *self.question_rows,
            *self.support_rows,
            *self.spend_rows,
        ]

    @property
    def rows_to_answer(self) -> list[IndicatorRow]:
        """The indicators the return asks: all but milestones achieved in an earlier quarter."""
        return [row for row in self.indicator_rows if row.achieved_earlier is None]

    @property
    def achieved_earlier(self) -> list[IndicatorRow]:
        return [row for row in self.indicator_rows if row.achieved_earlier is not None]

    @property
    def requirements_flagged(self) -> list[RequirementRow]:
        """The minimum requirements an officer asked to change, while the flag is open."""
        return [row for row in self.requirement_rows if row.flag and row.flag.is_open]

    @property
    def flagged_rows(self) -> list["IndicatorRow | RequirementRow"]:
        """Every answer with a flag, open or cleared, in the order the return asks them."""
        return [row for row in self.answer_rows if row.flag]

    @property
    def open_flags(self) -> list[AnswerFlag]:
        return [row.flag for row in self.flagged_rows if row.flag.is_open]

    @property
    def left_as_flagged(self) -> list[AnswerFlag]:
        """Open flags whose answer is as it was when flagged and which the provider has not
        replied to: submitting with these asks the provider to confirm."""
        return [flag for flag in self.open_flags if flag.unchanged and not flag.answered]

    @property
    def is_resubmission(self) -> bool:
        return len(self.submissions) > 1

    @property
    def history(self) -> list["HistoryEvent"]:
        return return_history(self)

    @property
    def sections_completed(self) -> int:
        done = sum(1 for row in self.rows_to_answer if row.status == COMPLETED)
        done += 1 if self.requirements_status == COMPLETED else 0
        done += 1 if self.spending_status == COMPLETED else 0
        done += 1 if self.support is not None and self.support.status == COMPLETED else 0
        done += 1 if self.question_rows and self.questions_status == COMPLETED else 0
        section = self.beneficiaries
        return done + (1 if section is not None and section.status == COMPLETED else 0)

    @property
    def section_count(self) -> int:
        return (
            len(self.rows_to_answer)
            + 1
            + (1 if self.question_rows else 0)
            + (1 if self.support is not None else 0)
            + (1 if self.spend_rows else 0)
            + (1 if self.beneficiaries is not None else 0)
        )


@dataclass(frozen=True)
class HistoryEvent:
    """One line of a return's history: a change of status, a flag cleared, a message, or a
    correction proposed or decided (`correction`, whose lines give each answer's original and
    corrected values)."""

    at: dt.datetime
    by: object
    what: str
    comment: str = ""
    transition: ReturnTransition | None = None
    message: Message | None = None
    correction: ReturnCorrection | None = None


CORRECTION_CLOSED = {
    ReturnCorrection.Status.APPROVED: gettext_lazy("Correction approved"),
    ReturnCorrection.Status.DECLINED: gettext_lazy("Correction declined"),
    ReturnCorrection.Status.WITHDRAWN: gettext_lazy("Correction withdrawn"),
}


def return_history(detail: ReturnDetail) -> list[HistoryEvent]:
    """Everything that happened to the return, in order: its changes of status (with the flags a
    request for changes raised), flags cleared, every message of its conversation, and each
    correction proposed and decided. Reads what `return_detail(..., with_history=True)` fetched;
    no query of its own."""
    events = [
        HistoryEvent(
            t.at,
            t.by,
            gettext("%(before)s to %(after)s")
            % {"before": t.get_from_status_display(), "after": t.get_to_status_display()},
            t.comment,
            transition=t,
        )
        for t in detail.transitions
    ]
    events += [
        HistoryEvent(m.sent_at, m.author, gettext("Message about the return"), m.body, message=m)
        for m in detail.messages
    ]
    for flag in detail.flags:
        events += [
            HistoryEvent(
                m.sent_at,
                m.author,
                gettext("Message about the flag on %(label)s") % {"label": flag.label},
                m.body,
                message=m,
            )
            for m in flag.messages.all()
        ]
        if not flag.is_open:
            what = (
                gettext("Flag on %(label)s cleared: the answer was changed")
                if flag.cleared_because == AnswerFlag.Cleared.CHANGED
                else gettext("Flag on %(label)s resolved")
            )
            events.append(
                HistoryEvent(flag.cleared_at, flag.cleared_by, what % {"label": flag.label})
            )
    for correction in detail.corrections:
        events.append(
            HistoryEvent(
                correction.proposed_at,
                correction.proposed_by,
                gettext("Correction proposed"),
                correction.reason,
                correction=correction,
            )
        )
        if not correction.is_open:
            events.append(
                HistoryEvent(
                    correction.decided_at,
                    correction.decided_by,
                    str(CORRECTION_CLOSED[correction.status]),
                    correction.decision_reason,
                    correction=correction,
                )
            )
    return sorted(events, key=lambda event: event.at)


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
        PerformanceIndicator.objects.filter(agreement_id=agreement_id)
        .in_force(period)
        .with_targets()
        .annotate(reported_before=reported_before_quarter(period.financial_year, period.quarter))
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
    first_quarter = quarterly_return.agreement.first_quarter_covered(period)
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
                period=period,
                first_quarter=first_quarter,
            )
            for i in indicators
        ],
        requirement_rows=[
            RequirementRow(r, requirement_answers.get(r.pk) or RequirementAnswer(requirement=r))
            for r in MinimumRequirement.objects.filter(agreement_id=agreement_id)
        ],
        question_rows=question_rows(quarterly_return),
    )
    support = support_section(quarterly_return)
    if support.asked:
        detail.support = support
    detail.spend_rows = budgets.spend_rows(quarterly_return)
    if quarterly_return.agreement.requires_beneficiary_figures:
        detail.beneficiaries = beneficiary_section(quarterly_return)
    attach_flags(detail)
    if with_history:
        detail.corrections = list(
            ReturnCorrection.objects.filter(quarterly_return=quarterly_return)
            .select_related("proposed_by", "decided_by")
            .prefetch_related(
                Prefetch(
                    "lines", queryset=CorrectionLine.objects.select_related("answer__indicator")
                )
            )
        )
        detail.messages = list(
            with_authors(Message.objects.filter(quarterly_return=quarterly_return, flag=None))
        )
        detail.transitions = list(quarterly_return.transitions.select_related("by"))
        detail.submissions = list(
            quarterly_return.submissions.select_related("submitted_by").order_by("number")
        )
        _number_submissions(detail.transitions, detail.submissions)
        changes = _last_changes(detail.submissions)
        detail.changed_keys = set(changes)
        for row in detail.answer_rows:
            row.previous = changes.get(row.key, {})
    return detail


def attach_flags(detail: ReturnDetail) -> None:
    """Gives each answer its latest flag, with the flag's thread, and says of each whether the
    answer is still as it was when flagged (`unchanged`) and whether the provider's people have
    replied since (`answered`). Three queries, however many flags and messages."""
    quarterly_return = detail.quarterly_return
    flags = AnswerFlag.objects.filter(quarterly_return=quarterly_return).select_related(
        "raised_by", "cleared_by"
    )
    thread = Prefetch("messages", queryset=with_authors(Message.objects.all()))
    detail.flags = list(flags.prefetch_related(thread))
    latest = {flag.answer_key: flag for flag in detail.flags}
    provider_id = quarterly_return.agreement.provider_id
    for row in detail.answer_rows:
        flag = row.flag = latest.get(row.key)
        if flag is None:
            continue
        flag.unchanged = row.snapshot()["values"] == flag.answer_when_raised
        flag.answered = any(
            message.author.organisation_id == provider_id for message in flag.messages.all()
        )


def beneficiaries_shown(user, detail: ReturnDetail) -> beneficiaries.Shown | None:
    """The return's figures of the people reached as this user may see them: as entered by its
    provider, as published (rounded to multiples of 5) for anyone else; None when not asked
    for."""
    if detail.beneficiaries is None:
        return None
    as_entered = permissions.sees_figures_as_entered(user, detail.quarterly_return)
    return detail.beneficiaries.shown(as_entered=as_entered)


def answers_snapshot(
    quarterly_return: QuarterlyReturn, *, detail: ReturnDetail | None = None
) -> dict:
    """Each answer's label and values, keyed by answer: what a submission keeps and what a flag
    compares its answer with."""
    detail = detail or return_detail(quarterly_return)
    return {row.key: row.snapshot() for row in detail.answer_rows}


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
SNAPSHOT_FIELDS = {
    "actual": "",
    "achieved": "",
    "narrative": "",
    "evidence": [],
    "met": "",
    "budget": "",
    "spent": "",
    "explanation": "",
    "statement": "",
    "contribution": "",
    "used": "",
    "quantity": "",
    "value": "",
    "answer": "",
}
SUPPORT_KEYS = ("added_value", "in_kind")


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

    @property
    def is_spend(self) -> bool:
        return self.key.startswith("spend:")

    @property
    def is_support(self) -> bool:
        """An added-value statement's evidence or a kind of support in kind used."""
        return self.key.startswith(SUPPORT_KEYS)

    @property
    def is_question(self) -> bool:
        return self.key.startswith("question:")


@dataclass
class SubmissionDetail:
    submission: ReturnSubmission
    answers: list[SubmittedAnswer]
    decision: ReturnTransition | None  # what the lead officer decided on it, if they have
    submissions: list[ReturnSubmission]  # every submission of the return, for moving between

    @property
    def indicators(self) -> list[SubmittedAnswer]:
        return [
            a
            for a in self.answers
            if not (a.is_requirement or a.is_question or a.is_spend or a.is_support)
        ]

    @property
    def requirements(self) -> list[SubmittedAnswer]:
        return [a for a in self.answers if a.is_requirement]

    @property
    def spending(self) -> list[SubmittedAnswer]:
        return [a for a in self.answers if a.is_spend]

    @property
    def support(self) -> list[SubmittedAnswer]:
        """The added value and support in kind, with the wording the submission kept."""
        return [a for a in self.answers if a.is_support]

    @property
    def questions(self) -> list[SubmittedAnswer]:
        """The fund's questions, worded as they were asked at that submission."""
        return [a for a in self.answers if a.is_question]

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
    # A question's wording is the one the submission kept, whatever it says now.
    questions = [key for key in kept if key.startswith("question:")]
    order = (
        [key for key in asked if key in kept]
        + sorted(
            (key for key in kept if key not in asked and key not in questions),
            key=lambda key: kept[key]["label"],
        )
        + questions
    )
    answers = []
    for key in order:
        text, measure_type = asked.get(key, ("", ""))
        if key in questions:
            text, measure_type = kept[key]["question"]["wording"], kept[key]["question"]["kind"]
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
