"""The questions a return asks beyond its indicators and requirements, as its pages show them:
while the return awaits submission, the questions in force now; once submitted, its answers as
they were submitted, worded as they were asked."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Prefetch, Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from grants.models import AnswerFlag, EvidenceFile, FundQuestion, QuarterlyReturn, QuestionAnswer
from grants.models.questions import choice_list
from grants.models.returns import REPORTED

Kind = FundQuestion.Kind
YES_NO = {True: "Yes", False: "No", None: ""}


def answer_text(answer: QuestionAnswer, kind: str) -> str:
    """An answer's value as a sentence shows it and a submission keeps it: a whole number with
    thousands separators, money in pounds and pence, a date as yyyy-mm-dd; a file's answer is
    its evidence files, so empty here."""
    if kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT):
        return answer.text
    if kind == Kind.WHOLE_NUMBER:
        return "" if answer.number is None else f"{int(answer.number):,}"
    if kind == Kind.MONEY:
        return "" if answer.number is None else f"£{answer.number:,.2f}"
    if kind == Kind.YES_NO:
        return YES_NO[answer.yes_no]
    if kind == Kind.DATE:
        return "" if answer.date is None else answer.date.isoformat()
    if kind == Kind.CHOICE:
        return answer.choice
    return ""


@dataclass
class QuestionRow:
    """One question of a return and its answer (a blank, unsaved one until answered)."""

    question: FundQuestion
    answer: QuestionAnswer
    number: int
    # True while the return awaits submission: the question is shown as it is worded now.
    live: bool = True
    previous: dict = field(default_factory=dict)
    flag: AnswerFlag | None = None

    @property
    def key(self) -> str:
        return f"question:{self.question.pk}"

    @property
    def anchor(self) -> str:
        return f"question-{self.question.pk}"

    @property
    def field_name(self) -> str:
        return f"question_{self.question.pk}"

    @property
    def label(self) -> str:
        return gettext("Question %(number)s") % {"number": self.number}

    @property
    def wording(self) -> str:
        return self.question.wording if self.live else self.answer.wording

    @property
    def kind(self) -> str:
        return self.question.kind if self.live else self.answer.kind

    @property
    def kind_label(self) -> str:
        return Kind(self.kind).label

    @property
    def choices(self) -> list[str]:
        return self.question.choice_list if self.live else choice_list(self.answer.choices)

    @property
    def evidence(self) -> list[EvidenceFile]:
        return list(self.answer.evidence_files.all()) if self.answer.pk else []

    @property
    def text(self) -> str:
        """The answer as the return's pages show it."""
        if self.kind == Kind.FILE:
            return ", ".join(e.original_name for e in self.evidence)
        if self.kind == Kind.DATE and self.answer.date is not None:
            return date_format(self.answer.date, "j F Y")  # the month in the reader's language
        return answer_text(self.answer, self.kind)

    @property
    def number_value(self) -> Decimal | None:
        return self.answer.number

    @property
    def is_given(self) -> bool:
        if self.kind == Kind.FILE:
            return bool(self.evidence)
        if self.kind == Kind.CHOICE and self.live and self.answer.choice not in self.choices:
            # A choice the question no longer offers is asked again.
            return False
        return bool(answer_text(self.answer, self.kind))

    @property
    def missing(self) -> tuple[str, str] | None:
        """What a required question still needs before the return can be submitted."""
        if not self.question.required or self.is_given:
            return None
        return self.field_name, gettext("Answer question %(number)s: %(wording)s") % {
            "number": self.number,
            "wording": self.wording,
        }

    def snapshot(self) -> dict:
        return {
            "label": self.label,
            "question": {"wording": self.wording, "kind": self.kind, "choices": self.choices},
            "values": {
                "answer": answer_text(self.answer, self.kind),
                "evidence": sorted(e.original_name for e in self.evidence),
            },
        }


def _answers(quarterly_return: QuarterlyReturn) -> QuerySet:
    evidence = Prefetch("evidence_files", queryset=EvidenceFile.objects.order_by("uploaded_at"))
    return QuestionAnswer.objects.filter(quarterly_return=quarterly_return).prefetch_related(
        evidence
    )


def question_rows(quarterly_return: QuarterlyReturn) -> list[QuestionRow]:
    """The return's questions and answers, in the order the fund, then the agreement, set: one
    query when there are none, three at most however many there are."""
    agreement = quarterly_return.agreement
    asked = FundQuestion.objects.for_agreement(agreement)
    if quarterly_return.awaits_submission:
        questions = asked.in_force()
        answers = _answers(quarterly_return)
    else:
        # The answers as submitted: one query finds the questions they answer.
        questions = asked.filter(
            Q(answers__quarterly_return=quarterly_return) & Q(answers__asked=True)
        )
        answers = _answers(quarterly_return).filter(asked=True)
    questions = questions.order_by(F("fund_id").asc(nulls_last=True), "order", "pk")
    rows = []
    for number, question in enumerate(
        questions.prefetch_related(Prefetch("answers", queryset=answers, to_attr="given")),
        start=1,
    ):
        answer = question.given[0] if question.given else QuestionAnswer(question=question)
        rows.append(QuestionRow(question, answer, number, live=quarterly_return.awaits_submission))
    return rows


QUESTION_EXPORT_HEADERS = [
    _("Agreement"),
    _("Provider"),
    _("Financial year"),
    _("Quarter"),
    _("Status"),
    _("Question"),
    _("Kind of answer"),
    _("Answer"),
    _("Number"),
    _("Date"),
    _("Files"),
]


def question_answers_of_fund(fund) -> QuerySet:
    """The answers every reported return of the fund's agreements gave, as submitted: one query,
    and one for their files."""
    evidence = Prefetch("evidence_files", queryset=EvidenceFile.objects.order_by("uploaded_at"))
    return (
        QuestionAnswer.objects.filter(
            quarterly_return__agreement__fund=fund,
            quarterly_return__status__in=REPORTED,
            asked=True,
        )
        .select_related(
            "quarterly_return__agreement__provider", "quarterly_return__period", "question"
        )
        .prefetch_related(evidence)
        .order_by(
            "quarterly_return__agreement__reference",
            "quarterly_return__period__start_date",
            F("question__fund_id").asc(nulls_last=True),
            "question__order",
            "question_id",
        )
    )


def question_export_rows(answers):
    for answer in answers:
        quarterly_return = answer.quarterly_return
        period = quarterly_return.period
        files = [e.original_name for e in answer.evidence_files.all()]
        yield [
            quarterly_return.agreement.reference,
            quarterly_return.agreement.provider.name,
            period.financial_year,
            f"Q{period.quarter}",
            str(quarterly_return.get_status_display()),
            answer.wording,
            str(Kind(answer.kind).label),
            answer_text(answer, answer.kind),
            answer.number,
            answer.date,
            ", ".join(files),
        ]
