"""The forms of a correction to an approved return: the corrected answers with a reason, and the
decision on a correction (approve, decline with a reason, or withdraw)."""

from dataclasses import dataclass

from django import forms
from django.forms import BoundField
from django.utils.translation import gettext_lazy as _

from grants.forms.returns import YES_NO, VersionedForm, _as_choice, _yes_no
from grants.lifecycle import CORRECTION
from grants.models import IndicatorAnswer, MeasureType
from grants.selectors import IndicatorRow, ReturnDetail
from grants.services.corrections import REASON_LENGTH, field_name
from sla_monitor.forms import PlainDecimalField, largest


@dataclass(frozen=True)
class CorrectedAnswer:
    """One answer of the form: its row on the return, and its inputs."""

    row: IndicatorRow
    fields: list[BoundField]


def _whole(value):
    if value is not None and value == value.to_integral():
        return int(value)
    return value


class CorrectionForm(VersionedForm):
    """Every answer of the approved return, filled in with its values now: the person changes
    those that were wrong and says why. What is given is checked as a return's answers are; the
    service checks again and keeps only the answers that changed."""

    reason = forms.CharField(
        label=_("Why do these answers need correcting?"),
        max_length=REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "The lead officer and the provider read this, and the return's history keeps it."
        ),
        error_messages={
            "required": _("Say why the answers need correcting"),
            "max_length": _("The reason must be %(limit_value)d characters or fewer"),
        },
    )

    def __init__(self, *args, detail: ReturnDetail, **kwargs):
        super().__init__(*args, **kwargs)
        self.answers: list[CorrectedAnswer] = []
        biggest = int(largest(IndicatorAnswer._meta.get_field("actual_value")))
        names = []
        for row in detail.rows_to_answer:
            answer, indicator = row.answer, row.indicator
            if answer.pk is None:
                continue
            code, pk = indicator.code, indicator.pk
            own = []
            if indicator.measure_type == MeasureType.COUNT:
                own.append(
                    (
                        "actual_value",
                        forms.IntegerField(
                            label=_("Number achieved this quarter (indicator %(code)s)")
                            % {"code": code},
                            min_value=0,
                            max_value=biggest,
                            required=False,
                            error_messages={
                                "invalid": _("Enter the number as a whole number, like 4"),
                                "min_value": _("The number cannot be less than 0"),
                                "max_value": _("Enter a number no bigger than %(limit_value)s"),
                            },
                        ),
                        _whole(answer.actual_value),
                    )
                )
            elif indicator.measure_type == MeasureType.PERCENTAGE:
                own.append(
                    (
                        "actual_value",
                        PlainDecimalField(
                            label=_("Percentage achieved (indicator %(code)s)") % {"code": code},
                            min_value=0,
                            max_value=100,
                            decimal_places=2,
                            required=False,
                            error_messages={
                                "invalid": _("Enter the percentage as a number from 0 to 100"),
                                "min_value": _("The percentage must be 0 or more"),
                                "max_value": _("The percentage must be 100 or less"),
                                "max_decimal_places": _(
                                    "Give the percentage to at most 2 decimal places"
                                ),
                            },
                        ),
                        _whole(answer.actual_value),
                    )
                )
            elif indicator.measure_type == MeasureType.MILESTONE:
                own.append(
                    (
                        "achieved",
                        forms.ChoiceField(
                            label=_("Has indicator %(code)s been achieved?") % {"code": code},
                            choices=YES_NO,
                            required=False,
                            widget=forms.RadioSelect,
                        ),
                        _as_choice(answer.achieved),
                    )
                )
            narrative_label = (
                _("Describe the work this quarter (indicator %(code)s)")
                if indicator.measure_type == MeasureType.NARRATIVE
                else _("Comments (indicator %(code)s)")
            )
            own.append(
                (
                    "narrative",
                    forms.CharField(
                        label=narrative_label % {"code": code},
                        required=False,
                        widget=forms.Textarea(attrs={"rows": 3}),
                    ),
                    answer.narrative,
                )
            )
            for field, form_field, value in own:
                name = field_name(pk, field)
                self.fields[name] = form_field
                if not self.is_bound:
                    self.initial[name] = value
                names.append(name)
            self.answers.append(
                CorrectedAnswer(row, [self[field_name(pk, field)] for field, _f, _v in own])
            )
        # The error summary lists errors in the page's order: the answers, then the reason.
        self.order_fields([*names, "reason", "version"])

    @property
    def changes(self) -> dict[int, dict[str, object]]:
        """Each answer's values as given, by indicator id (`services.propose_correction`)."""
        data = self.cleaned_data
        changes = {}
        for corrected in self.answers:
            indicator = corrected.row.indicator
            values = {}
            for bound in corrected.fields:
                field = bound.name.rsplit("_", 1)[0]
                value = data.get(bound.name)
                values[field] = _yes_no(value or "") if field == "achieved" else value
            changes[indicator.pk] = values
        return changes


class CorrectionDecisionForm(VersionedForm):
    """Approve or decline a correction (a decline says why), or withdraw one's own: the steps of
    `CORRECTION` the person may take, each a button."""

    step = forms.ChoiceField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why are you declining it?"),
        required=False,
        max_length=REASON_LENGTH,
        help_text=_("Needed to decline the correction; the person who proposed it reads it."),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": _("The reason must be %(limit_value)d characters or fewer"),
        },
    )

    def __init__(self, *args, steps, **kwargs):
        super().__init__(*args, **kwargs)
        self.steps = steps
        self.fields["step"].choices = [
            (step.name, step.label) for step in CORRECTION.steps.values()
        ]
        self.conditionally_required = {"reason"}

    @property
    def declines(self) -> bool:
        return any(step.name == "decline" for step in self.steps)

    def clean(self):
        data = super().clean()
        if data.get("step") == "decline" and not data.get("reason", "").strip():
            self.add_error("reason", _("Say why you are declining the correction"))
        return data
