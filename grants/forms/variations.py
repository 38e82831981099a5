"""Drafting, requesting and deciding a variation of an agreement's terms."""

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from grants.models import ReportingPeriod
from sla_monitor.dates import DayMonthYearField
from sla_monitor.forms import AccessibleFormMixin
from sla_monitor.models import User
from sla_monitor.once import OnceField


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
    new_total_allocation = forms.DecimalField(
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
    changes_instalments = forms.BooleanField(
        label=_("Set a new schedule for the instalments not yet released"),
        required=False,
    )
    once = OnceField(required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.agreement = agreement
        self.fields["takes_effect_from"].queryset = ReportingPeriod.objects.filter(
            start_date__gte=agreement.start_date
        ).order_by("start_date")
        self.fields["new_lead_officer"].queryset = User.objects.lead_officers().filter(
            organisation_id=agreement.funder_id
        )

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
                "changes_instalments",
            )
        }


class InstalmentRowForm(AccessibleFormMixin, forms.Form):
    due_date = DayMonthYearField(label=_("Due"), required=False, hint="")
    amount = forms.DecimalField(
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
        else:
            del self.fields["reason"]
