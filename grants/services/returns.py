"""A return's lifecycle (`grants.lifecycle.RETURN`): start, answer, submit, decide.

Each step locks the return's row, checks that the user may take it (`grants.permissions`) and
that the return's status allows it (the lifecycle), raises the return's version, records the
transition and sends its e-mail after the commit.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext, gettext_lazy, ngettext

from grants import (
    beneficiaries,
    budgets,
    notifications,
    permissions,
    selectors,
    stored,
    webhook_data,
)
from grants.evidence import check_evidence_file
from grants.lifecycle import RETURN, Actor
from grants.models import (
    AddedValueEvidence,
    Agreement,
    AnswerFlag,
    BeneficiaryCount,
    BeneficiaryFigures,
    CharacteristicNotCollected,
    EvidenceFile,
    IndicatorAnswer,
    InKindUse,
    MeasureType,
    Message,
    PerformanceIndicator,
    QuarterlyReturn,
    QuestionAnswer,
    ReportingPeriod,
    RequirementAnswer,
    ReturnSubmission,
    ReturnTransition,
    SpendAnswer,
)
from grants.models.constraints import MONEY
from grants.selectors.questions import QuestionRow, question_rows
from grants.services.conversations import clear_flag
from sla_monitor import audit, versions, webhooks
from sla_monitor.equality import CHARACTERISTICS
from sla_monitor.forms import largest
from sla_monitor.models import WebhookEvent as Event

WHO_TAKES = {
    Actor.PROVIDER: gettext_lazy("Only the provider of the agreement can do this to its return."),
    Actor.FUNDER: gettext_lazy(
        "Only a lead officer of the funding council can decide this return."
    ),
}


class StaleReturnError(ValidationError):
    """The return changed since the page was loaded; nothing was saved."""


class ReturnStateError(ValidationError):
    """The return is no longer in a state that allows this step; nothing was changed."""


def start_return(*, agreement: Agreement, period: ReportingPeriod, by) -> QuarterlyReturn:
    """The provider's return for a quarter, created as a draft the first time it is opened."""
    if not permissions.can_start_return(by, agreement):
        raise PermissionDenied(gettext("Only the provider of the agreement can start its returns."))
    if not agreement.reports_in(period):
        if not agreement.holds(period.start_date) or not agreement.holds(period.end_date):
            raise ValidationError(
                gettext("%(period)s is outside the agreement's period.") % {"period": period}
            )
        raise ValidationError(
            gettext("The agreement sends no return in %(period)s: its returns are %(frequency)s.")
            % {"period": period, "frequency": agreement.frequency_in(period).label.lower()}
        )
    if not period.has_begun(timezone.localdate()):
        raise ValidationError(
            gettext("The %(period)s return can be started once the quarter begins, on %(day)s.")
            % {"period": period, "day": date_format(period.start_date)}
        )
    try:
        with transaction.atomic():
            quarterly_return, created = QuarterlyReturn.objects.get_or_create(
                agreement=agreement, period=period
            )
            if created:
                stored.refresh_agreement(agreement)
    except IntegrityError:
        # Someone else started it at the same moment; theirs is the one.
        quarterly_return = QuarterlyReturn.objects.get(agreement=agreement, period=period)
    return quarterly_return


def _lock(quarterly_return: QuarterlyReturn, expected_version: int | None) -> QuarterlyReturn:
    locked = (
        QuarterlyReturn.objects.select_for_update(of=("self",))
        .select_related("agreement", "period")
        .get(pk=quarterly_return.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise StaleReturnError(
            gettext(
                "This return has changed since you opened the page, so nothing was saved. "
                "Check the latest answers below, then make your change again."
            ),
        )
    return locked


def _require(step_name: str, locked: QuarterlyReturn, by) -> None:
    """The user takes this step of this return, and its status allows the step now."""
    step = RETURN.step(step_name)
    if not permissions.may_take(by, step, locked):
        raise PermissionDenied(str(WHO_TAKES[step.actor]))
    if not RETURN.allows(step_name, locked.status):
        last = locked.transitions.select_related("by").order_by("-at", "-pk").first()
        who = (last.by.get_full_name() or last.by.username) if last else ""
        raise ReturnStateError(RETURN.refusal(step_name, locked.status, by=who))


def _bump(locked: QuarterlyReturn, **fields) -> None:
    fields["version"] = F("version") + 1
    fields["updated_at"] = timezone.now()
    QuarterlyReturn.objects.filter(pk=locked.pk).update(**fields)
    versions.move(versions.quarterly_return(locked.pk))
    locked.refresh_from_db(fields=["version", "status", "updated_at", "submitted_at", "decided_at"])


def _record(locked, *, from_status, to_status, by, comment="", flagged=()) -> ReturnTransition:
    return ReturnTransition.objects.create(
        quarterly_return=locked,
        from_status=from_status,
        to_status=to_status,
        by=by,
        comment=comment,
        flagged_answers=list(flagged),
    )


# Answers -------------------------------------------------------------------------------------


@transaction.atomic
def save_indicator_answer(
    *,
    quarterly_return: QuarterlyReturn,
    indicator: PerformanceIndicator,
    by,
    expected_version: int | None,
    actual_value: Decimal | None = None,
    achieved: bool | None = None,
    narrative: str = "",
    evidence: Sequence[UploadedFile] = (),
) -> IndicatorAnswer:
    """Save one indicator's answer as a draft: incomplete is fine, invalid is not."""
    locked = _lock(quarterly_return, expected_version)
    _require("edit", locked, by)
    if indicator.agreement_id != locked.agreement_id:
        raise PermissionDenied(gettext("That indicator belongs to another agreement."))
    checked = [(upload, check_evidence_file(upload)) for upload in evidence]
    answer, _ = IndicatorAnswer.objects.get_or_create(quarterly_return=locked, indicator=indicator)
    if checked:
        _refuse_too_much_evidence(locked, answer, len(checked))
    answer.actual_value = actual_value if indicator.needs_value else None
    answer.achieved = achieved if indicator.measure_type == MeasureType.MILESTONE else None
    answer.narrative = narrative.strip()
    answer.save(update_fields=["actual_value", "achieved", "narrative"])
    _store_evidence(locked, checked, by, indicator_answer=answer)
    _clear_changed_flags(locked, by)
    _bump(locked)
    stored.refresh_agreement(locked.agreement_id)
    quarterly_return.version = locked.version
    return answer


@transaction.atomic
def save_requirement_answers(
    *,
    quarterly_return: QuarterlyReturn,
    by,
    expected_version: int | None,
    answers: dict[int, tuple[bool | None, str]],
) -> None:
    """Save the minimum requirements' answers: {requirement id: (met, narrative)}."""
    locked = _lock(quarterly_return, expected_version)
    _require("edit", locked, by)
    requirements = {r.pk: r for r in locked.agreement.requirements.all()}
    for requirement_id, (met, narrative) in answers.items():
        if requirement_id not in requirements:
            raise PermissionDenied(gettext("That requirement belongs to another agreement."))
        answer, _ = RequirementAnswer.objects.get_or_create(
            quarterly_return=locked, requirement=requirements[requirement_id]
        )
        answer.met = met
        answer.narrative = narrative.strip()
        answer.save(update_fields=["met", "narrative"])
    _clear_changed_flags(locked, by)
    _bump(locked)
    quarterly_return.version = locked.version


@transaction.atomic
def save_beneficiary_figures(
    *,
    quarterly_return: QuarterlyReturn,
    by,
    expected_version: int | None,
    people_reached: int | None,
    counts: Mapping[str, Mapping[str, int | None]],
    not_collected: Mapping[str, str],
) -> BeneficiaryFigures:
    """Save the people the service worked with as the provider gave them, and beside them the
    figures anyone else reads, rounded to multiples of 5 (`beneficiaries.publish`). `counts` maps
    a characteristic to its boxes (None for a blank one); `not_collected` maps each
    characteristic said not to be collected to the reason, and such a characteristic keeps no
    counts. Anything wrong (`beneficiaries.figure_errors`) and nothing of the section changes."""
    locked = _lock(quarterly_return, expected_version)
    _require("edit", locked, by)
    if not locked.agreement.requires_beneficiary_figures:
        raise ValidationError(
            gettext("This agreement does not ask for the people you worked with.")
        )
    errors = beneficiaries.figure_errors(
        people_reached=people_reached, counts=counts, not_collected=not_collected
    )
    if errors:
        raise ValidationError(errors)
    # A blank box of a characteristic answered is 0; a characteristic with none filled in is not
    # answered yet and keeps no counts.
    given = {
        characteristic.code: {
            category: counts[characteristic.code].get(category) or 0
            for category in characteristic.codes
        }
        for characteristic in CHARACTERISTICS
        if characteristic.code not in not_collected
        and any(v is not None for v in counts.get(characteristic.code, {}).values())
    }
    published = beneficiaries.publish(
        return_id=locked.pk, people_reached=people_reached, counts=given
    )
    figures = BeneficiaryFigures.objects.filter(quarterly_return=locked).first()
    before = (figures.people_reached_published, _published_of(figures)) if figures else None
    if figures is None:
        figures = BeneficiaryFigures.objects.create(
            quarterly_return=locked,
            people_reached=people_reached,
            people_reached_published=published.people_reached,
            updated_by=by,
        )
    else:
        figures.people_reached = people_reached
        figures.people_reached_published = published.people_reached
        figures.updated_by = by
        figures.save(
            update_fields=[
                "people_reached",
                "people_reached_published",
                "updated_by",
                "updated_at",
            ]
        )
    figures.counts.all().delete()
    BeneficiaryCount.objects.bulk_create(
        BeneficiaryCount(
            figures=figures,
            characteristic=code,
            category=category,
            count=count,
            published=published.counts[code][category],
        )
        for code, categories in given.items()
        for category, count in categories.items()
    )
    if before is not None:
        _record_figures_changed(figures, before, by)
    _keep_reasons(figures, {code: reason.strip() for code, reason in not_collected.items()})
    _bump(locked)
    quarterly_return.version = locked.version
    return figures


@dataclass(frozen=True)
class InKindAnswer:
    """What of one kind of support in kind was used in the quarter, and its value in pounds."""

    used: str = ""
    quantity: Decimal | None = None
    value: Decimal | None = None


def _amount_errors(amount, model_field, messages: dict[str, str]) -> str | None:
    """What is wrong with an amount, in `messages` (`VALUE_ERRORS`, `QUANTITY_ERRORS`)."""
    if amount is None:
        return None
    if not isinstance(amount, Decimal) or not amount.is_finite():
        return str(messages["invalid"])
    if amount < 0:
        return str(messages["negative"])
    if amount != amount.quantize(Decimal(1).scaleb(-model_field.decimal_places)):
        return messages["places"] % {"places": model_field.decimal_places}
    biggest = largest(model_field)
    if amount > biggest:
        return messages["too_big"] % {"most": number_format(biggest, force_grouping=True)}
    return None


VALUE_ERRORS = {
    "invalid": gettext_lazy("Enter the value as a number, like 120.50"),
    "negative": gettext_lazy("The value cannot be negative"),
    "places": gettext_lazy("Give the value to at most %(places)s decimal places"),
    "too_big": gettext_lazy("Enter the value no bigger than %(most)s"),
}
QUANTITY_ERRORS = {
    "invalid": gettext_lazy("Enter the quantity as a number, like 120.50"),
    "negative": gettext_lazy("The quantity cannot be negative"),
    "places": gettext_lazy("Give the quantity to at most %(places)s decimal places"),
    "too_big": gettext_lazy("Enter the quantity no bigger than %(most)s"),
}


def _in_kind_errors(in_kind: Mapping[int, InKindAnswer]) -> dict[str, str]:
    errors = {}
    value_field = InKindUse._meta.get_field("value")
    quantity_field = InKindUse._meta.get_field("quantity")
    used_length = InKindUse._meta.get_field("used").max_length
    for pk, answer in in_kind.items():
        if problem := _amount_errors(answer.value, value_field, VALUE_ERRORS):
            errors[f"value_{pk}"] = problem
        if problem := _amount_errors(answer.quantity, quantity_field, QUANTITY_ERRORS):
            errors[f"quantity_{pk}"] = problem
        if len(answer.used.strip()) > used_length:
            errors[f"used_{pk}"] = gettext("Say what was used in %(most)s characters or fewer") % {
                "most": used_length
            }
        elif not answer.used.strip() and (answer.value is not None or answer.quantity is not None):
            errors[f"used_{pk}"] = gettext("Say what was used, like 12 desk days")
    return errors


@transaction.atomic
def save_support_answers(
    *,
    quarterly_return: QuarterlyReturn,
    by,
    expected_version: int | None,
    added_values: Mapping[int, str],
    in_kind: Mapping[int, InKindAnswer],
    evidence: Mapping[int, Sequence[UploadedFile]] | None = None,
) -> None:
    """Save the section "Added value and support in kind" as a draft: the quarter's evidence of
    each added-value statement ({statement id: narrative}, and files by statement id) and what
    of each kind of support in kind was used ({contribution id: InKindAnswer}). Every answer is
    optional; anything invalid and nothing of the section changes. Each answer keeps the
    wording of its statement or contribution as it is now."""
    locked = _lock(quarterly_return, expected_version)
    _require("edit", locked, by)
    statements = {s.pk: s for s in locked.agreement.added_values.all()}
    contributions = {c.pk: c for c in locked.agreement.in_kind_contributions.all()}
    evidence = evidence or {}
    if not set(added_values) | set(evidence) <= set(statements) or not set(in_kind) <= set(
        contributions
    ):
        raise PermissionDenied(gettext("That statement or support belongs to another agreement."))
    errors = _in_kind_errors(in_kind)
    checked = {}
    for pk, uploads in evidence.items():
        try:
            checked[pk] = [(upload, check_evidence_file(upload)) for upload in uploads]
        except ValidationError as error:
            errors[f"evidence_{pk}"] = " ".join(error.messages)
    if errors:
        raise ValidationError(errors)
    _refuse_too_much_support_evidence(locked, {pk: len(files) for pk, files in checked.items()})
    for pk, statement in statements.items():
        answer, _ = AddedValueEvidence.objects.get_or_create(
            quarterly_return=locked,
            added_value=statement,
            defaults={"statement": statement.text, "numeral": statement.numeral},
        )
        answer.statement, answer.numeral = statement.text, statement.numeral
        answer.narrative = added_values.get(pk, answer.narrative).strip()
        answer.save(update_fields=["statement", "numeral", "narrative"])
        if checked.get(pk):
            _store_evidence(locked, checked[pk], by, added_value_evidence=answer)
    for pk, contribution in contributions.items():
        given = in_kind.get(pk, InKindAnswer())
        InKindUse.objects.update_or_create(
            quarterly_return=locked,
            contribution=contribution,
            defaults={
                "description": contribution.description,
                "used": given.used.strip(),
                "quantity": given.quantity,
                "value": given.value,
            },
        )
    _clear_changed_flags(locked, by)
    _bump(locked)
    quarterly_return.version = locked.version


def _refuse_too_much_support_evidence(locked, adding: Mapping[int, int]) -> None:
    """The limits of `_refuse_too_much_evidence`, checked before anything is stored."""
    adding = {pk: count for pk, count in adding.items() if count}
    if not adding:
        return
    per_answer, per_return = settings.MAX_EVIDENCE_PER_ANSWER, settings.MAX_EVIDENCE_PER_RETURN
    held = dict(
        EvidenceFile.objects.filter(
            added_value_evidence__quarterly_return=locked,
            added_value_evidence__added_value_id__in=adding,
        )
        .order_by()
        .values_list("added_value_evidence__added_value_id")
        .annotate(count=Count("pk"))
    )
    too_many = ngettext(
        "An answer can have up to %(per_answer)s evidence file: remove it before adding "
        "another, or put several pages in one PDF.",
        "An answer can have up to %(per_answer)s evidence files: remove one before adding "
        "another, or put several pages in one PDF.",
        per_answer,
    ) % {"per_answer": per_answer}
    errors = {
        f"evidence_{pk}": too_many
        for pk, count in adding.items()
        if held.get(pk, 0) + count > per_answer
    }
    if not errors and locked.evidence_files.count() + sum(adding.values()) > per_return:
        first = next(iter(adding))
        errors[f"evidence_{first}"] = ngettext(
            "A return can have up to %(per_return)s evidence file in all.",
            "A return can have up to %(per_return)s evidence files in all.",
            per_return,
        ) % {"per_return": per_return}
    if errors:
        raise ValidationError(errors)


def _keep_support_wording(locked: QuarterlyReturn) -> None:
    """A submitted return keeps the wording its added value and support in kind were answered
    against as it is when submitted: later edits of the agreement leave it as it was."""
    for statement in locked.agreement.added_values.all():
        AddedValueEvidence.objects.filter(quarterly_return=locked, added_value=statement).update(
            statement=statement.text, numeral=statement.numeral
        )
    for contribution in locked.agreement.in_kind_contributions.all():
        InKindUse.objects.filter(quarterly_return=locked, contribution=contribution).update(
            description=contribution.description
        )


@transaction.atomic
def save_spend_answers(
    *,
    quarterly_return: QuarterlyReturn,
    by,
    expected_version: int | None,
    answers: Mapping[int, tuple[Decimal | None, str]],
) -> list[SpendAnswer]:
    """Save the spend to date on each budget line of the return's year and any explanation:
    {budget line id: (spent to date, explanation)}. A draft may leave either out; an amount
    that is negative or more than the field holds is refused beside its line, and nothing of
    the section is saved."""
    locked = _lock(quarterly_return, expected_version)
    _require("edit", locked, by)
    rows = {row.line.pk: row for row in budgets.spend_rows(locked)}
    biggest = Decimal(10) ** (MONEY["max_digits"] - MONEY["decimal_places"]) - budgets.PENNY
    errors = {}
    for line_id, (spent, _explanation) in answers.items():
        if line_id not in rows:
            raise PermissionDenied(gettext("That budget line is not part of this return's year."))
        if spent is None:
            continue
        if spent < 0:
            errors[f"spent_{line_id}"] = gettext("Spend to date cannot be less than £0")
        elif spent > biggest or spent != spent.quantize(budgets.PENNY):
            errors[f"spent_{line_id}"] = gettext(
                "Enter an amount in pounds and pence no bigger than £%(biggest)s"
            ) % {"biggest": f"{biggest:,.2f}"}
    if errors:
        raise ValidationError(errors)
    saved = []
    for line_id, (spent, explanation) in answers.items():
        answer, _ = SpendAnswer.objects.get_or_create(
            quarterly_return=locked, budget_line=rows[line_id].line
        )
        answer.spent_to_date = spent
        answer.explanation = explanation.strip()
        answer.save(update_fields=["spent_to_date", "explanation"])
        saved.append(answer)
    _clear_changed_flags(locked, by)
    _bump(locked)
    quarterly_return.version = locked.version
    return saved


def _published_of(figures: BeneficiaryFigures) -> dict[tuple[str, str], int]:
    return {(c.characteristic, c.category): c.published for c in figures.counts.all()}


def _record_figures_changed(figures: BeneficiaryFigures, before, by) -> None:
    """The change history says, of the figures as published, the people reached before and after
    and which characteristics' counts changed: what anyone who reads it may read, never a count
    as entered, which only the provider sees."""
    people_before, counts_before = before
    counts_now = _published_of(figures)
    changed = {
        characteristic
        for characteristic, category in counts_before.keys() | counts_now.keys()
        if counts_before.get((characteristic, category))
        != counts_now.get((characteristic, category))
    }
    changes = {}
    if people_before != figures.people_reached_published:
        changes["people_reached"] = (str(people_before), str(figures.people_reached_published))
    if changed:
        names = [c.name.lower() for c in CHARACTERISTICS if c.code in changed]
        changes["counts"] = ("as before", f"changed for {', '.join(names)}")
    if changes:
        audit.record_change(figures, by=by, changes=changes)


def _keep_reasons(figures: BeneficiaryFigures, reasons: dict[str, str]) -> None:
    """Change only the reasons that changed, so the change history shows what did."""
    kept = {row.characteristic: row for row in figures.not_collected.all()}
    for code, row in kept.items():
        if code not in reasons:
            row.delete()
        elif row.reason != reasons[code]:
            row.reason = reasons[code]
            row.save(update_fields=["reason"])
    for code, reason in reasons.items():
        if code not in kept:
            CharacteristicNotCollected.objects.create(
                figures=figures, characteristic=code, reason=reason
            )


def _refuse_too_much_evidence(locked, answer, adding: int) -> None:
    per_answer, per_return = settings.MAX_EVIDENCE_PER_ANSWER, settings.MAX_EVIDENCE_PER_RETURN
    if answer.evidence_files.count() + adding > per_answer:
        raise ValidationError(
            {
                "evidence": ngettext(
                    "An answer can have up to %(per_answer)s evidence file: remove it before "
                    "adding another, or put several pages in one PDF.",
                    "An answer can have up to %(per_answer)s evidence files: remove one before "
                    "adding another, or put several pages in one PDF.",
                    per_answer,
                )
                % {"per_answer": per_answer}
            }
        )
    if locked.evidence_files.count() + adding > per_return:
        raise ValidationError(
            {
                "evidence": gettext("A return can have up to %(per_return)s evidence files in all.")
                % {"per_return": per_return}
            }
        )


def _store_evidence(locked, checked, by, **answer) -> None:
    """Keeps each checked upload as evidence of the answer named (`indicator_answer=`,
    `question_answer=` or `added_value_evidence=`)."""
    for upload, details in checked:
        evidence = EvidenceFile(
            quarterly_return=locked,
            **answer,
            original_name=details.name,
            content_type=details.content_type,
            size=details.size,
            uploaded_by=by,
        )
        evidence.file.save(details.name, upload, save=False)
        evidence.save()


@transaction.atomic
def remove_evidence(*, evidence: EvidenceFile, by, expected_version: int | None) -> None:
    locked = _lock(evidence.quarterly_return, expected_version)
    _require("edit", locked, by)
    stored = evidence.file
    evidence.delete()
    _clear_changed_flags(locked, by)
    _bump(locked)
    transaction.on_commit(lambda: stored.storage.delete(stored.name))


def _clear_changed_flags(locked: QuarterlyReturn, by) -> None:
    """A flag is cleared once its answer differs from the answer the officer flagged."""
    flags = list(AnswerFlag.objects.select_for_update().filter(quarterly_return=locked).open())
    if not flags:
        return
    now = selectors.answers_snapshot(locked)
    for flag in flags:
        if now.get(flag.answer_key, {}).get("values") != flag.answer_when_raised:
            clear_flag(flag, by=by, because=AnswerFlag.Cleared.CHANGED)


# Submitting ----------------------------------------------------------------------------------


BENEFICIARIES = "beneficiaries"


@dataclass(frozen=True)
class Problem:
    """An answer a submission still needs: which answer, and which of its fields."""

    key: str
    label: str
    message: str
    field: str
    indicator_id: int | None = None
    requirement_id: int | None = None
    question_id: int | None = None
    question_kind: str = ""


def missing_answers(quarterly_return: QuarterlyReturn, *, detail=None) -> list[Problem]:
    """Every required answer not yet given, in the order the return asks them."""
    detail = detail or selectors.return_detail(quarterly_return)
    problems = []
    for row in detail.indicator_rows:
        if missing := row.missing:
            field, message = missing
            label = f"Indicator {row.indicator.code}"
            problems.append(Problem(row.key, label, message, field, indicator_id=row.indicator.pk))
    for row in detail.requirement_rows:
        if missing := row.answer.missing:
            field, message = missing
            label = f"Requirement {row.requirement.number}"
            problems.append(
                Problem(row.key, label, message, field, requirement_id=row.requirement.pk)
            )
    for row in detail.question_rows:
        if missing := row.missing:
            field, message = missing
            problems.append(
                Problem(
                    row.key,
                    row.label,
                    message,
                    field,
                    question_id=row.question.pk,
                    question_kind=row.kind,
                )
            )
    for row in detail.spend_rows:
        if missing := row.missing:
            field, message = missing
            problems.append(Problem(row.key, row.label, message, field))
    if detail.beneficiaries is not None:
        for field, message in detail.beneficiaries.missing:
            section, ask = beneficiaries.SECTION, message[0].lower() + message[1:]
            problems.append(Problem(BENEFICIARIES, section, f"{section}: {ask}", field))
    return problems


class IncompleteReturnError(ValidationError):
    def __init__(self, problems: list[Problem]):
        super().__init__([p.message for p in problems])
        self.problems = problems


class LeftAsFlaggedError(ValidationError):
    """Answers an officer flagged are unchanged and unanswered: the provider confirms first."""

    def __init__(self, flags: list[AnswerFlag]):
        super().__init__(
            gettext(
                "Confirm that you are submitting the answers the lead officer flagged unchanged, "
                "or change them or reply to the flag first"
            ),
            code="left_as_flagged",
        )
        self.flags = flags


@transaction.atomic
def submit_return(
    *,
    quarterly_return: QuarterlyReturn,
    by,
    expected_version: int | None = None,
    confirm_left_as_flagged: bool = False,
) -> QuarterlyReturn:
    """Submit the return. Where answers an officer flagged are as they were when flagged and
    nobody has replied to the flag, the provider confirms with `confirm_left_as_flagged`."""
    locked = _lock(quarterly_return, expected_version)
    _require("submit", locked, by)
    detail = selectors.return_detail(locked)
    problems = missing_answers(locked, detail=detail)
    if problems:
        raise IncompleteReturnError(problems)
    if detail.left_as_flagged and not confirm_left_as_flagged:
        raise LeftAsFlaggedError(detail.left_as_flagged)
    previous = locked.status
    _keep_support_wording(locked)
    keep_questions_asked(locked, detail.question_rows)
    snapshot = selectors.answers_snapshot(locked, detail=detail)
    number = locked.submissions.count() + 1
    ReturnSubmission.objects.create(
        quarterly_return=locked, number=number, submitted_by=by, answers=snapshot
    )
    submitted = RETURN.step("submit").target
    _bump(locked, status=submitted, submitted_at=timezone.now())
    _record(locked, from_status=previous, to_status=submitted, by=by)
    stored.refresh_agreement(locked.agreement_id)
    notifications.return_submitted(locked, by=by)
    webhooks.emit(
        locked.agreement.funder_id, Event.RETURN_SUBMITTED, webhook_data.quarterly_return(locked)
    )
    return locked


def keep_questions_asked(locked: QuarterlyReturn, rows: Sequence[QuestionRow]) -> None:
    """At submission: every question the return asks has its answer, with the question copied
    as it is now; an answer to a question no longer asked is kept, marked not asked."""
    rows_by_question = {row.question.pk: row for row in rows}
    kept = {a.question_id: a for a in QuestionAnswer.objects.filter(quarterly_return=locked)}
    for question_id, row in rows_by_question.items():
        answer = kept.get(question_id) or row.answer
        answer.quarterly_return = locked
        answer.keep_question(row.question)
        answer.asked = True
        answer.save()
        row.answer = answer
    QuestionAnswer.objects.filter(quarterly_return=locked).exclude(
        question_id__in=rows_by_question
    ).update(asked=False)


# Deciding ------------------------------------------------------------------------------------


@transaction.atomic
def approve_return(
    *, quarterly_return: QuarterlyReturn, by, comment: str = "", expected_version: int | None = None
) -> QuarterlyReturn:
    locked = _lock(quarterly_return, expected_version)
    _require("approve", locked, by)
    for flag in AnswerFlag.objects.select_for_update().filter(quarterly_return=locked).open():
        clear_flag(flag, by=by, because=AnswerFlag.Cleared.RESOLVED)
    previous, approved = locked.status, RETURN.step("approve").target
    _bump(locked, status=approved, decided_at=timezone.now())
    _record(locked, from_status=previous, to_status=approved, by=by, comment=comment.strip())
    stored.refresh_agreement(locked.agreement_id)
    notifications.return_decided(locked, by=by)
    webhooks.emit(
        locked.agreement.funder_id, Event.RETURN_APPROVED, webhook_data.quarterly_return(locked)
    )
    return locked


@transaction.atomic
def request_changes(
    *,
    quarterly_return: QuarterlyReturn,
    by,
    comment: str,
    flags: dict[str, str] | None = None,
    expected_version: int | None = None,
) -> QuarterlyReturn:
    """Send the return back. `flags` maps answer keys ("indicator:<id>", "requirement:<id>",
    "question:<id>") to what needs changing in that answer; the other answers stay as they
    were."""
    if not comment.strip():
        raise ValidationError(
            gettext("Say what needs to change before sending the return back."),
        )
    locked = _lock(quarterly_return, expected_version)
    _require("request_changes", locked, by)
    flagged = _flag_answers(locked, {k: v.strip() for k, v in (flags or {}).items() if v.strip()})
    previous, sent_back = locked.status, RETURN.step("request_changes").target
    _bump(locked, status=sent_back, decided_at=timezone.now())
    decision = _record(
        locked,
        from_status=previous,
        to_status=sent_back,
        by=by,
        comment=comment.strip(),
        flagged=flagged,
    )
    _raise_flags(locked, decision, flagged)
    stored.refresh_agreement(locked.agreement_id)
    notifications.return_decided(locked, by=by)
    webhooks.emit(
        locked.agreement.funder_id, Event.RETURN_SENT_BACK, webhook_data.quarterly_return(locked)
    )
    return locked


def _flag_answers(locked: QuarterlyReturn, flags: dict[str, str]) -> list[dict[str, str]]:
    """Each flagged answer by its key and label, with what needs changing; an indicator or
    requirement the return was not answered for (one added to the agreement since) gets an empty
    answer, so that its page can take the change."""
    flagged = []
    indicators = {f"indicator:{i.pk}": i for i in locked.agreement.indicators.all()}
    requirements = {f"requirement:{r.pk}": r for r in locked.agreement.requirements.all()}
    spending = {row.key: row for row in budgets.spend_rows(locked)}
    support = {row.key: row for row in selectors.support_section(locked).rows} if flags else {}
    questions = {row.key: row for row in question_rows(locked)}
    for key, text in flags.items():
        if key in indicators:
            indicator = indicators[key]
            IndicatorAnswer.objects.get_or_create(quarterly_return=locked, indicator=indicator)
            label = f"Indicator {indicator.code}"
        elif key in requirements:
            requirement = requirements[key]
            RequirementAnswer.objects.get_or_create(
                quarterly_return=locked, requirement=requirement
            )
            label = f"Requirement {requirement.number}"
        elif key in questions:
            label = questions[key].label
        elif key in spending:
            row = spending[key]
            SpendAnswer.objects.get_or_create(quarterly_return=locked, budget_line=row.line)
            label = row.label
        elif key in support:
            label = support[key].label
        else:
            raise ValidationError(gettext("A flagged answer is not part of this return."))
        flagged.append({"key": key, "label": label, "comment": text})
    return flagged


def _raise_flags(locked: QuarterlyReturn, decision: ReturnTransition, flagged: list[dict]) -> None:
    """A flag on each answer named, keeping the answer as it is now; an answer still flagged
    from before gets the new comment in its thread instead."""
    if not flagged:
        return
    still_open = {
        f.answer_key: f for f in AnswerFlag.objects.filter(quarterly_return=locked).open()
    }
    answers = selectors.answers_snapshot(locked)
    for item in flagged:
        key = item["key"]
        if key in still_open:
            Message.objects.create(
                agreement=locked.agreement,
                quarterly_return=locked,
                flag=still_open[key],
                author=decision.by,
                body=item["comment"],
                sent_at=decision.at,
            )
            continue
        AnswerFlag.objects.create(
            quarterly_return=locked,
            answer_key=key,
            label=item["label"],
            comment=item["comment"],
            raised_by=decision.by,
            raised_at=decision.at,
            decision=decision,
            answer_when_raised=answers[key]["values"],
        )
