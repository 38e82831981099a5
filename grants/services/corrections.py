"""Corrections to approved returns (`grants.lifecycle.CORRECTION`): propose, approve, decline,
withdraw.

An approved return is never un-approved. A correction names the answers that were wrong and what
they should say; approving it writes the corrected values onto the answers themselves, so every
page, PDF, export, total and open-data file reads the corrected figure without knowing of
corrections, while the values they replaced stay on the correction's lines. The return keeps its
status and its approval (who approved it, and when); instalments already released are not
touched. Each step locks its rows, checks who takes it (`grants.permissions`) and that the status
allows it, refuses a stale or repeated submission by the correction's version, and tells those
concerned through their inbox (`grants.notifications`).
"""

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grants import notifications, permissions, stored
from grants.lifecycle import CORRECTION, RETURN, Actor
from grants.models import (
    CorrectionLine,
    IndicatorAnswer,
    MeasureType,
    QuarterlyReturn,
    ReturnCorrection,
)
from grants.models.returns import REQUIRED_ANSWER
from sla_monitor.forms import largest

ANSWER_FIELDS = ("actual_value", "achieved", "narrative")
REASON_LENGTH = 5000


class StaleCorrectionError(ValidationError):
    """The return or the correction changed since the page was loaded; nothing was saved."""


class CorrectionStateError(ValidationError):
    """The return or the correction is no longer in a state that allows this step."""


def _who(person) -> str:
    return person.get_full_name() or person.username


def field_name(indicator_id: int, field: str) -> str:
    """The name of an answer's field in a correction's form and in the errors of this module."""
    return f"{field}_{indicator_id}"


# Proposing -----------------------------------------------------------------------------------


@transaction.atomic
def propose_correction(
    *,
    quarterly_return: QuarterlyReturn,
    by,
    reason: str,
    changes: Mapping[int, Mapping[str, object]],
    expected_version: int | None = None,
) -> ReturnCorrection:
    """Propose corrected values for answers of an approved return. `changes` maps an indicator's
    id to the values its answer should have ("actual_value", "achieved", "narrative"; a value
    not named stays as it is). At least one value must differ from the answer's, and each is
    checked as a return's answers are. `expected_version` is the return's version when the form
    was shown."""
    locked = (
        QuarterlyReturn.objects.select_for_update(of=("self",))
        .select_related("agreement", "period")
        .get(pk=quarterly_return.pk)
    )
    if not permissions.may_take(by, RETURN.step("correct"), locked):
        raise PermissionDenied(
            _(
                "Only the provider's people and the funding council's lead officers can propose "
                "a correction to this return."
            )
        )
    if not RETURN.allows("correct", locked.status):
        raise CorrectionStateError(RETURN.refusal("correct", locked.status))
    open_correction = locked.corrections.open().select_related("proposed_by").first()
    if open_correction is not None:
        raise CorrectionStateError(
            _(
                "%(who)s proposed a correction to this return on %(when)s, which waits for a "
                "decision: a return has one correction open at a time. Nothing was saved."
            )
            % {
                "who": _who(open_correction.proposed_by),
                "when": date_format(timezone.localtime(open_correction.proposed_at), "j F Y"),
            }
        )
    if expected_version is not None and locked.version != expected_version:
        raise StaleCorrectionError(
            _(
                "This return has changed since you opened the page, so nothing was saved. "
                "Check its answers as they are now, then propose your correction again."
            )
        )
    reason = reason.replace("\r\n", "\n").strip()
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = [_("Say why the answers need correcting")]
    elif len(reason) > REASON_LENGTH:
        errors["reason"] = [
            _("The reason must be %(limit)s characters or fewer") % {"limit": REASON_LENGTH}
        ]
    answers = {
        answer.indicator_id: answer
        for answer in IndicatorAnswer.objects.select_for_update(of=("self",))
        .select_related("indicator")
        .filter(quarterly_return=locked)
    }
    lines = []
    for indicator_id, values in changes.items():
        answer = answers.get(indicator_id)
        if answer is None:
            raise ValidationError(_("A corrected answer is not part of this return."))
        corrected, problems = _corrected_values(answer, values)
        errors.update(problems)
        if not problems and corrected != _values_of(answer):
            lines.append(_line(answer, corrected))
    if errors:
        raise ValidationError(errors)
    if not lines:
        raise ValidationError(
            _("Change at least one answer: each value is the same as the return's answer now")
        )
    correction = ReturnCorrection.objects.create(
        quarterly_return=locked, reason=reason, proposed_by=by
    )
    for line in lines:
        line.correction = correction
    CorrectionLine.objects.bulk_create(lines)
    notifications.correction_proposed(correction)
    return correction


def _values_of(answer: IndicatorAnswer) -> dict[str, object]:
    return {
        "actual_value": answer.actual_value,
        "achieved": answer.achieved,
        "narrative": answer.narrative,
    }


def _line(answer: IndicatorAnswer, corrected: dict[str, object]) -> CorrectionLine:
    return CorrectionLine(
        answer=answer,
        original_actual=answer.actual_value,
        original_achieved=answer.achieved,
        original_narrative=answer.narrative,
        corrected_actual=corrected["actual_value"],
        corrected_achieved=corrected["achieved"],
        corrected_narrative=corrected["narrative"],
    )


def _corrected_values(
    answer: IndicatorAnswer, values: Mapping[str, object]
) -> tuple[dict[str, object], dict[str, list[str]]]:
    """The answer's values with the corrections given, and what is wrong with them, by field
    (`field_name`): as a return's answers, a count is a whole number of 0 or more, a percentage
    from 0 to 100, and what the indicator asks for stays given."""
    indicator = answer.indicator
    corrected = _values_of(answer)
    errors: dict[str, list[str]] = {}
    code = indicator.code
    for field in ANSWER_FIELDS:
        if field in values:
            corrected[field] = values[field]
    measure = indicator.measure_type
    if not indicator.needs_value:
        corrected["actual_value"] = answer.actual_value
    if measure != MeasureType.MILESTONE:
        corrected["achieved"] = answer.achieved
    corrected["narrative"] = str(corrected["narrative"] or "").replace("\r\n", "\n").strip()
    actual = corrected["actual_value"]
    if indicator.needs_value and actual is not None:
        try:
            actual = corrected["actual_value"] = Decimal(str(actual))
        except InvalidOperation:
            actual = None
            errors[field_name(indicator.pk, "actual_value")] = [
                _("Enter the corrected actual for indicator %(code)s as a number") % {"code": code}
            ]
        problem = _actual_problem(measure, actual, code) if actual is not None else None
        if problem:
            errors[field_name(indicator.pk, "actual_value")] = [problem]
    required_field = REQUIRED_ANSWER[measure][0]
    if corrected[required_field] in (None, "") and answer.is_given:
        errors.setdefault(field_name(indicator.pk, required_field), []).append(
            _("Indicator %(code)s needs its answer: a correction changes it but cannot remove it")
            % {"code": code}
        )
    return corrected, errors


def _actual_problem(measure: str, actual: Decimal, code: str) -> str | None:
    biggest = largest(IndicatorAnswer._meta.get_field("actual_value"))
    if actual < 0:
        return _("The corrected actual for indicator %(code)s cannot be less than 0") % {
            "code": code
        }
    if measure == MeasureType.PERCENTAGE:
        if actual > 100:
            return _("The corrected percentage for indicator %(code)s must be 100 or less") % {
                "code": code
            }
        if actual != actual.quantize(Decimal("0.01")):
            return _(
                "Give the corrected percentage for indicator %(code)s to at most 2 decimal places"
            ) % {"code": code}
    elif measure == MeasureType.COUNT and actual != actual.to_integral_value():
        return _("Enter the corrected number for indicator %(code)s as a whole number") % {
            "code": code
        }
    if actual > biggest:
        return _("Enter a number no bigger than %(biggest)s") % {"biggest": f"{int(biggest):,}"}
    return None


# Deciding ------------------------------------------------------------------------------------

WHO_TAKES = {
    Actor.FUNDER: gettext_lazy(
        "Only a lead officer of the funding council can decide this correction."
    ),
    Actor.PROPOSER: gettext_lazy("Only the person who proposed this correction can withdraw it."),
}


def _lock(correction: ReturnCorrection, step_name: str, by, version: int | None):
    """The correction, locked with its return; refused unless `by` takes the step, the status
    allows it and the page showed the correction as it is now."""
    QuarterlyReturn.objects.select_for_update(of=("self",)).filter(
        pk=correction.quarterly_return_id
    ).first()
    locked = (
        ReturnCorrection.objects.select_for_update(of=("self",))
        .select_related("quarterly_return__agreement", "quarterly_return__period", "decided_by")
        .get(pk=correction.pk)
    )
    step = CORRECTION.step(step_name)
    if not permissions.may_take_correction(by, step, locked):
        raise PermissionDenied(str(WHO_TAKES[step.actor]))
    if not CORRECTION.allows(step_name, locked.status):
        who = _who(locked.decided_by) if locked.decided_by is not None else ""
        raise CorrectionStateError(CORRECTION.refusal(step_name, locked.status, by=who))
    if version is None or locked.version != version:
        raise StaleCorrectionError(
            _(
                "This correction has changed since you opened the page, so nothing was changed. "
                "Check it as it is now, then decide again."
            )
        )
    return locked


def _close(locked: ReturnCorrection, step_name: str, by, reason: str = "") -> None:
    locked.status = CORRECTION.step(step_name).target
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.decision_reason = reason
    locked.version = F("version") + 1
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "version"])
    locked.refresh_from_db(fields=["version"])


@transaction.atomic
def approve_correction(
    *, correction: ReturnCorrection, by, version: int | None
) -> ReturnCorrection:
    """Write the corrected values onto the answers. The return stays approved, with its
    approval as it was; its version moves on, since its answers changed."""
    locked = _lock(correction, "approve", by, version)
    lines = list(locked.lines.select_related("answer"))
    for line in lines:
        answer = line.answer
        answer.actual_value = line.corrected_actual
        answer.achieved = line.corrected_achieved
        answer.narrative = line.corrected_narrative
        answer.save(update_fields=["actual_value", "achieved", "narrative"])
    _close(locked, "approve", by)
    QuarterlyReturn.objects.filter(pk=locked.quarterly_return_id).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    stored.refresh_agreement(locked.quarterly_return.agreement_id)
    notifications.correction_decided(locked)
    return locked


@transaction.atomic
def decline_correction(
    *, correction: ReturnCorrection, by, reason: str, version: int | None
) -> ReturnCorrection:
    """The answers stay as they are; whoever proposed the correction is told why."""
    locked = _lock(correction, "decline", by, version)
    reason = reason.replace("\r\n", "\n").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why you are declining the correction")})
    _close(locked, "decline", by, reason)
    notifications.correction_decided(locked)
    return locked


@transaction.atomic
def withdraw_correction(
    *, correction: ReturnCorrection, by, version: int | None
) -> ReturnCorrection:
    locked = _lock(correction, "withdraw", by, version)
    _close(locked, "withdraw", by)
    notifications.correction_decided(locked)
    return locked
