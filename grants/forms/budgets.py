"""The budget's forms: the spend to date on each line of a return's year, and the lines of one
year of an agreement's budget."""

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from grants.forms.returns import VersionedForm
from grants.models import BudgetHeading, BudgetHeadingKind, BudgetLine, SpendAnswer
from sla_monitor.forms import AccessibleFormMixin, PlainDecimalField, largest


def money_field(label, *, required: bool, model_field) -> PlainDecimalField:
    biggest = largest(model_field)
    return PlainDecimalField(
        label=label,
        required=required,
        min_value=0,
        max_value=biggest,
        decimal_places=2,
        max_digits=model_field.max_digits,
        help_text=_("In pounds, like 1250.50."),
        error_messages={
            "required": _("Enter an amount in pounds"),
            "invalid": _("Enter an amount in pounds, like 1250.50"),
            "min_value": _("The amount cannot be less than £0"),
            "max_value": _("Enter an amount no bigger than £%(biggest)s")
            % {"biggest": f"{biggest:,.2f}"},
            "max_digits": _("Enter an amount no bigger than £%(biggest)s")
            % {"biggest": f"{biggest:,.2f}"},
            "max_whole_digits": _("Enter an amount no bigger than £%(biggest)s")
            % {"biggest": f"{biggest:,.2f}"},
            "max_decimal_places": _("Give the amount in pounds and pence, to 2 decimal places"),
        },
    )


class SpendAnswersForm(VersionedForm):
    """The spend to date on each budget line of the return's year, and an explanation where it
    is off the budget. A draft may leave any of them blank."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for row in rows:
            line = row.line
            spent, explanation = f"spent_{line.pk}", f"explanation_{line.pk}"
            self.fields[spent] = money_field(
                _("Spent on %(line)s from 1 April to the end of the period") % {"line": line.name},
                required=False,
                model_field=SpendAnswer._meta.get_field("spent_to_date"),
            )
            self.fields[explanation] = forms.CharField(
                label=_("Why the spend on %(line)s is off the budget, if it is")
                % {"line": line.name},
                required=False,
                help_text=_(
                    "Needed when spend is more than %(threshold)s%% over or under what the "
                    "budget would have spent by now."
                )
                % {"threshold": row.threshold},
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            if not self.is_bound:
                self.initial[spent] = row.answer.spent_to_date
                self.initial[explanation] = row.answer.explanation
            self.rows.append((row, self[spent], self[explanation]))
        self.conditionally_required = {f"explanation_{row.line.pk}" for row in rows}

    @property
    def answers(self) -> dict:
        return {
            row.line.pk: (
                self.cleaned_data.get(f"spent_{row.line.pk}"),
                self.cleaned_data.get(f"explanation_{row.line.pk}", ""),
            )
            for row, _spent, _explanation in self.rows
        }


class BudgetLineForm(AccessibleFormMixin, forms.Form):
    """One line of a year's budget."""

    pk = forms.IntegerField(required=False, widget=forms.HiddenInput)
    heading = forms.ChoiceField(label=_("Heading"), required=False)
    label = forms.CharField(label=_("Label"), required=False, max_length=200)
    amount = money_field(
        _("Amount for the year"),
        required=False,
        model_field=BudgetLine._meta.get_field("amount"),
    )

    def __init__(self, *args, headings: list[BudgetHeading], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["heading"].choices = [
            ("", _("Choose a heading")),
            *[(k.value, k.label) for k in BudgetHeadingKind if k != BudgetHeadingKind.OWN],
            *[(f"own:{h.pk}", h.name) for h in headings],
        ]

    @property
    def is_empty(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not data.get("heading") and data.get("amount") is None and not data.get("label")

    def clean(self):
        data = super().clean()
        if not data.get("heading") and (data.get("amount") is not None or data.get("label")):
            self.add_error("heading", _("Choose the line's heading"))
        if data.get("heading") and data.get("amount") is None and "amount" not in self.errors:
            self.add_error("amount", _("Enter the line's amount in pounds"))
        return data

    @property
    def line(self) -> dict:
        data = self.cleaned_data
        heading, own = data["heading"], None
        if heading.startswith("own:"):
            heading, own = BudgetHeadingKind.OWN, int(heading.split(":", 1)[1])
        return {
            "pk": data.get("pk"),
            "heading": heading,
            "own_heading": own,
            "label": data.get("label", ""),
            "amount": data["amount"],
        }


class BaseBudgetLineFormSet(forms.BaseFormSet):
    def __init__(self, *args, headings, **kwargs):
        self.headings = headings
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"headings": self.headings}

    @property
    def lines(self) -> list[dict]:
        return [form.line for form in self.forms if not form.is_empty]


BudgetLineFormSet = formset_factory(
    BudgetLineForm, formset=BaseBudgetLineFormSet, extra=3, max_num=40, validate_max=True
)


def initial_lines(lines) -> list[dict]:
    return [
        {
            "pk": line.pk,
            "heading": f"own:{line.own_heading_id}" if line.own_heading_id else line.heading,
            "label": line.label,
            "amount": line.amount,
        }
        for line in lines
    ]
