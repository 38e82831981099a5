"""Confirming the release or the withholding of an instalment."""

from django import forms

from grants.lifecycle import InstalmentStatus
from sla_monitor.forms import AccessibleFormMixin


class ReleaseForm(AccessibleFormMixin, forms.Form):
    """Confirms a release; carries the status the page showed, so a decision taken by someone
    else since is not overridden unseen."""

    status = forms.ChoiceField(
        choices=InstalmentStatus.choices,
        widget=forms.HiddenInput,
        error_messages={
            "required": "Reload the page and decide again.",
            "invalid_choice": "Reload the page and decide again.",
        },
    )
    reason = forms.CharField(
        label="Note for the record",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The provider is e-mailed that the payment was released, with this note.",
    )

    def __init__(self, *args, instalment, **kwargs):
        kwargs.setdefault("initial", {"status": instalment.status})
        super().__init__(*args, **kwargs)


class WithholdForm(ReleaseForm):
    reason = forms.CharField(
        label="Why is the instalment withheld?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The provider is e-mailed that the payment was withheld, with this reason.",
        error_messages={"required": "Enter why the instalment is withheld"},
    )
