"""The forms of the council staff's assessment pages.

They only read what was sent: what an answer must say (a relevant group needs why, a continued
policy needs its justification) is the services' to judge, and their refusals are put beside
the field they name (`add_service_error`), so each field is named as the service names it:
`relevant-<group>`, `why-<group>`, `impact-<group>`, `explanation-<group>`.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from equality_plans import groups, permissions
from equality_plans.models import (
    Assessment,
    Impact,
    Outcome,
    ScreeningOutcome,
    Section,
    Subject,
)
from sla_monitor import roles
from sla_monitor.dates import DayMonthYearField
from sla_monitor.forms import AccessibleFormMixin, add_welsh_fields
from sla_monitor.models import User
from sla_monitor.once import OnceField
from sla_monitor.written import WrittenSelect

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
TEXT = {"rows": 3}


def council_staff(council) -> QuerySet:
    """The council's active officers, who may own an assessment or a plan action."""
    return User.objects.filter(
        organisation_id=council.pk, role__in=roles.COUNCIL_ROLES, is_active=True
    ).order_by("first_name", "last_name", "username")


def _person(user: User) -> str:
    return user.get_full_name() or user.username


# The most a box takes: enough for any answer a council writes (a page and more), never so much
# that a page or PDF of the assessment becomes a burden to make.
LONG_TEXT = 10_000
LONGER_TEXT = 30_000


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _person(obj)


class ActionChoiceMixin:
    def label_from_instance(self, obj):
        return _("%(plan)s: action %(number)s, %(wording)s") % {
            "plan": obj.plan.title,
            "number": obj.number,
            "wording": obj.wording[:80],
        }


class ActionChoiceField(ActionChoiceMixin, forms.ModelChoiceField):
    pass


class ActionsChoiceField(ActionChoiceMixin, forms.ModelMultipleChoiceField):
    pass


class ServiceErrorsMixin:
    def add_service_error(self, error: ValidationError) -> None:
        """The service's refusal beside the field it names, or above the form."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, errors in error.error_dict.items():
            self.add_error(name if name in self.fields else None, errors)


class VersionForm(ServiceErrorsMixin, AccessibleFormMixin, forms.Form):
    """Carries the assessment's version as the page showed it, so that a change made since, or
    the same form sent twice, is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput)


def is_stale(form: forms.Form) -> bool:
    """The form came without a version the page gave it: a forged or truncated request."""
    return "version" in form.errors


class DetailsForm(ServiceErrorsMixin, AccessibleFormMixin, forms.Form):
    """What is assessed, by whom, and the decision it informs."""

    # What the service needs (the fund, agreement or action as the subject says), so that the
    # page does not call them optional.
    conditionally_required = (
        "title",
        "subject",
        "fund",
        "agreement",
        "action",
        "owner",
        "directorate",
        "decision",
    )

    title = forms.CharField(label=_("What is assessed"), max_length=250, required=False)
    subject = forms.ChoiceField(
        label=_("What it is an assessment of"),
        choices=Subject.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    fund = forms.ModelChoiceField(
        label=_("The fund"), queryset=None, required=False, empty_label=_("Choose a fund")
    )
    agreement = forms.ModelChoiceField(
        label=_("The agreement"),
        queryset=None,
        required=False,
        empty_label=_("Choose an agreement"),
    )
    action = ActionChoiceField(
        label=_("The plan action"),
        queryset=None,
        required=False,
        empty_label=_("Choose an action"),
    )
    owner = PersonChoiceField(
        label=_("Owner"),
        queryset=None,
        required=False,
        empty_label=_("Choose an officer"),
        help_text=_("The officer who writes the assessment."),
    )
    directorate = forms.CharField(label=_("Lead directorate"), max_length=200, required=False)
    decision = forms.CharField(
        label=_("The decision it informs"),
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs=TEXT),
        required=False,
    )
    decision_date = DayMonthYearField(label=_("Date of the decision"), required=False)
    called_for_by = ActionsChoiceField(
        label=_("Plan actions that call for this assessment"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Hold Ctrl (or Cmd) to choose more than one."),
    )

    def __init__(self, *args, user, council, assessment: Assessment | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if assessment is not None:
            self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput)
        else:
            # A start sent twice (a double click) starts one assessment.
            self.fields["once"] = OnceField()
        # What a writer may choose: their council's own funds, agreements and plan actions.
        funds = permissions.assessable_funds(user, council)
        agreements = permissions.assessable_agreements(user, council)
        actions = permissions.visible_actions(user).filter(plan__owner_id=council.pk)
        self.fields["fund"].queryset = funds.order_by("name")
        self.fields["agreement"].queryset = agreements.order_by("reference")
        self.fields["action"].queryset = actions.order_by("plan__title", "order", "pk")
        self.fields["called_for_by"].queryset = actions.order_by("plan__title", "order", "pk")
        self.fields["owner"].queryset = council_staff(council)
        self.welsh = council.welsh_offer
        add_welsh_fields(self, {"title", "decision"}, offered=self.welsh)

    def details(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.fields if name != "version"}


def initial_details(assessment: Assessment) -> dict:
    return {
        "title": assessment.title_en_gb,
        "title_cy": assessment.title_cy,
        "subject": assessment.subject,
        "fund": assessment.fund_id,
        "agreement": assessment.agreement_id,
        "action": assessment.action_id,
        "owner": assessment.owner_id,
        "directorate": assessment.directorate,
        "decision": assessment.decision_en_gb,
        "decision_cy": assessment.decision_cy,
        "decision_date": assessment.decision_date,
        "called_for_by": [a.pk for a in assessment.called_for_by.all()],
        "version": assessment.lock_version,
    }


class ScreeningForm(VersionForm):
    """For each group the assessment considers, whether it is relevant and why; then whether a
    full assessment is needed."""

    screening_outcome = forms.ChoiceField(
        label=_("Is a full assessment needed?"),
        choices=ScreeningOutcome.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    screening_reason = forms.CharField(
        label=_("Why no full assessment is needed"),
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs=TEXT),
        required=False,
        help_text=_("Needed only when no full assessment is needed."),
    )

    @property
    def conditionally_required(self) -> tuple[str, ...]:
        """Every question here is needed (a reason only where its answer calls for one), so
        the page calls none of them optional, but for the Welsh beside the English."""
        return tuple(name for name in self.fields if not name.endswith("_cy"))

    def __init__(self, *args, judgements, **kwargs):
        self.judgements = list(judgements)
        initial = kwargs.setdefault("initial", {})
        for j in self.judgements:
            if j.relevant is not None:
                initial.setdefault(f"relevant-{j.group}", "yes" if j.relevant else "no")
            initial.setdefault(f"why-{j.group}", j.relevance)
        super().__init__(*args, **kwargs)
        for j in self.judgements:
            name = groups.name_of(j.group)
            self.fields[f"relevant-{j.group}"] = forms.ChoiceField(
                label=_("Is it relevant to %(group)s?") % {"group": name.lower()},
                choices=YES_NO,
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"why-{j.group}"] = forms.CharField(
                label=_("Why"),
                max_length=LONG_TEXT,
                widget=forms.Textarea(attrs=TEXT),
                required=False,
            )
        self.order_fields(
            [
                "version",
                *(f"{part}-{j.group}" for j in self.judgements for part in ("relevant", "why")),
                "screening_outcome",
                "screening_reason",
            ]
        )

    def groups(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        """Each group's name with its two fields, one fieldset each."""
        return [
            (groups.name_of(j.group), self[f"relevant-{j.group}"], self[f"why-{j.group}"])
            for j in self.judgements
        ]

    def answers(self) -> dict[str, tuple[bool | None, str]]:
        data = self.cleaned_data
        relevant = {"yes": True, "no": False}
        return {
            j.group: (relevant.get(data.get(f"relevant-{j.group}")), data.get(f"why-{j.group}"))
            for j in self.judgements
        }


PARTS = ("impact", "explanation")


class FullAssessmentForm(VersionForm):
    """Evidence, consultation, the likely impact on each group screened relevant, the outcome
    and the review date."""

    evidence = forms.CharField(
        label=_("Evidence"),
        max_length=LONGER_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("The data, research and monitoring the assessment draws on."),
    )
    consultation = forms.CharField(
        label=_("Consultation and engagement"),
        max_length=LONGER_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("Who was asked and what they said, or why nobody was."),
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    justification = forms.CharField(
        label=_("Justification"),
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs=TEXT),
        required=False,
        help_text=_("Needed when the policy continues despite adverse impact."),
    )
    review_date = DayMonthYearField(label=_("Review date"), required=False)

    @property
    def conditionally_required(self) -> tuple[str, ...]:
        """Every question here is needed (a reason only where its answer calls for one), so
        the page calls none of them optional, but for the Welsh beside the English."""
        return tuple(name for name in self.fields if not name.endswith("_cy"))

    def __init__(self, *args, judgements, welsh: bool = False, **kwargs):
        self.judgements = [j for j in judgements if j.relevant]
        initial = kwargs.setdefault("initial", {})
        for j in self.judgements:
            initial.setdefault(f"impact-{j.group}", j.impact)
            initial.setdefault(f"explanation-{j.group}", j.explanation)
        super().__init__(*args, **kwargs)
        for j in self.judgements:
            name = groups.name_of(j.group)
            self.fields[f"impact-{j.group}"] = forms.ChoiceField(
                label=_("Likely impact on %(group)s") % {"group": name.lower()},
                choices=Impact.choices,
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"explanation-{j.group}"] = forms.CharField(
                label=_("Explanation"),
                max_length=LONG_TEXT,
                widget=forms.Textarea(attrs=TEXT),
                required=False,
            )
        self.order_fields(
            [
                "version",
                "evidence",
                "consultation",
                *(f"{part}-{j.group}" for j in self.judgements for part in PARTS),
                "outcome",
                "justification",
                "review_date",
            ]
        )
        self.welsh = welsh
        add_welsh_fields(self, {"justification"}, offered=welsh)

    def groups(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [
            (groups.name_of(j.group), self[f"impact-{j.group}"], self[f"explanation-{j.group}"])
            for j in self.judgements
        ]

    def impacts(self) -> dict[str, tuple[str, str]]:
        data = self.cleaned_data
        return {
            j.group: (data.get(f"impact-{j.group}") or "", data.get(f"explanation-{j.group}") or "")
            for j in self.judgements
        }


class MitigationForm(VersionForm):
    """A mitigation, for one of the groups screened relevant, or for all of them."""

    group = forms.ChoiceField(label=_("Group it is for"), required=False)
    wording = forms.CharField(
        label=_("What will be done"),
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs=TEXT),
        error_messages={"required": _("Describe what will be done to lessen the impact.")},
    )

    def __init__(self, *args, judgements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [
            ("", _("All the groups")),
            *((j.group, groups.name_of(j.group)) for j in judgements if j.relevant),
        ]


class SectionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("%(plan)s: %(section)s") % {"plan": obj.plan.title, "section": obj.title}


class MitigationActionForm(VersionForm):
    """A mitigation as a new action of one of the council's plans."""

    conditionally_required = ("plan", "timescale")

    plan = forms.ModelChoiceField(
        label=_("Plan"),
        queryset=None,
        required=False,
        empty_label=_("Choose a plan"),
        error_messages={
            "invalid_choice": _("Choose a plan of the council's that you may add actions to.")
        },
    )
    section = SectionChoiceField(
        label=_("Section"),
        queryset=None,
        widget=WrittenSelect(field="title"),
        required=False,
        empty_label=_("A section for mitigations from assessments"),
        help_text=_("Optional: left empty, the action goes in a section of its own."),
    )
    owner = PersonChoiceField(
        label=_("Action owner"), queryset=None, required=False, empty_label=_("Nobody yet")
    )
    timescale = forms.CharField(
        label=_("Timescale"),
        max_length=100,
        required=False,
        help_text=_("As the plan words it, such as “Q3 2026/27” or “End July 2026”."),
    )
    lead_responsibility = forms.CharField(
        label=_("Lead responsibility"), max_length=255, required=False
    )

    def __init__(self, *args, user, council, **kwargs):
        super().__init__(*args, **kwargs)
        plans = permissions.plans_taking_actions(user).filter(owner_id=council.pk)
        self.fields["plan"].queryset = plans.order_by("title")
        self.fields["section"].queryset = (
            Section.objects.filter(plan__in=plans.values("pk"))
            .select_related("plan")
            .order_by("plan__title", "order", "pk")
        )
        self.fields["owner"].queryset = council_staff(council)


class EvidenceForm(VersionForm):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "A PDF, Word document, Excel spreadsheet or image (PNG, JPEG or GIF), at most 10 MB."
        ),
        error_messages={"required": _("Choose a file to upload.")},
    )


class SignOffForm(VersionForm):
    comments = forms.CharField(
        label=_("Comments"),
        max_length=LONGER_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("Needed to return it: say what needs to change."),
    )
    decision = forms.ChoiceField(choices=[("sign_off", "sign_off"), ("return", "return")])
