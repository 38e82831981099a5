from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BoundField
from django.utils import dateformat, timezone
from django.utils.formats import date_format

from grants import diversity
from grants.evidence import check_evidence_file
from grants.lifecycle import RETURN, InstalmentStatus, ReturnStatus
from grants.models import IndicatorAnswer, PerformanceIndicator, ReportingPeriod, meeting_outside
from grants.selectors import ReturnDetail
from sla_monitor.dates import DayMonthYearField
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


def _too_long(what: str) -> str:
    return f"{what} must be {COMMENT_LENGTH:,} characters or fewer (it has %(show_value)d)"


class DecisionForm(VersionedForm):
    """The lead officer's decision: one of the steps the return's lifecycle allows them now, and
    beside each answer a flag with what needs changing in it.

    A comment beside an answer flags it, ticked or not: what the officer wrote to the provider is
    never dropped. A flag without a comment is refused beside its comment box, and flags go to the
    provider only with a request for changes."""

    decision = forms.ChoiceField(
        label="Your decision",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to approve the return or request changes"},
    )
    comment = forms.CharField(
        label="Comment to the provider",
        required=False,
        max_length=COMMENT_LENGTH,
        help_text="Required when you request changes; optional when you approve.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _too_long("The comment")},
    )

    def __init__(self, *args, detail: ReturnDetail, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [
            (step.name, step.label) for step in RETURN.steps_from(ReturnStatus.SUBMITTED)
        ]
        # A milestone achieved in an earlier quarter is not asked, so there is nothing to change.
        answers = [(r.key, f"indicator {r.indicator.code}") for r in detail.rows_to_answer] + [
            (r.key, f"requirement {r.requirement.number}") for r in detail.requirement_rows
        ]
        self._answers = dict(answers)
        for key, name in answers:
            checkbox, comment = self._names(key)
            self.fields[checkbox] = forms.BooleanField(
                label=f"Flag this answer ({name})",
                required=False,
                widget=forms.CheckboxInput(
                    attrs={"form": DECISION_FORM_ID, "class": "form-check-input"}
                ),
            )
            self.fields[comment] = forms.CharField(
                label=f"What needs changing in {name}",
                required=False,
                max_length=COMMENT_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2, "form": DECISION_FORM_ID}),
                error_messages={"max_length": _too_long(f"What needs changing in {name}")},
            )
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
                "comment", ValidationError("Enter a comment saying what needs to change")
            )
        flagged = self._flagged(data)
        if decision == "approve" and flagged:
            names = [self._answers[key] for key in flagged]
            named = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
            self.add_error(
                "decision",
                ValidationError(
                    f"You flagged {named}. Flags go to the provider only when you choose "
                    f"“{RETURN.step('request_changes').label}”: choose it, or untick the flags "
                    "and clear their comments to approve the return."
                ),
            )
        elif decision != "approve":
            for key, text in flagged.items():
                if not text:
                    self.add_error(
                        self._names(key)[1],
                        ValidationError(
                            f"Say what needs changing in {self._answers[key]}, or untick "
                            "“Flag this answer”"
                        ),
                    )
        return data

    @property
    def flags(self) -> dict[str, str]:
        """What needs changing in each flagged answer, in the order the return asks them."""
        return self._flagged(self.cleaned_data)


class ReleaseForm(AccessibleFormMixin, forms.Form):
    """Confirms a release; carries the status the page showed, so a decision taken by someone
    else since is not overridden unseen."""

    status = forms.ChoiceField(
        choices=InstalmentStatus.choices,
        widget=forms.HiddenInput,
        error_messages={
            "required": "Reload the page and decide again.",
            "invalid_choice": "Reload the page and decide again.",
        },
    )
    reason = forms.CharField(
        label="Note for the record (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The provider is e-mailed that the payment was released, with this note.",
    )

    def __init__(self, *args, instalment, **kwargs):
        kwargs.setdefault("initial", {"status": instalment.status})
        super().__init__(*args, **kwargs)


class WithholdForm(ReleaseForm):
    reason = forms.CharField(
        label="Why is the instalment withheld?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The provider is e-mailed that the payment was withheld, with this reason.",
        error_messages={"required": "Enter why the instalment is withheld"},
    )


class MeetingDetailsForm(AccessibleFormMixin, forms.Form):
    """What a meeting's record says. Its date must fall within the agreement, whatever input
    gave it."""

    held_on = DayMonthYearField(
        label="Date of the meeting",
        error_messages={"required": "Enter the date of the meeting"},
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
        self.agreement = agreement
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = ReportingPeriod.objects.filter(
            start_date__gte=agreement.start_date, end_date__lte=agreement.end_date
        ).order_by("-start_date")
        self.fields["held_on"].help_text = (
            f"Within the agreement: {dateformat.format(agreement.start_date, 'j F Y')} to "
            f"{dateformat.format(agreement.end_date, 'j F Y')}."
        )

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if not self.agreement.holds(held_on):
            raise ValidationError(meeting_outside(self.agreement))
        if held_on > timezone.localdate():
            raise ValidationError(
                "The date of the meeting must be today or in the past: record a meeting once "
                "it has been held"
            )
        return held_on

    def clean(self):
        data = super().clean()
        held_on, period = data.get("held_on"), data.get("period")
        if held_on and period and period.start_date > held_on:
            self.add_error(
                "period",
                f"A meeting held on {date_format(held_on)} cannot monitor {period}, which starts "
                "after it: choose a quarter that had started by then",
            )
        return data

    @classmethod
    def initial_for(cls, meeting) -> dict:
        return {
            "held_on": meeting.held_on,
            "period": meeting.period_id,
            "attendees": meeting.attendees,
            "notes": meeting.notes,
            "follow_up_actions": meeting.follow_up_actions,
        }


class MeetingForm(MeetingDetailsForm):
    """Records a new meeting, once however often it is sent."""

    once = OnceField()


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


@dataclass
class GroupChoice:
    """One population group's radios: "not this group", then each of its codes."""

    group: diversity.PopulationGroup
    field: BoundField

    @property
    def options(self) -> list[tuple[object, diversity.Option | None]]:
        return list(zip(self.field, [None, *self.group.options], strict=True))

    @property
    def chosen(self) -> str:
        """What is chosen in the group, as its name's summary says it."""
        value = self.field.value()
        option = next((o for o in self.group.options if o.code == value), None)
        if option is None:
            return ""
        return "the community as a whole" if option.level == 0 else option.title

    @property
    def is_open(self) -> bool:
        return bool(self.chosen or self.field.errors)


@dataclass
class AreaFields:
    area: diversity.Area
    reply: BoundField
    groups: list[GroupChoice]
    lived_experience: BoundField
    geography: BoundField


class DiversityForm(AccessibleFormMixin, forms.Form):
    """A provider's answers to the DEI Extension's questions on its leadership and mission: for
    each, a reply, at most one code in each population group (so one radio group each), and
    words for what the taxonomy does not name. The rules are `grants.diversity`'s, which the
    service checks again. The year the page asked about comes back with the answers, so answers
    sent after the year has turned are refused rather than kept for the next."""

    financial_year = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={
            "required": "This page is out of date: open it again and give your answers",
            "invalid": "This page is out of date: open it again and give your answers",
        },
    )

    may_publish = forms.TypedChoiceField(
        label="May the councils that fund you publish your answers as open data?",
        help_text=(
            "Published answers appear with the council's grants to you in its 360Giving data. "
            "If you say no, only the councils that fund you see them, and the open data says "
            "only that you answered."
        ),
        choices=[
            ("yes", "Yes, they may publish our answers"),
            ("no", "No, only the councils that fund us may see them"),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Say whether your answers may be published as open data",
            "invalid_choice": "Say whether your answers may be published as open data",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for area in diversity.AREAS:
            self.fields[f"{area.key}_reply"] = forms.ChoiceField(
                label=area.question,
                help_text=area.hint,
                choices=area.replies,
                widget=forms.RadioSelect,
                error_messages={"required": area.unanswered, "invalid_choice": area.unanswered},
            )
            for group in diversity.POPULATION_GROUPS:
                self.fields[self.group_field(area, group)] = forms.ChoiceField(
                    label=group.name,
                    help_text=group.description,
                    required=False,
                    choices=[("", "Not this community")]
                    + [(o.code, o.title) for o in group.options],
                    widget=forms.RadioSelect,
                    error_messages={
                        "invalid_choice": f"Choose one of the answers for {group.name}"
                    },
                )
            self.fields[f"{area.key}_lived_experience"] = forms.CharField(
                label="Other lived experience (optional)",
                help_text=(
                    "A community or experience the lists do not name. Your answers may be "
                    "published: describe it in general terms and do not name anyone."
                ),
                required=False,
                max_length=diversity.LIVED_EXPERIENCE_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={
                    "max_length": "Describe other lived experience in "
                    f"{diversity.LIVED_EXPERIENCE_LENGTH} characters or fewer"
                },
            )
            self.fields[f"{area.key}_geography"] = forms.CharField(
                label="A place (optional)",
                help_text=area.geography_hint,
                required=False,
                max_length=diversity.GEOGRAPHY_LENGTH,
                error_messages={
                    "max_length": f"Name the place in {diversity.GEOGRAPHY_LENGTH} characters "
                    "or fewer"
                },
            )
        # The publishing question comes last, after the answers it is about.
        self.order_fields([name for name in self.fields if name != "may_publish"])

    @staticmethod
    def group_field(area: diversity.Area, group: diversity.PopulationGroup) -> str:
        return f"{area.key}_{group.prefix}"

    @classmethod
    def initial_for(cls, answers) -> dict:
        """The form filled in with answers kept before (an `OrganisationDiversity`)."""
        initial = {"may_publish": "yes" if answers.may_publish else "no"}
        for answered in answers.areas:
            area, answer = answered.area, answered.answer
            initial[f"{area.key}_reply"] = answer.reply
            initial[f"{area.key}_lived_experience"] = answer.lived_experience
            initial[f"{area.key}_geography"] = answer.geography
            for group, option in answer.choices():
                initial[cls.group_field(area, group)] = option.code
        return initial

    @property
    def areas(self) -> list[AreaFields]:
        return [
            AreaFields(
                area=area,
                reply=self[f"{area.key}_reply"],
                groups=[
                    GroupChoice(group, self[self.group_field(area, group)])
                    for group in diversity.POPULATION_GROUPS
                ],
                lived_experience=self[f"{area.key}_lived_experience"],
                geography=self[f"{area.key}_geography"],
            )
            for area in diversity.AREAS
        ]

    def answer(self, area: diversity.Area) -> diversity.AreaAnswer:
        data = self.cleaned_data
        codes = [data.get(self.group_field(area, g)) for g in diversity.POPULATION_GROUPS]
        return diversity.AreaAnswer(
            reply=data.get(f"{area.key}_reply", ""),
            codes=tuple(c for c in codes if c),
            lived_experience=data.get(f"{area.key}_lived_experience", ""),
            geography=data.get(f"{area.key}_geography", ""),
        )

    def clean(self):
        data = super().clean()
        for area in diversity.AREAS:
            if f"{area.key}_reply" not in data:
                continue
            for part, message in diversity.problems(area, self.answer(area)).items():
                # A code can only be wrong here by coming from another group's radios, which
                # the choices refuse first: what is left is said beside the question.
                field = f"{area.key}_{part}" if part != "codes" else f"{area.key}_reply"
                if field not in self.errors:
                    self.add_error(field, message)
        return data

    def add_service_error(self, error: ValidationError) -> None:
        """The service's refusal beside the question it is about, or above the form."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, errors in error.error_dict.items():
            field = name.replace("_codes", "_reply")
            self.add_error(field if field in self.fields else None, errors)

    def service_arguments(self) -> dict:
        return {
            "financial_year": self.cleaned_data["financial_year"],
            "leadership": self.answer(diversity.AREA["leadership"]),
            "mission": self.answer(diversity.AREA["mission"]),
            "may_publish": self.cleaned_data["may_publish"],
        }
