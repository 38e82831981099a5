from django import forms

from equality_plans.importing import read_table
from equality_plans.models import ActionPlan, RagStatus
from sla_monitor.forms import AccessibleFormMixin
from sla_monitor.periods import financial_year_label, financial_years

YEAR_END = "year-end"


def period_choices(plan: ActionPlan) -> list[tuple[str, str]]:
    """Each quarter of the plan's financial years, and each year's end."""
    choices = []
    for year in financial_years(plan.start_date, plan.end_date):
        label = financial_year_label(year)
        choices += [(f"{year}-{q}", f"Q{q} {label}") for q in (1, 2, 3, 4)]
        choices.append((f"{year}-{YEAR_END}", f"Year-end report {label}"))
    return choices


class ProgressForm(AccessibleFormMixin, forms.Form):
    period = forms.ChoiceField(
        label="Quarter",
        error_messages={"required": "Choose the quarter, or the year-end report"},
    )
    rag_status = forms.ChoiceField(
        label="RAG status",
        choices=RagStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a RAG status"},
    )
    narrative = forms.CharField(
        label="Progress",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What was done this quarter, or over the year for the year-end report.",
        error_messages={"required": "Describe the progress made"},
    )

    def __init__(self, *args, plan: ActionPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [("", "Choose…"), *period_choices(plan)]

    @property
    def financial_year_and_quarter(self) -> tuple[int, int | None]:
        year, part = self.cleaned_data["period"].split("-", 1)
        return int(year), None if part == YEAR_END else int(part)


class ImportForm(AccessibleFormMixin, forms.Form):
    file = forms.FileField(
        label="Spreadsheet of actions",
        help_text=(
            "A CSV or Excel (.xlsx) file whose first row names the columns: Section, No, ES & CC, "
            "Action, Link to Statutory Returns, Key Strategies & Plans, Lead Responsibility & "
            "Timescales, Monitored By, Year End Report (and Year End RAG where a report is given)."
        ),
        error_messages={"required": "Choose a CSV or Excel file"},
    )

    MAX_BYTES = 5 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("The file is larger than 5 MB.")
        self.rows = read_table(upload.name, upload.read())
        return upload
