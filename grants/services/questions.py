"""The questions a fund adds to its returns: setting them, and a return's answers to them.

Answers are saved as a draft like the return's other sections (`grants.services.returns`); each
keeps a copy of its question as it was asked, refreshed when its return is submitted, so that a
later change to the question never alters a submitted return."""

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext

from grants import permissions
from grants.evidence import check_evidence_file
from grants.models import Fund, FundQuestion, QuarterlyReturn, QuestionAnswer
from grants.models.questions import CHOICE_LENGTH, LONG_TEXT_LENGTH, SHORT_TEXT_LENGTH
from grants.services import returns as return_steps
from sla_monitor.forms import largest

Kind = FundQuestion.Kind
LARGEST = largest(QuestionAnswer._meta.get_field("number"))
# The column of the answer each kind of question fills.
COLUMN = {
    Kind.SHORT_TEXT: "text",
    Kind.LONG_TEXT: "text",
    Kind.WHOLE_NUMBER: "number",
    Kind.MONEY: "number",
    Kind.YES_NO: "yes_no",
    Kind.DATE: "date",
    Kind.CHOICE: "choice",
}
EMPTY = {"text": "", "number": None, "yes_no": None, "date": None, "choice": ""}


def value_error(question: FundQuestion, value) -> str | None:
    """Why `value` cannot answer the question, or None when it can (None and "" always can: a
    draft may leave a question unanswered)."""
    if value is None or value == "":
        return None
    kind = question.kind
    if kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT):
        longest = SHORT_TEXT_LENGTH if kind == Kind.SHORT_TEXT else LONG_TEXT_LENGTH
        if not isinstance(value, str):
            return gettext("Enter the answer as text")
        if len(value) > longest:
            return gettext("The answer must be %(longest)s characters or fewer") % {
                "longest": f"{longest:,}"
            }
    elif kind in (Kind.WHOLE_NUMBER, Kind.MONEY):
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            return gettext("Enter the answer as a number")
        if kind == Kind.WHOLE_NUMBER and value != int(value):
            return gettext("Enter the answer as a whole number")
        if value < 0 or value > LARGEST or Decimal(value).as_tuple().exponent < -2:
            return gettext("Enter a number from 0 to %(largest)s") % {"largest": f"{LARGEST:,}"}
    elif kind == Kind.YES_NO:
        if not isinstance(value, bool):
            return gettext("Choose yes or no")
    elif kind == Kind.DATE:
        if not isinstance(value, dt.date):
            return gettext("Enter a real date")
    elif kind == Kind.CHOICE and (value not in question.choice_list or len(value) > CHOICE_LENGTH):
        return gettext("Choose one of the answers offered")
    return None


@transaction.atomic
def save_question_answers(
    *,
    quarterly_return: QuarterlyReturn,
    by,
    expected_version: int | None,
    answers: Mapping[int, object],
    files: Mapping[int, Sequence[UploadedFile]] | None = None,
) -> None:
    """Save the answers to the return's questions as a draft: {question id: value} with the
    value typed as its question's kind asks (text, a number, True or False, a date, one of the
    choices; None or "" for no answer), and files for questions that ask for one. Anything
    invalid and nothing is saved."""
    locked = return_steps._lock(quarterly_return, expected_version)
    return_steps._require("edit", locked, by)
    asked = {q.pk: q for q in FundQuestion.objects.for_agreement(locked.agreement).in_force()}
    files = files or {}
    errors = {}
    for question_id in {*answers, *files}:
        if question_id not in asked:
            raise PermissionDenied(gettext("That question is not asked in this return."))
    for question_id, value in answers.items():
        if (error := value_error(asked[question_id], value)) is not None:
            errors[f"question_{question_id}"] = error
    checked = {}
    for question_id, uploads in files.items():
        if asked[question_id].kind != Kind.FILE:
            no_file = gettext("This question asks for no file")
            raise ValidationError({f"question_{question_id}": no_file})
        try:
            checked[question_id] = [(u, check_evidence_file(u)) for u in uploads]
        except ValidationError as error:
            errors[f"question_{question_id}"] = error.messages[0]
    if errors:
        raise ValidationError(errors)
    for question_id in {*answers, *checked}:
        question = asked[question_id]
        answer, _ = QuestionAnswer.objects.get_or_create(
            quarterly_return=locked,
            question=question,
            defaults={"wording": question.wording, "kind": question.kind},
        )
        answer.keep_question(question)
        answer.asked = True
        for column, empty in EMPTY.items():
            setattr(answer, column, empty)
        if question_id in answers and question.kind in COLUMN:
            value = answers[question_id]
            value = value.strip() if isinstance(value, str) else value
            column = COLUMN[question.kind]
            setattr(answer, column, EMPTY[column] if value in (None, "") else value)
        answer.save()
        if checked.get(question_id):
            try:
                return_steps._refuse_too_much_evidence(locked, answer, len(checked[question_id]))
            except ValidationError as error:
                raise ValidationError(
                    {f"question_{question_id}": error.message_dict["evidence"]}
                ) from error
            return_steps._store_evidence(locked, checked[question_id], by, question_answer=answer)
    return_steps._clear_changed_flags(locked, by)
    return_steps._bump(locked)
    quarterly_return.version = locked.version


# A fund's questions ----------------------------------------------------------------------------


class StaleQuestionsError(ValidationError):
    """The fund's questions changed since the page was loaded; nothing was saved."""


def questions_version(fund: Fund) -> str:
    """A fingerprint of the fund's questions as they are: the page carries it, so that two
    people changing them at once cannot overwrite each other unawares."""
    fields = ("pk", "order", "wording", "help_text", "kind", "choices", "required", "retired")
    rows = FundQuestion.objects.filter(fund=fund).order_by("pk").values_list(*fields)
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class QuestionChange:
    """One question as the page sets it: an existing question (`question`) or a new one."""

    question: FundQuestion | None
    order: int
    wording: str
    help_text: str
    kind: str
    choices: str
    required: bool
    retired: bool


EDITED = ("order", "wording", "help_text", "kind", "choices", "required", "retired")


@transaction.atomic
def set_fund_questions(
    *, fund: Fund, by, expected_version: str, changes: Sequence[QuestionChange]
) -> list[FundQuestion]:
    """Add and change the fund's questions. A question answered in a return is never deleted
    (`retired` stops it being asked); a change to its wording reaches only returns not yet
    submitted, since submitted answers keep the question as they were asked."""
    if not permissions.can_set_fund_questions(by, fund):
        raise PermissionDenied(gettext("Only the fund's council sets its questions."))
    Fund.objects.select_for_update().get(pk=fund.pk)
    if questions_version(fund) != expected_version:
        raise StaleQuestionsError(
            gettext(
                "The fund's questions have changed since you opened the page, so nothing was "
                "saved. Check them below, then make your change again."
            )
        )
    # As stored, not as the page's form left them.
    current = {q.pk: q for q in FundQuestion.objects.filter(fund=fund)}
    saved = []
    for change in changes:
        if change.question is not None and change.question.pk not in current:
            raise PermissionDenied(gettext("That question belongs to another fund."))
        question = current[change.question.pk] if change.question else FundQuestion(fund=fund)
        values = {name: getattr(change, name) for name in EDITED}
        values["wording"] = values["wording"].strip()
        values["choices"] = "\n".join(
            line.strip() for line in values["choices"].splitlines() if line.strip()
        )
        if values["kind"] != Kind.CHOICE:
            values["choices"] = ""
        altered = [name for name, value in values.items() if getattr(question, name) != value]
        if question.pk is not None and not altered:
            saved.append(question)
            continue
        for name, value in values.items():
            setattr(question, name, value)
        question.full_clean()
        question.save()
        saved.append(question)
    return saved
