"""Changing an agreement after it is set up: what of it nothing yet depends on."""

from django import forms
from django.utils.translation import gettext_lazy as _

from grants.models import Agreement, PaymentInstalment, PerformanceIndicator, ReportingPeriod
from grants.services.agreements import (
    EDITABLE_DETAILS,
    EDITABLE_INDICATOR_FIELDS,
    EDITABLE_INSTALMENT_FIELDS,
    agreement_version,
    edit_field,
)
from sla_monitor import written
from sla_monitor.dates import DayMonthYearField
from sla_monitor.forms import AccessibleFormMixin, PlainDecimalField, add_welsh_fields, largest
from sla_monitor.models import User


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def welsh_lines(welsh: str, english: str) -> list[str]:
    """The Welsh lines beside the English ones: a Welsh line goes with the English line in the
    same place, and a line left blank in Welsh keeps its place."""
    english_places = [n for n, line in enumerate(english.splitlines()) if line.strip()]
    lines = welsh.splitlines()
    return [lines[n].strip() if n < len(lines) else "" for n in english_places]


class AgreementEditForm(AccessibleFormMixin, forms.Form):
    """The agreement's details and wording, then a group of fields for each indicator no return
    has answered and each instalment not yet decided (`editable_indicators`,
    `editable_instalments`). Each field's `group` names the indicator or instalment it belongs
    to, for the error summary."""

    version = forms.CharField(widget=forms.HiddenInput)
    title = forms.CharField(
        label=_("Title"),
        max_length=Agreement._meta.get_field("title").max_length,
        error_messages={"required": _("Enter the agreement's title")},
    )
    purpose = forms.CharField(
        label=_("What the grant is for"),
        required=False,
        help_text=_("In a sentence or two, as it is published."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    award_date = DayMonthYearField(label=_("Award date"), required=False)
    department = forms.CharField(
        label=_("Department"),
        required=False,
        max_length=Agreement._meta.get_field("department").max_length,
        help_text=_("The council's department that made the award."),
    )
    supplier_reference = forms.CharField(
        label=_("Supplier number"),
        required=False,
        max_length=Agreement._meta.get_field("supplier_reference").max_length,
        help_text=_(
            "The provider's supplier number in the council's finance system, which payment files "
            "carry. Never its bank details."
        ),
    )
    lead_officer = forms.ModelChoiceField(
        label=_("Lead officer"),
        queryset=User.objects.none(),
        empty_label=_("Choose a lead officer"),
        error_messages={"required": _("Choose a lead officer")},
    )
    reporting_frequency = forms.ChoiceField(
        label=_("Reporting frequency"),
        choices=Agreement._meta.get_field("reporting_frequency").choices,
        help_text=_(
            "How often the provider sends a return. Six-monthly returns are made in Q2 and Q4, "
            "annual ones in Q4, each covering the quarters since the one before. Once a return "
            "exists, change it by a variation."
        ),
        # Not sent (an older form): unchanged.
        required=False,
    )
    objectives = forms.CharField(
        label=_("Core service objectives"),
        help_text=_("One a line."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    requirements = forms.CharField(
        label=_("Minimum requirements"),
        help_text=_("One a line; they are numbered in this order."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, agreement, indicators, instalments, **kwargs):
        self.agreement = agreement
        self.editable_indicators = list(indicators)
        self.editable_instalments = list(instalments)
        kwargs.setdefault("initial", self.initial_for(agreement))
        super().__init__(*args, **kwargs)
        self.welsh = agreement.funder.welsh_offer
        add_welsh_fields(
            self, {"title", "purpose", "objectives", "requirements"}, offered=self.welsh
        )
        self.fields["lead_officer"].queryset = User.objects.lead_officers().filter(
            organisation_id=agreement.funder_id
        )
        for field in self.fields.values():
            field.group = ""
        for indicator in self.editable_indicators:
            self._add_indicator_fields(indicator)
        quarters = ReportingPeriod.objects.reported_by(agreement)
        for instalment in self.editable_instalments:
            self._add_instalment_fields(instalment, quarters)

    def _add_indicator_fields(self, indicator: PerformanceIndicator) -> None:
        group = _("Indicator %(code)s") % {"code": indicator.code}
        fields = {
            "wording": forms.CharField(
                label=_("Indicator"),
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"required": _("Enter the indicator's wording")},
            ),
            "unit": forms.CharField(
                label=_("What it counts"),
                max_length=PerformanceIndicator._meta.get_field("unit").max_length,
                required=False,
                help_text=_("For a count, as it reads after the target: events, groups."),
            ),
            "target": PlainDecimalField(
                label=_("Target"),
                max_digits=10,
                decimal_places=2,
                min_value=0,
                max_value=largest(PerformanceIndicator._meta.get_field("target")),
                required=False,
                error_messages={
                    "invalid": _("Enter the target as a number, like 4"),
                    "min_value": _("The target cannot be negative"),
                    "max_value": _("Enter a target no bigger than 99,999,999.99"),
                    "max_digits": _("Enter a target no bigger than 99,999,999.99"),
                },
            ),
            "amber_tolerance": PlainDecimalField(
                label=_("Amber within (%)"),
                max_digits=5,
                decimal_places=2,
                min_value=0,
                max_value=100,
                error_messages={
                    "required": _("Enter how far below target is still amber, like 10"),
                    "invalid": _("Enter the amber tolerance as a number, like 10"),
                    "min_value": _("The amber tolerance is a percentage from 0 to 100"),
                    "max_value": _("The amber tolerance is a percentage from 0 to 100"),
                },
            ),
        }
        for name in EDITABLE_INDICATOR_FIELDS:
            if name not in fields:
                continue
            field = fields[name]
            field.group = group
            field.initial = getattr(indicator, written.column(indicator, name))
            self.fields[edit_field("indicator", indicator.pk, name)] = field
        if self.welsh:
            wording = edit_field("indicator", indicator.pk, "wording")
            add_welsh_fields(self, {wording}, offered=True)
            self.fields[f"{wording}_cy"].initial = indicator.wording_cy

    def _add_instalment_fields(self, instalment: PaymentInstalment, quarters) -> None:
        group = instalment.label
        fields = {
            "amount": PlainDecimalField(
                label=_("Amount (£)"),
                max_digits=12,
                decimal_places=2,
                min_value=0,
                error_messages={
                    "required": _("Enter the instalment's amount"),
                    "invalid": _("Enter the amount as a number, like 15000.00"),
                    "min_value": _("An instalment's amount cannot be negative"),
                    "max_decimal_places": _("Enter the amount in pounds and pence, like 15000.00"),
                },
            ),
            "due_date": DayMonthYearField(label=_("Due date")),
            "depends_on_period": forms.ModelChoiceField(
                label=_("Released once this quarter's return is approved"),
                queryset=quarters,
                required=False,
                empty_label=_("Nothing: paid in advance"),
            ),
        }
        for name in EDITABLE_INSTALMENT_FIELDS:
            field = fields[name]
            field.group = group
            field.initial = getattr(
                instalment, f"{name}_id" if name == "depends_on_period" else name
            )
            self.fields[edit_field("instalment", instalment.pk, name)] = field

    @staticmethod
    def initial_for(agreement: Agreement) -> dict:
        objectives = list(agreement.objectives.all())
        requirements = list(agreement.requirements.all())
        return {
            "version": agreement_version(agreement),
            **{
                name: getattr(agreement, written.column(agreement, name))
                for name in EDITABLE_DETAILS
            },
            "objectives": "\n".join(o.text_en_gb or "" for o in objectives),
            "requirements": "\n".join(r.text_en_gb or "" for r in requirements),
            "objectives_cy": "\n".join(o.text_cy or "" for o in objectives),
            "requirements_cy": "\n".join(r.text_cy or "" for r in requirements),
        }

    def clean_reporting_frequency(self) -> str:
        return self.cleaned_data["reporting_frequency"] or self.agreement.reporting_frequency

    def fields_of(self, kind: str, record) -> list:
        """The bound fields of an indicator or instalment (kind "indicator" or "instalment");
        none for one the form does not change."""
        names = EDITABLE_INDICATOR_FIELDS if kind == "indicator" else EDITABLE_INSTALMENT_FIELDS
        if edit_field(kind, record.pk, names[0]) not in self.fields:
            return []
        return [
            self[edit_field(kind, record.pk, name)]
            for name in names
            if edit_field(kind, record.pk, name) in self.fields
        ]

    def changes(self) -> dict:
        """The service's arguments (`grants.services.edit_agreement`), from the valid form."""
        data = self.cleaned_data
        welsh = {}
        if self.welsh:
            # Welsh lines keep their places beside the English ones, blank lines included.
            welsh = {
                "objectives_cy": welsh_lines(data["objectives_cy"], data["objectives"]),
                "requirements_cy": welsh_lines(data["requirements_cy"], data["requirements"]),
            }
        return {
            "version": data["version"],
            "details": {name: data[name] for name in EDITABLE_DETAILS if name in data},
            "objectives": _lines(data["objectives"]),
            "requirements": _lines(data["requirements"]),
            **welsh,
            "indicators": {
                i.pk: {
                    n: data[edit_field("indicator", i.pk, n)]
                    for n in EDITABLE_INDICATOR_FIELDS
                    if edit_field("indicator", i.pk, n) in data
                }
                for i in self.editable_indicators
            },
            "instalments": {
                i.pk: {
                    n: data[edit_field("instalment", i.pk, n)] for n in EDITABLE_INSTALMENT_FIELDS
                }
                for i in self.editable_instalments
            },
        }
