"""Confirming the release or the withholding of an instalment, its finance sign-off, and the
council's payment runs and the columns of their files."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from grants.forms.budgets import money_field
from grants.lifecycle import InstalmentStatus
from grants.models import PaymentField, PaymentRunStatus
from sla_monitor.dates import DayMonthYearField
from sla_monitor.forms import AccessibleFormMixin
from sla_monitor.models import Organisation
from sla_monitor.text import visible


class ReleaseForm(AccessibleFormMixin, forms.Form):
    """Confirms a release; carries the status the page showed, so a decision taken by someone
    else since is not overridden unseen."""

    status = forms.ChoiceField(
        choices=InstalmentStatus.choices,
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Reload the page and decide again."),
            "invalid_choice": _("Reload the page and decide again."),
        },
    )
    reason = forms.CharField(
        label=_("Note for the record"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The provider is e-mailed that the payment was released, with this note."),
    )

    def __init__(self, *args, instalment, **kwargs):
        kwargs.setdefault("initial", {"status": instalment.status})
        super().__init__(*args, **kwargs)


class WithholdForm(ReleaseForm):
    reason = forms.CharField(
        label=_("Why is the instalment withheld?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The provider is e-mailed that the payment was withheld, with this reason."),
        error_messages={"required": _("Enter why the instalment is withheld")},
    )


class AuthoriseForm(ReleaseForm):
    reason = forms.CharField(
        label=_("Note for the record"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The lead officer is told that you authorised the payment, with this note."),
    )


class RejectForm(ReleaseForm):
    reason = forms.CharField(
        label=_("Why is the request rejected?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The lead officer is told, with this reason, and may release it again."),
        error_messages={"required": _("Enter why the request is rejected")},
    )


class RunForm(AccessibleFormMixin, forms.Form):
    """Carries the status of the run the page showed, so a step taken since is not overridden
    unseen."""

    status = forms.ChoiceField(
        choices=PaymentRunStatus.choices,
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Reload the page and try again."),
            "invalid_choice": _("Reload the page and try again."),
        },
    )

    def __init__(self, *args, run, **kwargs):
        kwargs.setdefault("initial", {"status": run.status})
        super().__init__(*args, **kwargs)


class RunPaidForm(RunForm):
    paid_on = DayMonthYearField(
        label=_("Date paid"),
        help_text=_("The day the finance system paid the run."),
        error_messages={"required": _("Enter the date the run was paid")},
    )


class RunReverseForm(RunForm):
    reason = forms.CharField(
        label=_("Why is the run reversed?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Its payments are freed for a new run. Nothing of a reversed run is paid."),
        error_messages={"required": _("Enter why the run is reversed")},
    )


class PaymentColumnsForm(AccessibleFormMixin, forms.Form):
    """The columns of the council's payment files: for each value a file may carry, its place
    (left empty, it is not in the file) and its heading."""

    def __init__(self, *args, columns: list[tuple[str, str]], **kwargs):
        chosen = {field: (place, heading) for place, (field, heading) in enumerate(columns, 1)}
        super().__init__(*args, **kwargs)
        for field in PaymentField:
            place, heading = chosen.get(field.value, (None, field.label))
            self.fields[f"{field.value}_position"] = forms.IntegerField(
                label=gettext_now("Place of %(value)s") % {"value": field.label.lower()},
                required=False,
                min_value=1,
                max_value=len(PaymentField),
                initial=place,
                help_text=_("1 for the first column. Leave empty to leave it out of the file."),
                error_messages={
                    "invalid": _("Enter the place as a whole number, such as 1"),
                    "min_value": _("Enter a place of 1 or more"),
                    "max_value": gettext_now("Enter a place of %(most)s or less")
                    % {"most": len(PaymentField)},
                },
            )
            self.fields[f"{field.value}_heading"] = forms.CharField(
                label=gettext_now("Heading of %(value)s") % {"value": field.label.lower()},
                max_length=60,
                required=False,
                initial=heading,
                error_messages={"max_length": _("Enter a heading of 60 characters or fewer")},
            )

    def rows(self):
        """Each value a file may carry, with its two fields, for the page's table."""
        return [
            (field, self[f"{field.value}_position"], self[f"{field.value}_heading"])
            for field in PaymentField
        ]

    def clean(self):
        cleaned = super().clean()
        columns, places = [], {}
        for field in PaymentField:
            place = cleaned.get(f"{field.value}_position")
            if place is None:
                continue
            heading = visible(cleaned.get(f"{field.value}_heading") or "")
            if not heading:
                self.add_error(
                    f"{field.value}_heading",
                    gettext_now("Enter a heading for %(value)s") % {"value": field.label.lower()},
                )
                continue
            if place in places:
                self.add_error(
                    f"{field.value}_position",
                    gettext_now("Place %(place)s is already %(value)s's: give each column its own")
                    % {"place": place, "value": places[place].lower()},
                )
                continue
            places[place] = field.label
            columns.append((place, field.value, heading))
        if not columns and not self.errors:
            raise ValidationError(_("Give at least one column a place"))
        cleaned["columns"] = [(field, heading) for _place, field, heading in sorted(columns)]
        return cleaned


class SignoffThresholdForm(AccessibleFormMixin, forms.Form):
    """The amount from which a council's releases need a finance officer's authorisation. Carries
    the amount the page showed, so a change made by someone else since is not overridden unseen."""

    threshold = money_field(
        _("Amount needing finance sign-off"),
        required=False,
        model_field=Organisation._meta.get_field("finance_signoff_threshold"),
    )
    shown = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, council: Organisation, **kwargs):
        current = council.finance_signoff_threshold
        kwargs.setdefault(
            "initial",
            {"threshold": current, "shown": "" if current is None else str(current)},
        )
        super().__init__(*args, **kwargs)
        self.fields["threshold"].help_text = _(
            "In pounds, like 5000. A release of this amount or more is paid only once a finance "
            "officer, never the person who released it, authorises it; a smaller one is paid on "
            "the lead officer's release. Leave it blank for every release to need finance "
            "sign-off."
        )
