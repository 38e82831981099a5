from django import forms

from equality_plans.models import ActionPlan, RagStatus
from sla_monitor.forms import AccessibleFormMixin

YEAR_END = "year-end"


def period_choices(plan: ActionPlan) -> list[tuple[str, str]]:
    """Each quarter of the plan's financial years, and each year's end."""
    first = plan.start_date.year if plan.start_date.month >= 4 else plan.start_date.year - 1
    last = plan.end_date.year if plan.end_date.month >= 4 else plan.end_date.year - 1
    choices = []
    for year in range(first, last + 1):
        label = f"{year}/{(year + 1) % 100:02d}"
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
        from equality_plans.importing import read_table

        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("The file is larger than 5 MB.")
        self.rows = read_table(upload.name, upload.read())
        return upload
