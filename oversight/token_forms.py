"""Making an API token: its name, what it may read and when it expires."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sla_monitor import api_tokens
from sla_monitor.dates import DayMonthYearField
from sla_monitor.forms import AccessibleFormMixin
from sla_monitor.models import ApiScope, ApiToken
from sla_monitor.once import OnceField

# A new token lives this long unless its maker chooses otherwise.
DEFAULT_LIFE = dt.timedelta(days=90)


class ApiTokenForm(AccessibleFormMixin, forms.Form):
    """Only reads what was sent: whether the token may be made as asked is the service's to
    judge, and its refusals go beside the field they name (`add_service_error`)."""

    name = forms.CharField(
        label=_("Name"),
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text=_("Say what uses the token, for example “Power BI grants report”."),
        error_messages={
            "required": _("Give the token a name that says what uses it."),
            "max_length": _("Give the token a name of %(limit_value)d characters or fewer."),
        },
    )
    scopes = forms.MultipleChoiceField(
        label=_("What the token may read"),
        widget=forms.CheckboxSelectMultiple,
        choices=(),
        error_messages={
            "required": _("Choose what the token may read."),
            "invalid_choice": _("Choose among what your organisation's tokens may read."),
        },
    )
    expires_on = DayMonthYearField(
        label=_("Expires on"),
        hint=_("A year from today at most. For example, 31 3 2027."),
        error_messages={
            "required": _("Enter the date the token expires."),
            "incomplete": _("The date the token expires must include a %(missing)s"),
            "invalid": _("The date the token expires must be a real date"),
        },
    )
    once = OnceField()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "off"
        labels = dict(ApiScope.choices)
        self.fields["scopes"].choices = [
            (scope, labels[scope]) for scope in api_tokens.scopes_for(user)
        ]
        self.fields["expires_on"].initial = timezone.localdate() + DEFAULT_LIFE

    def add_service_error(self, error: ValidationError) -> None:
        """The service's refusal beside the field it names, or above the form."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, errors in error.error_dict.items():
            self.add_error(name if name in self.fields else None, errors)
