"""The workbook of agreements to import."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sla_monitor.forms import AccessibleFormMixin
from sla_monitor.tables import MAX_BYTES, read_book


class AgreementImportForm(AccessibleFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Workbook of agreements"),
        help_text=(
            _(
                "An Excel workbook (.xlsx) of up to 5 MB with a sheet for each kind, as the "
                "sample: Agreements (Reference, Title, Provider, Fund, Lead officer, Start date, "
                "End date, Total allocation…), Indicators (Agreement, Code, Indicator, Measure, "
                "Target, Target period, Amber tolerance) and Requirements (Agreement, Number, "
                "Requirement). A column left out is left as it is."
            )
        ),
        error_messages={
            "required": _("Choose an Excel workbook"),
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
        self.book = read_book(upload.name, upload.read())
        return upload
