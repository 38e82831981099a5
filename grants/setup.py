"""Setting up an agreement in the app, a few questions a page (django-formtools' wizard), in
place of the administration's hundred fields: the parties, period and money; what the provider
will do; the indicators; the payments and quarters that follow; check the answers; create.
*Copy an agreement* starts from an existing one."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MinValueValidator
from django.forms import BaseFormSet, formset_factory
from django.shortcuts import get_object_or_404, redirect
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from formtools.wizard.views import SessionWizardView

from grants import permissions, services
from grants.forms.agreements import welsh_lines
from grants.models import (
    Agreement,
    Direction,
    Fund,
    MeasureType,
    PerformanceIndicator,
    TargetPeriod,
)
from grants.services.agreements import period_after, planned_instalments, quarters_between
from grants.targets import year_targets
from sla_monitor.dates import DayMonthYearField
from sla_monitor.forms import AccessibleFormMixin, PlainDecimalField, add_welsh_fields, largest
from sla_monitor.models import Organisation, User
from sla_monitor.params import record_id

TOO_BIG = format_lazy(
    _("Enter a total allocation no bigger than £{most}"),
    most=lazy(number_format, str)(
        largest(Agreement._meta.get_field("total_allocation")), force_grouping=True
    ),
)


class DetailsForm(AccessibleFormMixin, forms.ModelForm):
    """The parties, the period and the money. The model's own rules check it: the lead officer
    works for the funder, the award fits the fund."""

    class Meta:
        model = Agreement
        fields = [
            "funder",
            "reference",
            "title",
            "provider",
            "fund",
            "lead_officer",
            "status",
            "start_date",
            "end_date",
            "total_allocation",
            "allocation_note",
            "award_date",
            "department",
            "purpose",
            "reporting_frequency",
            "requires_beneficiary_figures",
        ]
        labels = {
            "total_allocation": _("Total allocation (£)"),
            "purpose": _("What the grant is for"),
            "reporting_frequency": _("Reporting frequency"),
            "requires_beneficiary_figures": _(
                "Ask each quarterly return for the people worked with"
            ),
        }
        field_classes = {
            "start_date": DayMonthYearField,
            "end_date": DayMonthYearField,
            "award_date": DayMonthYearField,
        }
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "requires_beneficiary_figures": forms.CheckboxInput(
                attrs={"class": "form-check-input"}
            ),
        }
        error_messages = {
            "reference": {"unique": _("Another agreement already has this reference.")},
            "total_allocation": {
                "invalid": _("Enter the total allocation as a number, like 120000.00"),
                "min_value": _("The total allocation cannot be negative."),
                "max_digits": TOO_BIG,
                "max_whole_digits": TOO_BIG,
                "max_decimal_places": _(
                    "Enter the total allocation in pounds and pence, like 120000.00"
                ),
            },
        }

    def clean_reporting_frequency(self) -> str:
        return self.cleaned_data["reporting_frequency"] or Agreement.ReportingFrequency.QUARTERLY

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funder"].queryset = permissions.councils_setting_up_for(user)
        if user.organisation_id is not None:  # their own council: nothing to choose
            self.fields["funder"].initial = user.organisation_id
            self.fields["funder"].widget = forms.HiddenInput()
        funders = self.fields["funder"].queryset
        for name, empty_label in [
            ("funder", _("Choose a council")),
            ("provider", _("Choose a provider")),
            ("fund", _("No fund")),
            ("lead_officer", _("Choose a lead officer")),
        ]:
            self.fields[name].empty_label = empty_label
        self.fields["provider"].queryset = Organisation.objects.filter(
            kind=Organisation.Kind.PROVIDER
        )
        self.fields["fund"].queryset = Fund.objects.filter(council__in=funders)
        self.fields["lead_officer"].queryset = User.objects.lead_officers().filter(
            organisation__in=funders
        )
        # Not sent (a form of before it was asked): quarterly, as every agreement was.
        self.fields["reporting_frequency"].required = False
        self.fields["reporting_frequency"].help_text = _(
            "How often the provider sends a return. Six-monthly returns are made in Q2 and Q4, "
            "annual ones in Q4, each covering the quarters since the one before."
        )
        for name in ("start_date", "end_date", "total_allocation", "lead_officer"):
            self.fields[name].required = True
        self.fields["total_allocation"].validators.append(MinValueValidator(0))
        add_welsh_fields(self, {"title", "purpose"}, offered=offers_welsh(user))


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class TermsForm(AccessibleFormMixin, forms.Form):
    outcome = forms.CharField(
        label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2})
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
    in_kind = forms.CharField(
        label=_("In-kind support from the council"),
        help_text=_("One a line."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    added_values = forms.CharField(
        label=_("Added value statements"),
        help_text=_("One a line."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    payment_terms = forms.CharField(
        label=_("Payment terms"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, welsh: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.welsh = welsh
        add_welsh_fields(
            self, {"outcome", "payment_terms", "objectives", "requirements"}, offered=welsh
        )


def offers_welsh(user) -> bool:
    """Whether the person sets up agreements for a council that offers Welsh; one who sets them
    up for any council (a superuser) writes English, and Welsh afterwards on the edit page."""
    organisation = user.organisation
    return bool(organisation and organisation.welsh_offer)


class IndicatorForm(AccessibleFormMixin, forms.Form):
    code = forms.CharField(label=_("Code"), max_length=10, required=False)
    wording = forms.CharField(
        label=_("Indicator"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    measure_type = forms.ChoiceField(
        label=_("Measure"),
        choices=[("", _("Choose a measure")), *MeasureType.choices],
        required=False,
    )
    target = PlainDecimalField(
        label=_("Target"),
        max_digits=10,
        decimal_places=2,
        min_value=0,
        max_value=largest(PerformanceIndicator._meta.get_field("target")),
        required=False,
        error_messages={
            "max_value": _("Enter a target no bigger than 99,999,999.99"),
            "max_digits": _("Enter a target no bigger than 99,999,999.99"),
        },
    )
    target_period = forms.ChoiceField(
        label=_("Target is"), choices=TargetPeriod.choices, initial=TargetPeriod.NONE
    )
    unit = forms.CharField(
        label=_("What it counts"),
        max_length=40,
        required=False,
        help_text=_("For a count, as it reads after the target: events, groups."),
    )
    amber_tolerance = PlainDecimalField(
        label=_("Amber within (%)"),
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        initial=10,
    )
    direction = forms.ChoiceField(
        label=_("Direction"), choices=Direction.choices, initial=Direction.HIGHER, required=False
    )
    upper_bound = PlainDecimalField(
        label=_("Upper bound"),
        max_digits=10,
        decimal_places=2,
        min_value=0,
        max_value=largest(PerformanceIndicator._meta.get_field("upper_bound")),
        required=False,
        help_text=_("For a range only: the highest figure on target."),
    )
    targets_by_year = forms.CharField(
        label=_("Targets by year"),
        required=False,
        help_text=_("Optional, where a year's target differs: 2025/26: 3; 2026/27: 4"),
    )
    quarterly_profile = forms.CharField(
        label=_("Quarterly profile"),
        required=False,
        help_text=_("Optional, a year's target by quarter: 2025/26: 1, 2, 0, 1"),
    )

    # Needed once the row's indicator is written (a target for a count or a percentage), so
    # not marked optional; the page says a row can be left empty.
    conditionally_required = ("code", "wording", "measure_type", "target")

    def clean_direction(self) -> str:
        return self.cleaned_data.get("direction") or Direction.HIGHER

    def has_changed(self) -> bool:
        # A row is kept once something is written in it, whether typed or copied from another
        # agreement (its initial value): an unchanged copied row is not an empty one.
        return any(
            self[name].data for name in ("code", "wording", "target", "unit", *TARGET_TEXT_FIELDS)
        )

    def clean(self):
        data = super().clean()
        if not data.get("wording"):
            return data  # an empty row: left out
        if not data.get("code"):
            self.add_error("code", gettext("Give the indicator a code, like a"))
        if not data.get("measure_type"):
            self.add_error("measure_type", gettext("Choose the measure"))
        if self.errors:
            return data
        indicator = PerformanceIndicator(**{k: data[k] for k in INDICATOR_FIELDS})
        try:
            # Its constraints too (a percentage's target), here rather than on creating it.
            indicator.full_clean(exclude=["agreement", "order"], validate_unique=False)
        except ValidationError as error:
            self.add_error(None, error)
            return data
        rows, errors = year_targets(
            indicator, data.get("targets_by_year", ""), data.get("quarterly_profile", "")
        )
        for error in errors:
            field = "quarterly_profile" if data.get("quarterly_profile") else "targets_by_year"
            self.add_error(field, error)
        data["targets"] = [
            {
                "financial_year": row.financial_year,
                "target": row.target,
                **{q: getattr(row, q) for q in ("q1", "q2", "q3", "q4")},
            }
            for row in rows
        ]
        return data


INDICATOR_FIELDS = [
    "code",
    "wording",
    "measure_type",
    "target",
    "target_period",
    "unit",
    "amber_tolerance",
    "direction",
    "upper_bound",
]
# Typed as text, read into the indicator's targets by year (`grants.targets`).
TARGET_TEXT_FIELDS = ["targets_by_year", "quarterly_profile"]


MOST_INDICATORS = 30
FIRST_ROWS = 3


class BaseIndicatorFormSet(BaseFormSet):
    """A few rows to start with, as many as were posted after, and another on asking
    (`with_another_row`). Any row may be left empty, a copied one too: none is an initial form
    that must be filled in."""

    default_error_messages = {
        "too_many_forms": _("An agreement can be set up with up to %(num)d indicators."),
    }

    def initial_form_count(self) -> int:
        return 0

    def total_form_count(self) -> int:
        if self.is_bound:
            return super().total_form_count()
        return min(len(self.initial or []) + self.extra, self.max_num)

    def with_another_row(self) -> "BaseIndicatorFormSet":
        """The rows as typed, unchecked, and an empty one after them."""
        typed = [
            {name: form[name].data for name in [*INDICATOR_FIELDS, *TARGET_TEXT_FIELDS]}
            for form in self.forms
        ]
        another = type(self)(prefix=self.prefix, initial=typed)
        another.extra = 1
        return another

    @property
    def is_full(self) -> bool:
        return self.total_form_count() >= self.max_num

    def clean(self):
        super().clean()
        codes = [f.cleaned_data.get("code") for f in self.forms if f.cleaned_data.get("wording")]
        repeated = {c for c in codes if codes.count(c) > 1}
        if repeated:
            raise ValidationError(
                gettext("Two indicators have the code %(repeated)s.")
                % {"repeated": ", ".join(sorted(repeated))}
            )

    @property
    def indicators(self) -> list[dict]:
        return [
            {k: f.cleaned_data[k] for k in INDICATOR_FIELDS}
            | {"targets": f.cleaned_data.get("targets", [])}
            for f in self.forms
            if f.cleaned_data.get("wording")
        ]


IndicatorFormSet = formset_factory(
    IndicatorForm,
    formset=BaseIndicatorFormSet,
    extra=FIRST_ROWS,
    max_num=MOST_INDICATORS,
    validate_max=True,
)
ADD_INDICATOR = "add_indicator"


class ConfirmForm(forms.Form):
    """A page with nothing to fill in: the schedule to review, or the answers to check."""


STEPS = [
    ("details", DetailsForm, _("The agreement")),
    ("terms", TermsForm, _("What the provider will do")),
    ("indicators", IndicatorFormSet, _("Performance indicators")),
    ("schedule", ConfirmForm, _("Payments and reporting quarters")),
    ("check", ConfirmForm, _("Check your answers")),
]
TITLES = {name: title for name, _form, title in STEPS}


class AgreementSetUp(SessionWizardView):
    form_list = [(name, form) for name, form, _ in STEPS]
    template_name = "grants/setup.html"

    def dispatch(self, request, *args, **kwargs):
        if not permissions.sets_up_agreements(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        copied = record_id(request.GET.get("copy", ""))
        if copied is not None:
            source = get_object_or_404(permissions.visible_agreements(request.user), pk=copied)
            self.storage.extra_data = {"copy": source.pk}
            response = self.render(self.get_form())
        return response

    def post(self, *args, **kwargs):
        if ADD_INDICATOR in self.request.POST and self.steps.current == "indicators":
            typed = self.get_form(data=self.request.POST)
            return self.render(typed.with_another_row())
        return super().post(*args, **kwargs)

    def _source(self) -> Agreement | None:
        copied = (self.storage.extra_data or {}).get("copy")
        if not copied:
            return None
        return permissions.visible_agreements(self.request.user).filter(pk=copied).first()

    def get_form_kwargs(self, step=None):
        if step == "details":
            return {"user": self.request.user}
        if step == "terms":
            return {"welsh": offers_welsh(self.request.user)}
        return {}

    def get_form_initial(self, step):
        source = self._source()
        if source is None:
            return super().get_form_initial(step)
        return copied_answers(source)[step]

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        context["title"] = TITLES[self.steps.current]
        context["copied_from"] = self._source()
        if self.steps.current in ("schedule", "check"):
            details = self.get_cleaned_data_for_step("details") or {}
            context["schedule"] = _schedule(details)
            context["status_label"] = Agreement.Status(details["status"]).label if details else ""
            context["frequency_label"] = Agreement.ReportingFrequency(
                details.get("reporting_frequency") or Agreement.ReportingFrequency.QUARTERLY
            ).label
            context["answers"] = {
                name: self.get_cleaned_data_for_step(name) for name, _, _ in STEPS[:3]
            }
            context["indicators"] = [
                PerformanceIndicator(**{k: row[k] for k in INDICATOR_FIELDS})
                for row in (context["answers"]["indicators"] or [])
                if row.get("wording")
            ]
        return context

    def done(self, form_list, form_dict, **kwargs):
        details = dict(form_dict["details"].cleaned_data)
        terms = form_dict["terms"].cleaned_data
        welsh = {}
        if form_dict["terms"].welsh:
            details["outcome_cy"] = terms["outcome_cy"]
            details["payment_terms_cy"] = terms["payment_terms_cy"]
            welsh = {
                "objectives_cy": welsh_lines(terms["objectives_cy"], terms["objectives"]),
                "requirements_cy": welsh_lines(terms["requirements_cy"], terms["requirements"]),
            }
        try:
            agreement = services.create_agreement(
                by=self.request.user,
                details=details,
                outcome=terms["outcome"],
                payment_terms=terms["payment_terms"],
                objectives=_lines(terms["objectives"]),
                requirements=_lines(terms["requirements"]),
                in_kind=_lines(terms["in_kind"]),
                added_values=_lines(terms["added_values"]),
                indicators=form_dict["indicators"].indicators,
                **welsh,
            )
        except ValidationError as error:
            messages.error(self.request, " ".join(error.messages))
            return redirect("grants:set_up_agreement")
        count = agreement.instalments.count()
        messages.success(
            self.request,
            ngettext(
                "%(reference)s was set up with %(count)s instalment and its reporting quarters.",
                "%(reference)s was set up with %(count)s instalments and its reporting quarters.",
                count,
            )
            % {"reference": agreement.reference, "count": count},
        )
        return redirect("grants:agreement_detail", pk=agreement.pk)


def _schedule(details: dict) -> dict:
    start, end, total = (details.get(k) for k in ("start_date", "end_date", "total_allocation"))
    frequency = details.get("reporting_frequency") or Agreement.ReportingFrequency.QUARTERLY
    if not (start and end and total is not None):
        return {"instalments": [], "quarters": []}
    return {
        "instalments": planned_instalments(start=start, end=end, total=total, frequency=frequency),
        "quarters": quarters_between(start, end, frequency),
    }


def copied_answers(source: Agreement) -> dict:
    """What a copy of the agreement starts from: the same parties and terms, for the period
    that follows it, under a reference to change."""
    start, end = period_after(source.start_date, source.end_date)
    return {
        "details": {
            "funder": source.funder_id,
            "reference": f"{source.reference}-COPY",
            "title": source.title_en_gb,
            "title_cy": source.title_cy,
            "provider": source.provider_id,
            "fund": source.fund_id,
            "lead_officer": source.lead_officer_id,
            "status": Agreement.Status.DRAFT,
            "start_date": start,
            "end_date": end,
            "total_allocation": source.total_allocation,
            "allocation_note": source.allocation_note,
            "department": source.department,
            "purpose": source.purpose_en_gb,
            "purpose_cy": source.purpose_cy,
            "reporting_frequency": source.reporting_frequency,
            "requires_beneficiary_figures": source.requires_beneficiary_figures,
        },
        "terms": {
            "outcome": source.outcome_en_gb,
            "outcome_cy": source.outcome_cy,
            "payment_terms": source.payment_terms_en_gb,
            "payment_terms_cy": source.payment_terms_cy,
            "objectives": "\n".join(o.text_en_gb or "" for o in source.objectives.all()),
            "objectives_cy": "\n".join(o.text_cy or "" for o in source.objectives.all()),
            "requirements": "\n".join(r.text_en_gb or "" for r in source.requirements.all()),
            "requirements_cy": "\n".join(r.text_cy or "" for r in source.requirements.all()),
            "in_kind": "\n".join(c.description for c in source.in_kind_contributions.all()),
            "added_values": "\n".join(v.text for v in source.added_values.all()),
        },
        "indicators": [
            {name: getattr(i, name) for name in INDICATOR_FIELDS} for i in source.indicators.all()
        ],
        "schedule": {},
        "check": {},
    }
