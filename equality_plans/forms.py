from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from equality_plans import importing
from equality_plans.models import ActionPlan, PopulationProfile, RagStatus
from equality_plans.services import population_errors
from sla_monitor import equality
from sla_monitor.forms import AccessibleFormMixin, PlainDecimalField
from sla_monitor.periods import financial_year_label, financial_years
from sla_monitor.tables import MAX_BYTES, read_table

YEAR_END = "year-end"


def period_choices(plan: ActionPlan) -> list[tuple[str, str]]:
    """Each quarter of the plan's financial years, and each year's end."""
    choices = []
    for year in financial_years(plan.start_date, plan.end_date):
        label = financial_year_label(year)
        choices += [
            (f"{year}-{q}", gettext("Q%(quarter)s %(year)s") % {"quarter": q, "year": label})
            for q in (1, 2, 3, 4)
        ]
        choices.append(
            (f"{year}-{YEAR_END}", gettext("Year-end report %(year)s") % {"year": label})
        )
    return choices


class ProgressCorrectionForm(AccessibleFormMixin, forms.Form):
    """What an update's author may correct: its RAG status and its wording."""

    rag_status = forms.ChoiceField(
        label=_("RAG status"),
        choices=RagStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a RAG status")},
    )
    narrative = forms.CharField(
        label=_("Progress"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What was done this quarter, or over the year for the year-end report."),
        error_messages={"required": _("Describe the progress made")},
    )


class ProgressForm(ProgressCorrectionForm):
    period = forms.ChoiceField(
        label=_("Quarter"),
        error_messages={"required": _("Choose the quarter, or the year-end report")},
    )
    field_order = ["period", "rag_status", "narrative"]

    def __init__(self, *args, plan: ActionPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [("", gettext("Choose…")), *period_choices(plan)]

    @property
    def financial_year_and_quarter(self) -> tuple[int, int | None]:
        year, part = self.cleaned_data["period"].split("-", 1)
        return int(year), None if part == YEAR_END else int(part)


class ImportForm(AccessibleFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet of actions"),
        help_text=_(
            "A CSV or Excel (.xlsx) file of up to 5 MB whose first row names the columns, as the "
            "sample or the plan's own export does: No, Section, ES & CC, Action, and any of Link "
            "to Statutory Returns, Key Strategies & Plans, Lead Responsibility & Timescales (or "
            "Lead Responsibility and Timescale), Due date, Monitored By, Partner authorities, "
            "Outcome, Year End Report and Year End RAG. A column left out is left as it is."
        ),
        error_messages={
            "required": _("Choose a CSV or Excel file"),
            "empty": _("The file is empty."),
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                gettext("The file is larger than %(megabytes)s MB.")
                % {"megabytes": MAX_BYTES // 1024 // 1024}
            )
        self.table = read_table(upload.name, upload.read(), known_headers=importing.known_headers())
        return upload


class PopulationProfileForm(AccessibleFormMixin, forms.Form):
    """The area's population: where the figures come from, and a share for each category or
    group the figures give, checked a characteristic at a time."""

    area = forms.CharField(
        label=_("Area"),
        max_length=200,
        help_text=_("The area the figures describe, such as “Kettering Borough”."),
        error_messages={"required": _("Enter the area the figures describe")},
    )
    source = forms.CharField(
        label=_("Source of the figures"),
        max_length=500,
        help_text=_(
            "Where the figures come from, such as “2021 Census, Office for National Statistics”."
        ),
        error_messages={"required": _("Enter where the figures come from")},
    )
    year = forms.IntegerField(
        label=_("Year the figures describe"),
        min_value=1801,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "input-year"}),
        error_messages={
            "required": _("Enter the year the figures describe"),
            "invalid": _("The year must be a whole number, like 2021"),
            "min_value": _("The year must be 1801 or later"),
        },
    )
    under_reach_tolerance = PlainDecimalField(
        label=_("Under-reach tolerance, in percentage points"),
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=4,
        decimal_places=1,
        help_text=_(
            "A group whose share of the people reached is lower than its share of the "
            "population by more than this is marked as under-reached."
        ),
        error_messages={
            "required": _("Enter the under-reach tolerance"),
            "invalid": _("The tolerance must be a number, like 5"),
            "min_value": _("The tolerance must be 0 or more"),
            "max_value": _("The tolerance must be 100 or less"),
            "max_decimal_places": _("The tolerance has at most one decimal place"),
            "max_digits": _("The tolerance must be 100 or less"),
            "max_whole_digits": _("The tolerance must be 100 or less"),
        },
    )
    notes = forms.CharField(
        label=_("What the figures leave out, and why"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown beside the figures, so readers know what is not compared."),
    )

    def __init__(self, *args, profile: PopulationProfile | None, shares: dict, **kwargs):
        initial = {"under_reach_tolerance": Decimal("5.0")}
        if profile is not None:
            initial = {
                "area": profile.area,
                "source": profile.source,
                "year": profile.year,
                "under_reach_tolerance": profile.under_reach_tolerance,
                "notes": profile.notes,
            }
        for code, given in shares.items():
            for category, share in given.items():
                initial[share_field(code, category)] = share.normalize()
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["year"].validators.append(_not_after_this_year)
        self.share_fields: dict[str, tuple[str, str]] = {}
        for characteristic in equality.CHARACTERISTICS:
            for code in characteristic.comparable:
                name = share_field(characteristic.code, code)
                label = characteristic.label(code)
                is_group = code not in characteristic.codes
                self.fields[name] = PlainDecimalField(
                    label=gettext("Group: %(group)s") % {"group": label} if is_group else label,
                    required=False,
                    min_value=Decimal(0),
                    max_value=Decimal(100),
                    max_digits=5,
                    decimal_places=2,
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "input-share"}),
                    error_messages=_share_errors(characteristic.name, label),
                )
                self.share_fields[name] = (characteristic.code, code)
        self.characteristic_errors: dict[str, list[str]] = {}

    def clean(self):
        cleaned = super().clean()
        self.characteristic_errors = population_errors(self.shares)
        if self.characteristic_errors:
            raise forms.ValidationError(
                [e for errors in self.characteristic_errors.values() for e in errors]
            )
        return cleaned

    @property
    def shares(self) -> dict[str, dict[str, Decimal]]:
        """The shares given, by characteristic; those with an error of their own left out."""
        shares: dict[str, dict[str, Decimal]] = {}
        for name, (characteristic, code) in self.share_fields.items():
            value = self.cleaned_data.get(name)
            if value is not None:
                shares.setdefault(characteristic, {})[code] = value
        return shares

    def characteristics(self):
        """Each characteristic with its share inputs, its own errors, and whether any is given,
        for the template."""
        for characteristic in equality.CHARACTERISTICS:
            fields = [self[share_field(characteristic.code, c)] for c in characteristic.comparable]
            errors = self.characteristic_errors.get(characteristic.code, [])
            given = any(f.value() not in (None, "") for f in fields)
            has_errors = bool(errors) or any(f.errors for f in fields)
            yield characteristic, fields, errors, given or has_errors

    def error_list(self) -> list[tuple[str, str]]:
        """Every error with the id of the input it is about ("" for the form as a whole), for
        the error summary: a characteristic's shares that don't add up point at its first."""
        grouped = {e for errors in self.characteristic_errors.values() for e in errors}
        items = [(e, "") for e in self.non_field_errors() if e not in grouped]
        for name in ["area", "source", "year", "under_reach_tolerance", "notes"]:
            items += [(e, self[name].auto_id) for e in self[name].errors]
        for _characteristic, fields, errors, _open in self.characteristics():
            items += [(e, f.auto_id) for f in fields for e in f.errors]
            items += [(e, fields[0].auto_id) for e in errors]
        return items


def share_field(characteristic: str, code: str) -> str:
    return f"share-{characteristic}-{code}"


def _not_after_this_year(value: int) -> None:
    if value > timezone.localdate().year:
        raise forms.ValidationError(gettext("The year must be this year or earlier"))


def _share_errors(characteristic: str, label: str) -> dict[str, str]:
    """What is wrong with one share, each a whole sentence naming the share."""
    named = {"characteristic": characteristic, "label": label}
    at_most_100 = gettext("%(characteristic)s, %(label)s: the share must be 100 or less") % named
    return {
        "invalid": gettext("%(characteristic)s, %(label)s: the share must be a number, like 7.6")
        % named,
        "min_value": gettext("%(characteristic)s, %(label)s: the share must be 0 or more") % named,
        "max_value": at_most_100,
        "max_decimal_places": gettext(
            "%(characteristic)s, %(label)s: give the share to at most two decimal places"
        )
        % named,
        "max_digits": at_most_100,
        "max_whole_digits": at_most_100,
    }
