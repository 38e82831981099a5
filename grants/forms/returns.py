"""A return's forms: the answer to an indicator, the answers to the minimum requirements and the
lead officer's decision, each carrying the version of the return the page showed."""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BoundField
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from grants.evidence import check_evidence_file
from grants.lifecycle import RETURN, ReturnStatus
from grants.models import IndicatorAnswer, PerformanceIndicator
from grants.selectors import ReturnDetail
from sla_monitor.forms import AccessibleFormMixin, PlainDecimalField, largest
from sla_monitor.written import written

YES_NO = [("yes", "Yes"), ("no", "No")]


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def _as_choice(value: bool | None) -> str:
    return {True: "yes", False: "no"}.get(value, "")


class VersionedForm(AccessibleFormMixin, forms.Form):
    """Carries the version of the return the page showed, so a stale save is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class IndicatorAnswerForm(VersionedForm):
    """The answer to one indicator, shaped by its measure type. Everything is optional while the
    return is a draft; what is given must be valid."""

    def __init__(self, *args, indicator: PerformanceIndicator, **kwargs):
        self.indicator = indicator
        super().__init__(*args, **kwargs)
        measure = indicator.measure_type
        if measure == "count":
            biggest = int(largest(IndicatorAnswer._meta.get_field("actual_value")))
            self.fields["actual_value"] = forms.IntegerField(
                label=gettext("Number achieved this quarter"),
                min_value=0,
                max_value=biggest,
                required=False,
                help_text=gettext("A whole number, 0 or more."),
                error_messages={
                    "invalid": gettext("Enter the number as a whole number, like 4"),
                    "min_value": gettext("The number cannot be less than 0"),
                    "max_value": gettext("Enter a number no bigger than %(biggest)s")
                    % {"biggest": number_format(biggest, force_grouping=True)},
                },
            )
        elif measure == "percentage":
            self.fields["actual_value"] = PlainDecimalField(
                label=gettext("Percentage achieved"),
                min_value=0,
                max_value=100,
                decimal_places=2,
                required=False,
                help_text=gettext("A number from 0 to 100, like 75."),
                error_messages={
                    "invalid": gettext("Enter the percentage as a number from 0 to 100"),
                    "min_value": gettext("The percentage must be 0 or more"),
                    "max_value": gettext("The percentage must be 100 or less"),
                    "max_decimal_places": gettext(
                        "Give the percentage to at most 2 decimal places"
                    ),
                },
            )
        elif measure == PerformanceIndicator.MeasureType.MILESTONE:
            self.fields["achieved"] = forms.ChoiceField(
                label=gettext("Has this been achieved?"),
                choices=YES_NO,
                required=False,
                widget=forms.RadioSelect,
            )
        narrative_label = (
            gettext("Describe the work this quarter")
            if measure == "narrative"
            else gettext("Comments")
        )
        self.fields["narrative"] = forms.CharField(
            label=narrative_label,
            required=False,
            widget=forms.Textarea(attrs={"rows": 6 if measure == "narrative" else 3}),
        )
        self.fields["evidence"] = forms.FileField(
            label=gettext("Add an evidence file"),
            required=False,
            help_text=gettext("PDF, Word, Excel or an image (PNG, JPEG, GIF), up to 10 MB."),
        )
        self.fields["evidence"].widget.attrs["accept"] = (
            ".pdf,.doc,.docx,.xls,.xlsx,.png,.jpg,.jpeg,.gif"
        )
        self.order_fields(["actual_value", "achieved", "narrative", "evidence", "version"])

    @classmethod
    def initial_for(cls, answer, version: int) -> dict:
        actual = answer.actual_value
        if actual is not None and actual == actual.to_integral():
            actual = int(actual)
        return {
            "version": version,
            "actual_value": actual,
            "achieved": _as_choice(answer.achieved),
            "narrative": answer.narrative,
        }

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if upload:
            check_evidence_file(upload)
        return upload

    @property
    def answer_values(self) -> dict:
        data = self.cleaned_data
        return {
            "actual_value": data.get("actual_value"),
            "achieved": _yes_no(data.get("achieved", "")),
            "narrative": data.get("narrative", ""),
        }


def written_label(number, record, field: str) -> str:
    """A label of a number and a council's own words: the words in the reader's language, or in
    the other marked with its `lang` where only that one is written."""
    shown = written(record, field)
    if shown.fallback:
        return format_html('{}. <span lang="{}">{}</span>', number, shown.html_lang, shown.text)
    return f"{number}. {shown.text}"


class RequirementAnswersForm(VersionedForm):
    """Met or not, and a note, for each minimum requirement."""

    def __init__(self, *args, detail: ReturnDetail, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for row in detail.requirement_rows:
            requirement = row.requirement
            met = f"met_{requirement.pk}"
            narrative = f"narrative_{requirement.pk}"
            self.fields[met] = forms.ChoiceField(
                label=written_label(requirement.number, requirement, "text"),
                choices=YES_NO,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[narrative] = forms.CharField(
                label=gettext("How requirement %(number)s was met, or why not")
                % {"number": requirement.number},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            if not self.is_bound:
                self.initial[met] = _as_choice(row.answer.met)
                self.initial[narrative] = row.answer.narrative
            self.rows.append((row, self[met], self[narrative]))

    @property
    def answers(self) -> dict[int, tuple[bool | None, str]]:
        return {
            row.requirement.pk: (
                _yes_no(self.cleaned_data.get(f"met_{row.requirement.pk}", "")),
                self.cleaned_data.get(f"narrative_{row.requirement.pk}", ""),
            )
            for row, _, _ in self.rows
        }


# The decision's inputs beside each answer belong to the decision form through their `form`
# attribute, so the page keeps one form however its answers are laid out.
DECISION_FORM_ID = "decision-form"


@dataclass(frozen=True)
class FlagControl:
    """The inputs beside one answer: whether it is flagged, and what needs changing in it."""

    key: str
    name: str
    checkbox: BoundField
    comment: BoundField


# A decision's comments are read in an e-mail and beside each answer: a page of text at most.
COMMENT_LENGTH = 5000


def _too_long_now(what: str) -> str:
    # Django fills in %(show_value)d, the length given, when it shows the message.
    return gettext("%(what)s must be %(most)s characters or fewer (it has %%(show_value)d)") % {
        "what": what,
        "most": number_format(COMMENT_LENGTH, force_grouping=True),
    }


_too_long = lazy(_too_long_now, str)


class DecisionForm(VersionedForm):
    """The lead officer's decision: one of the steps the return's lifecycle allows them now, and
    beside each answer a flag with what needs changing in it.

    A comment beside an answer flags it, ticked or not: what the officer wrote to the provider is
    never dropped. A flag without a comment is refused beside its comment box, and flags go to the
    provider only with a request for changes."""

    decision = forms.ChoiceField(
        label=_("Your decision"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to approve the return or request changes")},
    )
    comment = forms.CharField(
        label=_("Comment to the provider"),
        required=False,
        max_length=COMMENT_LENGTH,
        help_text=_("Required when you request changes; optional when you approve."),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _too_long(_("The comment"))},
    )

    def __init__(self, *args, detail: ReturnDetail, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [
            (step.name, step.label) for step in RETURN.steps_from(ReturnStatus.SUBMITTED)
        ]
        # A milestone achieved in an earlier quarter is not asked, so there is nothing to change.
        answers = (
            [
                (r.key, gettext("indicator %(code)s") % {"code": r.indicator.code})
                for r in detail.rows_to_answer
            ]
            + [
                (r.key, gettext("requirement %(number)s") % {"number": r.requirement.number})
                for r in detail.requirement_rows
            ]
            + [
                (r.key, gettext("question %(number)s") % {"number": r.number})
                for r in detail.question_rows
            ]
            + [
                (r.key, gettext("spending on %(line)s") % {"line": r.line.name})
                for r in detail.spend_rows
            ]
        )
        answers += [(r.key, r.label[0].lower() + r.label[1:]) for r in detail.support_rows]
        self._answers = dict(answers)
        for key, name in answers:
            checkbox, comment = self._names(key)
            self.fields[checkbox] = forms.BooleanField(
                label=gettext("Flag this answer (%(answer)s)") % {"answer": name},
                required=False,
                widget=forms.CheckboxInput(
                    attrs={"form": DECISION_FORM_ID, "class": "form-check-input"}
                ),
            )
            self.fields[comment] = forms.CharField(
                label=gettext("What needs changing in %(answer)s") % {"answer": name},
                required=False,
                max_length=COMMENT_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2, "form": DECISION_FORM_ID}),
                error_messages={
                    "max_length": _too_long_now(
                        gettext("What needs changing in %(answer)s") % {"answer": name}
                    )
                },
            )
        # Needed when the officer requests changes or flags the answer, so not marked optional.
        self.conditionally_required = {"comment", *(self._names(key)[1] for key in self._answers)}
        # The error summary lists errors in the page's order: the answers come first.
        self.order_fields(
            [name for key in self._answers for name in self._names(key)] + ["decision", "comment"]
        )

    @staticmethod
    def _names(key: str) -> tuple[str, str]:
        slug = key.replace(":", "_")
        return f"flag_{slug}", f"flag_comment_{slug}"

    @property
    def flag_controls(self) -> dict[str, FlagControl]:
        """Each answer's inputs, keyed like the return's rows ("indicator:<id>")."""
        controls = {}
        for key, name in self._answers.items():
            checkbox, comment = self._names(key)
            controls[key] = FlagControl(key, name, self[checkbox], self[comment])
        return controls

    def _flagged(self, data: dict) -> dict[str, str]:
        """Every flagged answer's key and comment (empty when none was written)."""
        flagged = {}
        for key in self._answers:
            checkbox, comment = self._names(key)
            text = data.get(comment, "").strip()
            if data.get(checkbox) or text:
                flagged[key] = text
        return flagged

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision == "request_changes" and not data.get("comment", "").strip():
            self.add_error(
                "comment", ValidationError(gettext("Enter a comment saying what needs to change"))
            )
        flagged = self._flagged(data)
        if decision == "approve" and flagged:
            names = [self._answers[key] for key in flagged]
            named = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
            self.add_error(
                "decision",
                ValidationError(
                    gettext(
                        "You flagged %(named)s. Flags go to the provider only when you "
                        "choose “%(label)s”: choose it, or untick the flags and clear their"
                        " comments to approve the return."
                    )
                    % {"named": named, "label": RETURN.step("request_changes").label}
                ),
            )
        elif decision != "approve":
            for key, text in flagged.items():
                if not text:
                    self.add_error(
                        self._names(key)[1],
                        ValidationError(
                            gettext(
                                "Say what needs changing in %(key)s, or untick “Flag this answer”"
                            )
                            % {"key": self._answers[key]}
                        ),
                    )
        return data

    @property
    def flags(self) -> dict[str, str]:
        """What needs changing in each flagged answer, in the order the return asks them."""
        return self._flagged(self.cleaned_data)
