"""The workbook of agreements to import."""

from django import forms

from sla_monitor.forms import AccessibleFormMixin
from sla_monitor.tables import MAX_BYTES, read_book


class AgreementImportForm(AccessibleFormMixin, forms.Form):
    file = forms.FileField(
        label="Workbook of agreements",
        help_text=(
            "An Excel workbook (.xlsx) of up to 5 MB with a sheet for each kind, as the sample: "
            "Agreements (Reference, Title, Provider, Fund, Lead officer, Start date, End date, "
            "Total allocation…), Indicators (Agreement, Code, Indicator, Measure, Target, Target "
            "period, Amber tolerance) and Requirements (Agreement, Number, Requirement). A "
            "column left out is left as it is."
        ),
        error_messages={"required": "Choose an Excel workbook", "empty": "The file is empty."},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(f"The file is larger than {MAX_BYTES // 1024 // 1024} MB.")
        self.book = read_book(upload.name, upload.read())
        return upload
