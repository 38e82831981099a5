"""The return's section "Added value and support in kind": the quarter's evidence of each
added-value statement, and what of each kind of the council's support in kind was used and its
value in pounds. Every answer is optional; what is given must be valid."""

from django import forms
from django.utils.translation import gettext_lazy as _

from grants.evidence import check_evidence_file
from grants.forms.returns import VersionedForm
from grants.models import InKindUse
from grants.selectors import SupportSection
from grants.services import InKindAnswer
from sla_monitor.forms import PlainDecimalField, largest

EVIDENCE_ACCEPT = ".pdf,.doc,.docx,.xls,.xlsx,.png,.jpg,.jpeg,.gif"


def _amount(model_field, *, label, help_text, invalid, negative, too_many_places):
    biggest = largest(model_field)
    return PlainDecimalField(
        label=label,
        required=False,
        min_value=0,
        max_value=biggest,
        max_digits=model_field.max_digits,
        decimal_places=model_field.decimal_places,
        help_text=help_text,
        localize=False,
        error_messages={
            "invalid": invalid,
            "min_value": negative,
            "max_value": _("Enter an amount no bigger than %(limit)s") % {"limit": f"{biggest:,}"},
            "max_digits": _("Enter an amount no bigger than %(limit)s") % {"limit": f"{biggest:,}"},
            "max_whole_digits": _("Enter an amount no bigger than %(limit)s")
            % {"limit": f"{biggest:,}"},
            "max_decimal_places": too_many_places,
        },
    )


class SupportAnswersForm(VersionedForm):
    def __init__(self, *args, section: SupportSection, **kwargs):
        super().__init__(*args, **kwargs)
        self.added_value_rows, self.in_kind_rows = [], []
        value_field = InKindUse._meta.get_field("value")
        quantity_field = InKindUse._meta.get_field("quantity")
        for row in section.added_value_rows:
            if row.statement is None:
                continue
            pk = row.statement.pk
            narrative, evidence = f"narrative_{pk}", f"evidence_{pk}"
            self.fields[narrative] = forms.CharField(
                label=_("What this quarter shows for added value %(numeral)s")
                % {"numeral": row.numeral},
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
            self.fields[evidence] = forms.FileField(
                label=_("Add an evidence file for added value %(numeral)s")
                % {"numeral": row.numeral},
                required=False,
                help_text=_("PDF, Word, Excel or an image (PNG, JPEG, GIF), up to 10 MB."),
            )
            self.fields[evidence].widget.attrs["accept"] = EVIDENCE_ACCEPT
            if not self.is_bound:
                self.initial[narrative] = row.answer.narrative
            self.added_value_rows.append((row, self[narrative], self[evidence]))
        for row in section.in_kind_rows:
            if row.contribution is None:
                continue
            pk = row.contribution.pk
            names = f"used_{pk}", f"quantity_{pk}", f"value_{pk}"
            self.fields[names[0]] = forms.CharField(
                label=_("What was used"),
                required=False,
                max_length=InKindUse._meta.get_field("used").max_length,
                help_text=_("For example, 12 desk days."),
                error_messages={
                    "max_length": _("Say what was used in %(limit_value)d characters or fewer")
                },
            )
            self.fields[names[1]] = _amount(
                quantity_field,
                label=_("How many"),
                help_text=_("A number, like 12."),
                invalid=_("Enter how many as a number, like 12"),
                negative=_("How many cannot be less than 0"),
                too_many_places=_("Give how many to at most 2 decimal places"),
            )
            self.fields[names[2]] = _amount(
                value_field,
                label=_("Its value in pounds"),
                help_text=_("What the support would have cost, like 240.00."),
                invalid=_("Enter the value in pounds as a number, like 240.00"),
                negative=_("The value cannot be negative"),
                too_many_places=_("Give the value to the penny, at most 2 decimal places"),
            )
            if not self.is_bound:
                answer = row.answer
                self.initial.update(
                    dict(zip(names, (answer.used, answer.quantity, answer.value), strict=True))
                )
            self.in_kind_rows.append((row, *(self[name] for name in names)))

    def clean(self):
        data = super().clean()
        for _row, used, quantity, value in self.in_kind_rows:
            given = data.get(quantity.name) is not None or data.get(value.name) is not None
            if given and not data.get(used.name, "").strip() and used.name not in self.errors:
                self.add_error(used.name, _("Say what was used, like 12 desk days"))
        for _row, _narrative, evidence in self.added_value_rows:
            upload = data.get(evidence.name)
            if upload:
                try:
                    check_evidence_file(upload)
                except forms.ValidationError as error:
                    self.add_error(evidence.name, error)
        return data

    @property
    def added_values(self) -> dict[int, str]:
        return {
            row.statement.pk: self.cleaned_data.get(narrative.name, "")
            for row, narrative, _ in self.added_value_rows
        }

    @property
    def evidence(self) -> dict[int, list]:
        return {
            row.statement.pk: [self.cleaned_data[evidence.name]]
            for row, _, evidence in self.added_value_rows
            if self.cleaned_data.get(evidence.name)
        }

    @property
    def in_kind(self) -> dict[int, InKindAnswer]:
        data = self.cleaned_data
        return {
            row.contribution.pk: InKindAnswer(
                used=data.get(used.name, ""),
                quantity=data.get(quantity.name),
                value=data.get(value.name),
            )
            for row, used, quantity, value in self.in_kind_rows
        }
