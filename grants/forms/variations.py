"""Drafting, requesting and deciding a variation of an agreement's terms."""

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from grants.forms.budgets import BaseBudgetLineFormSet, BudgetLineForm
from grants.models import (
    Direction,
    MeasureType,
    PerformanceIndicator,
    ReportingFrequency,
    ReportingPeriod,
    TargetPeriod,
)
from grants.targets import read_profile_row
from sla_monitor.dates import DayMonthYearField
from sla_monitor.forms import AccessibleFormMixin, PlainDecimalField
from sla_monitor.models import User
from sla_monitor.once import OnceField
from sla_monitor.periods import financial_year_label


class VariationRequestForm(AccessibleFormMixin, forms.Form):
    request = forms.CharField(
        label=_("What would you like to change, and why?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "For example: extend the agreement to March 2027 without more money, or lower the "
            "target for events in 2026/27. The lead officer takes it up or declines it."
        ),
        error_messages={"required": _("Say what you would like to change, and why")},
    )
    once = OnceField()


class VariationForm(AccessibleFormMixin, forms.Form):
    """What a variation changes, why, and from when. Every change is optional; together they
    must change something before the variation is sent for approval."""

    reason = forms.CharField(
        label=_("Why do the terms change?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("The provider reads this in the variation letter."),
    )
    takes_effect_from = forms.ModelChoiceField(
        label=_("Takes effect from"),
        queryset=ReportingPeriod.objects.none(),
        required=False,
        empty_label=_("Choose a reporting period"),
        help_text=_("The first quarter judged by the varied terms; earlier quarters keep theirs."),
    )
    past_approved_returns_acknowledged = forms.BooleanField(
        label=_("The variation also applies to returns already approved from that quarter on"),
        required=False,
    )
    new_end_date = DayMonthYearField(
        label=_("New end date"),
        required=False,
        hint=_("Leave empty to keep the end date. For example, 31 3 2027."),
    )
    new_total_allocation = PlainDecimalField(
        label=_("New total allocation, in pounds"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text=_("Leave empty to keep the allocation."),
    )
    new_lead_officer = forms.ModelChoiceField(
        label=_("New lead officer"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Keep the lead officer"),
    )
    new_reporting_frequency = forms.ChoiceField(
        label=_("New reporting frequency"),
        choices=[("", _("Keep how often the provider reports")), *ReportingFrequency.choices],
        required=False,
        help_text=_(
            "From the period it takes effect: returns made before stay as they are. Six-monthly "
            "returns are made in Q2 and Q4, annual ones in Q4."
        ),
    )
    changes_instalments = forms.BooleanField(
        label=_("Set a new schedule for the instalments not yet released"),
        required=False,
    )
    retire_indicators = forms.ModelMultipleChoiceField(
        label=_("Indicators retired from that quarter"),
        queryset=PerformanceIndicator.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Returns from the quarter the variation takes effect no longer answer them."),
    )
    once = OnceField(required=False)
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        required=False,
        error_messages={"invalid": _("Reload the page and send the form again.")},
    )

    def __init__(self, *args, agreement, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.agreement = agreement
        if editing:
            # A draft's page carries the version it showed: without one, a change made since
            # would be overwritten unseen.
            self.fields["version"].required = True
            self.fields["version"].error_messages["required"] = _(
                "Reload the page and send the form again."
            )
        self.fields["takes_effect_from"].queryset = ReportingPeriod.objects.filter(
            start_date__gte=agreement.start_date
        ).order_by("start_date")
        self.fields["new_lead_officer"].queryset = User.objects.lead_officers().filter(
            organisation_id=agreement.funder_id
        )
        self.fields["retire_indicators"].queryset = PerformanceIndicator.objects.filter(
            agreement=agreement, retired_from__isnull=True
        ).order_by("order", "code")
        self.fields["retire_indicators"].label_from_instance = _indicator_label

    def terms(self) -> dict:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in (
                "reason",
                "takes_effect_from",
                "past_approved_returns_acknowledged",
                "new_end_date",
                "new_total_allocation",
                "new_lead_officer",
                "new_reporting_frequency",
                "changes_instalments",
                "retire_indicators",
            )
        }


def _indicator_label(indicator) -> str:
    return _("Indicator %(code)s: %(wording)s") % {
        "code": indicator.code,
        "wording": indicator.wording,
    }


class TargetRowForm(AccessibleFormMixin, forms.Form):
    """One year's new target of one indicator, with its quarterly profile if it has one."""

    indicator = forms.ModelChoiceField(
        label=_("Indicator"),
        queryset=PerformanceIndicator.objects.none(),
        required=False,
        empty_label=_("Choose an indicator"),
    )
    financial_year = forms.TypedChoiceField(
        label=_("Year"), coerce=int, required=False, choices=[("", _("Choose a year"))]
    )
    target = PlainDecimalField(
        label=_("New target for the year"),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
    )
    profile = forms.CharField(
        label=_("Quarterly profile"),
        required=False,
        help_text=_("Four figures for Q1 to Q4, like 1, 2, 0, 1."),
    )

    def __init__(self, *args, agreement=None, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        if agreement is not None:
            self.fields["indicator"].queryset = PerformanceIndicator.objects.filter(
                agreement=agreement,
                retired_from__isnull=True,
                measure_type__in=[MeasureType.COUNT, MeasureType.PERCENTAGE],
            ).order_by("order", "code")
            self.fields["indicator"].label_from_instance = _indicator_label
        self.fields["financial_year"].choices = [("", _("Choose a year"))] + [
            (year, financial_year_label(year)) for year in years
        ]

    def clean(self):
        data = super().clean()
        given = [data.get("indicator"), data.get("financial_year"), data.get("target")]
        if any(v not in (None, "") for v in given) and not self.errors:
            for name, value in zip(("indicator", "financial_year", "target"), given, strict=True):
                if value in (None, ""):
                    self.add_error(
                        name,
                        _(
                            "Give the indicator, the year and the new target, or leave the row "
                            "empty"
                        ),
                    )
        profile, problem = read_profile_row(data.get("profile", ""))
        if problem:
            self.add_error("profile", problem)
        data["q1"], data["q2"], data["q3"], data["q4"] = profile or (None,) * 4
        return data


class NewIndicatorRowForm(AccessibleFormMixin, forms.Form):
    """An indicator the variation adds."""

    code = forms.CharField(label=_("Code"), max_length=10, required=False)
    wording = forms.CharField(
        label=_("What the provider reports"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    measure_type = forms.ChoiceField(label=_("Measured as"), choices=MeasureType.choices)
    target = PlainDecimalField(
        label=_("Target"), required=False, min_value=0, max_digits=10, decimal_places=2
    )
    target_period = forms.ChoiceField(label=_("Target period"), choices=TargetPeriod.choices)
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False)
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)

    def has_changed(self) -> bool:
        return bool(
            self.data.get(self.add_prefix("code")) or self.data.get(self.add_prefix("wording"))
        )

    def clean(self):
        data = super().clean()
        if (data.get("code") or data.get("wording")) and not (
            data.get("code") and data.get("wording")
        ):
            self.add_error(
                "code" if not data.get("code") else "wording",
                _("Give the new indicator's code and what the provider reports"),
            )
        return data


TargetFormSet = formset_factory(TargetRowForm, extra=2, max_num=40, validate_max=True)
NewIndicatorFormSet = formset_factory(NewIndicatorRowForm, extra=1, max_num=10, validate_max=True)


def target_rows(formset) -> list[dict]:
    return [
        {
            name: form.cleaned_data[name]
            for name in ("indicator", "financial_year", "target", "q1", "q2", "q3", "q4")
        }
        for form in formset.forms
        if form.cleaned_data.get("indicator") and form.cleaned_data.get("target") is not None
    ]


def new_indicator_rows(formset) -> list[dict]:
    return [
        {
            name: form.cleaned_data[name]
            for name in (
                "code",
                "wording",
                "measure_type",
                "target",
                "target_period",
                "unit",
                "direction",
            )
        }
        for form in formset.forms
        if form.cleaned_data.get("code")
    ]


class InstalmentRowForm(AccessibleFormMixin, forms.Form):
    due_date = DayMonthYearField(label=_("Due"), required=False, hint="")
    amount = PlainDecimalField(
        label=_("Amount, in pounds"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    depends_on_period = forms.ModelChoiceField(
        label=_("Waits for the approved return of"),
        queryset=ReportingPeriod.objects.none(),
        required=False,
        empty_label=_("Nothing"),
    )

    def __init__(self, *args, periods=None, **kwargs):
        super().__init__(*args, **kwargs)
        if periods is not None:
            self.fields["depends_on_period"].queryset = periods

    def clean(self):
        data = super().clean()
        due, amount = data.get("due_date"), data.get("amount")
        if (due is None) != (amount is None) and not self.errors:
            missing = "due_date" if due is None else "amount"
            self.add_error(
                missing,
                _("Give both the due date and the amount of an instalment, or neither"),
            )
        return data


InstalmentFormSet = formset_factory(InstalmentRowForm, extra=2, max_num=24, validate_max=True)


def instalment_rows(formset) -> list[dict]:
    return [
        {
            "due_date": form.cleaned_data["due_date"],
            "amount": form.cleaned_data["amount"],
            "depends_on_period": form.cleaned_data.get("depends_on_period"),
        }
        for form in formset.forms
        if form.cleaned_data.get("due_date") and form.cleaned_data.get("amount") is not None
    ]


class VariationBudgetLineForm(BudgetLineForm):
    """One line of the budget a variation sets for a year: every line the year is to have."""

    field_order = ["financial_year", "heading", "label", "amount"]

    financial_year = forms.TypedChoiceField(
        label=_("Year"), coerce=int, required=False, choices=[("", _("Choose a year"))]
    )

    def __init__(self, *args, headings, years=(), **kwargs):
        super().__init__(*args, headings=headings, **kwargs)
        del self.fields["pk"]
        self.fields["financial_year"].choices = [("", _("Choose a year"))] + [
            (year, financial_year_label(year)) for year in years
        ]

    @property
    def is_empty(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return super().is_empty and data.get("financial_year") in (None, "")

    def clean(self):
        data = super().clean()
        given = data.get("heading") or data.get("label") or data.get("amount") is not None
        if (
            given
            and data.get("financial_year") in (None, "")
            and not self.has_error("financial_year")
        ):
            self.add_error("financial_year", _("Choose the year of the line"))
        if data.get("financial_year") not in (None, "") and not given and not self.errors:
            self.add_error("heading", _("Choose the line's heading"))
        return data

    @property
    def line(self) -> dict:
        line = super().line
        del line["pk"]
        return {"financial_year": self.cleaned_data["financial_year"], **line}


class BaseVariationBudgetFormSet(BaseBudgetLineFormSet):
    def __init__(self, *args, years=(), **kwargs):
        self.years = years
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"headings": self.headings, "years": self.years}


VariationBudgetFormSet = formset_factory(
    VariationBudgetLineForm,
    formset=BaseVariationBudgetFormSet,
    extra=3,
    max_num=60,
    validate_max=True,
)


REASON_REQUIRED = {
    "decline": _("Say why the request is declined"),
    "return": _("Say what needs to change before you would approve it"),
    "reject": _("Say why you do not accept the varied terms"),
    "withdraw": _("Say why the variation is withdrawn"),
}
REASON_LABELS = {
    "decline": _("Why do you decline the request?"),
    "return": _("What needs to change before you would approve it?"),
    "reject": _("Why do you not accept the varied terms?"),
    "withdraw": _("Why is the variation withdrawn?"),
}


class VariationStepForm(AccessibleFormMixin, forms.Form):
    """A step on a variation: the version the page showed, and, for a step whose person says
    why, the reason. Each step's form has the step's name as its prefix, so that several on one
    page keep their fields apart."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": _("Reload the page and try again.")},
    )
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, step: str, **kwargs):
        super().__init__(*args, prefix=step, **kwargs)
        self.step = step
        if step in REASON_LABELS:
            self.fields["reason"].label = REASON_LABELS[step]
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = REASON_REQUIRED[step]
        else:
            del self.fields["reason"]
