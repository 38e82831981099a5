from django import forms
from django.core.exceptions import ValidationError

from grants.evidence import check_evidence_file
from grants.lifecycle import INSTALMENT, RETURN, ReturnStatus
from grants.models import IndicatorAnswer, PerformanceIndicator, ReportingPeriod
from grants.selectors import ReturnDetail
from sla_monitor.forms import AccessibleFormMixin, largest
from sla_monitor.once import OnceField
from sla_monitor.tables import MAX_BYTES, read_book

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
                label="Number achieved this quarter",
                min_value=0,
                max_value=biggest,
                required=False,
                help_text="A whole number, 0 or more.",
                error_messages={
                    "invalid": "Enter the number as a whole number, like 4",
                    "min_value": "The number cannot be less than 0",
                    "max_value": f"Enter a number no bigger than {biggest:,}",
                },
            )
        elif measure == "percentage":
            self.fields["actual_value"] = forms.DecimalField(
                label="Percentage achieved",
                min_value=0,
                max_value=100,
                decimal_places=2,
                required=False,
                help_text="A number from 0 to 100, like 75.",
                error_messages={
                    "invalid": "Enter the percentage as a number from 0 to 100",
                    "min_value": "The percentage must be 0 or more",
                    "max_value": "The percentage must be 100 or less",
                    "max_decimal_places": "Give the percentage to at most 2 decimal places",
                },
            )
        elif measure == PerformanceIndicator.MeasureType.MILESTONE:
            self.fields["achieved"] = forms.ChoiceField(
                label="Has this been achieved?",
                choices=YES_NO,
                required=False,
                widget=forms.RadioSelect,
            )
        narrative_label = (
            "Describe the work this quarter" if measure == "narrative" else "Comments (optional)"
        )
        self.fields["narrative"] = forms.CharField(
            label=narrative_label,
            required=False,
            widget=forms.Textarea(attrs={"rows": 6 if measure == "narrative" else 3}),
        )
        self.fields["evidence"] = forms.FileField(
            label="Add an evidence file (optional)",
            required=False,
            help_text="PDF, Word, Excel or an image (PNG, JPEG, GIF), up to 10 MB.",
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
                label=f"{requirement.number}. {requirement.text}",
                choices=YES_NO,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[narrative] = forms.CharField(
                label=f"How requirement {requirement.number} was met, or why not",
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


class DecisionForm(VersionedForm):
    """The lead officer's decision: one of the steps the return's lifecycle allows them now."""

    decision = forms.ChoiceField(
        label="Your decision",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to approve the return or request changes"},
    )
    comment = forms.CharField(
        label="Comment to the provider",
        required=False,
        help_text="Required when you request changes; optional when you approve.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, detail: ReturnDetail, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [
            (step.name, step.label) for step in RETURN.steps_from(ReturnStatus.SUBMITTED)
        ]
        self.flag_fields = []
        rows = [(r.key, f"indicator {r.indicator.code}") for r in detail.indicator_rows] + [
            (r.key, f"requirement {r.requirement.number}") for r in detail.requirement_rows
        ]
        for key, label in rows:
            name = "flag_" + key.replace(":", "_")
            self.fields[name] = forms.CharField(
                label=f"What needs changing in {label} (optional)",
                required=False,
                widget=forms.Textarea(attrs={"rows": 1}),
            )
            self.flag_fields.append((key, self[name]))

    def clean(self):
        data = super().clean()
        if data.get("decision") == "request_changes" and not data.get("comment", "").strip():
            self.add_error(
                "comment", ValidationError("Enter a comment saying what needs to change")
            )
        return data

    @property
    def flags(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(field.name, "") for key, field in self.flag_fields}


class InstalmentDecisionForm(AccessibleFormMixin, forms.Form):
    decision = forms.ChoiceField(
        choices=[(step.name, step.label) for step in INSTALMENT.steps.values()]
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required to withhold a payment.",
    )


class MeetingForm(AccessibleFormMixin, forms.Form):
    once = OnceField()
    held_on = forms.DateField(
        label="Date of the meeting",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "Enter the date of the meeting",
            "invalid": "Enter a real date, like 15/07/2026",
        },
    )
    period = forms.ModelChoiceField(
        label="Quarter it monitored",
        queryset=None,
        required=False,
        empty_label="Not for a particular quarter",
    )
    attendees = forms.CharField(
        label="Attendees",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say who attended"},
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 5}))
    follow_up_actions = forms.CharField(
        label="Follow-up actions", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = ReportingPeriod.objects.filter(
            start_date__gte=agreement.start_date, end_date__lte=agreement.end_date
        ).order_by("-start_date")


class PublishForm(forms.Form):
    published = forms.TypedChoiceField(
        choices=[("1", "Publish"), ("0", "Take down")], coerce=lambda value: value == "1"
    )


class AgreementImportForm(AccessibleFormMixin, forms.Form):
    file = forms.FileField(
        label="Workbook of agreements",
        help_text=(
            "An Excel workbook (.xlsx) of up to 5 MB with a sheet for each kind, as the sample: "
            "Agreements (Reference, Title, Provider, Fund, Lead officer, Start date, End date, "
            "Total allocation…), Indicators (Agreement, Code, Indicator, Measure, Target, Target "
            "period, Amber tolerance) and Requirements (Agreement, Number, Requirement). A "
            "column left out is left as it is."
        ),
        error_messages={"required": "Choose an Excel workbook", "empty": "The file is empty."},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(f"The file is larger than {MAX_BYTES // 1024 // 1024} MB.")
        self.book = read_book(upload.name, upload.read())
        return upload
