from django import forms

from equality_plans import importing
from equality_plans.models import ActionPlan, RagStatus
from sla_monitor.forms import AccessibleFormMixin
from sla_monitor.periods import financial_year_label, financial_years
from sla_monitor.tables import MAX_BYTES, read_table

YEAR_END = "year-end"


def period_choices(plan: ActionPlan) -> list[tuple[str, str]]:
    """Each quarter of the plan's financial years, and each year's end."""
    choices = []
    for year in financial_years(plan.start_date, plan.end_date):
        label = financial_year_label(year)
        choices += [(f"{year}-{q}", f"Q{q} {label}") for q in (1, 2, 3, 4)]
        choices.append((f"{year}-{YEAR_END}", f"Year-end report {label}"))
    return choices


class ProgressCorrectionForm(AccessibleFormMixin, forms.Form):
    """What an update's author may correct: its RAG status and its wording."""

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


class ProgressForm(ProgressCorrectionForm):
    period = forms.ChoiceField(
        label="Quarter",
        error_messages={"required": "Choose the quarter, or the year-end report"},
    )
    field_order = ["period", "rag_status", "narrative"]

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
            "A CSV or Excel (.xlsx) file of up to 5 MB whose first row names the columns, as the "
            "sample or the plan's own export does: No, Section, ES & CC, Action, and any of Link "
            "to Statutory Returns, Key Strategies & Plans, Lead Responsibility & Timescales (or "
            "Lead Responsibility and Timescale), Due date, Monitored By, Partner authorities, "
            "Year End Report and Year End RAG. A column left out is left as it is."
        ),
        error_messages={"required": "Choose a CSV or Excel file", "empty": "The file is empty."},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(f"The file is larger than {MAX_BYTES // 1024 // 1024} MB.")
        self.table = read_table(upload.name, upload.read(), known_headers=importing.KNOWN_HEADERS)
        return upload
