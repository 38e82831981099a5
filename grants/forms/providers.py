"""Adding a provider organisation: what a lead officer knows of it. Its numbers and postcode
are checked by the service (`grants.services.add_provider`), as their registers write them."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from grants import permissions
from grants.services.providers import DUPLICATE, Duplicate
from sla_monitor.forms import AccessibleFormMixin
from sla_monitor.models import Organisation


class ProviderForm(AccessibleFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("As the organisation writes it, such as on its register entry."),
        error_messages={"required": _("Enter the organisation's name.")},
    )
    organisation_type = forms.ChoiceField(
        label=_("Type of organisation"),
        choices=Organisation.Type.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the type of organisation.")},
    )
    address = forms.CharField(
        label=_("Address"),
        help_text=_("Without the postcode, which has its own box."),
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
        error_messages={"required": _("Enter the organisation's address.")},
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
        error_messages={"required": _("Enter the postcode.")},
    )
    charity_number = forms.CharField(
        label=_("Charity number (if it has one)"),
        max_length=20,
        required=False,
        help_text=_(
            "6 or 7 digits in England and Wales, SC and 6 digits in Scotland, NIC and 6 digits "
            "in Northern Ireland."
        ),
    )
    charity_register = forms.ChoiceField(
        label=_("Register of charities"),
        choices=Organisation.CharityRegister.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text=_(
            "Needed for a 6-digit number, which both England and Wales and Northern Ireland "
            "give; an SC or NIC number names its register."
        ),
    )
    company_number = forms.CharField(
        label=_("Company number (if it has one)"),
        max_length=20,
        required=False,
        help_text=_("8 characters, as Companies House writes it, such as 01234567 or SC123456."),
    )
    contact_email = forms.EmailField(
        label=_("Contact e-mail address (optional)"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Enter an e-mail address like name@example.org.")},
    )

    def add_service_error(self, error: ValidationError, *, user) -> None:
        """The service's refusal beside the field it is about. An organisation already listed
        is named, and linked to where the person may open its page (`grants.permissions`)."""
        duplicate = getattr(error, "duplicate", None)
        if duplicate is not None:
            self.add_error(duplicate.field, duplicate_message(duplicate, user=user))
        elif hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        else:
            self.add_error(None, error)


def duplicate_message(duplicate: Duplicate, *, user) -> str:
    existing = duplicate.existing
    if permissions.visible_providers(user).filter(pk=existing.pk).exists():
        name = format_html(
            '<a href="{}">{}</a>',
            reverse("grants:provider_detail", args=[existing.pk]),
            existing.name,
        )
    else:
        name = existing.name
    return format_html(str(DUPLICATE[duplicate.reason]), name=name)
