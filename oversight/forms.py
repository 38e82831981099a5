from django import forms
from django.utils.translation import gettext_lazy as _

from oversight import permissions, search, services
from sla_monitor.dates import DayMonthYearField
from sla_monitor.forms import AccessibleFormMixin
from sla_monitor.models import (
    Invitation,
    Organisation,
    User,
    normalise_email,
    validate_plain_email,
)


class AuditDatesForm(AccessibleFormMixin, forms.Form):
    """The audit log's date filters; its other filters are lists that ignore a value not
    offered."""

    since = DayMonthYearField(
        label=_("Since"),
        required=False,
        error_messages={
            "incomplete": _("The date to show changes since must include a %(missing)s"),
            "invalid": _("The date to show changes since must be a real date"),
        },
    )
    until = DayMonthYearField(
        label=_("Until"),
        required=False,
        error_messages={
            "incomplete": _("The date to show changes until must include a %(missing)s"),
            "invalid": _("The date to show changes until must be a real date"),
        },
    )

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error(
                "until",
                _("The date to show changes until must be the same as or after the since date"),
            )
        return cleaned


class SearchForm(AccessibleFormMixin, forms.Form):
    """What to search for: any text up to `search.LONGEST_QUERY` characters, read as words."""

    q = forms.CharField(
        label=_("Search for"),
        required=False,
        max_length=search.LONGEST_QUERY,
        widget=forms.SearchInput,
        help_text=_(
            "An agreement's reference or title, a provider, a plan, an action or a person's name."
        ),
        error_messages={
            "max_length": _("Search for %(limit_value)d characters or fewer"),
            "null_characters_not_allowed": _("Search for letters, numbers and punctuation only"),
        },
    )


class InviteForm(AccessibleFormMixin, forms.Form):
    """Who to invite, into which organisation, with which role: only what the inviter may give."""

    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        error_messages={"required": _("Enter their first name")},
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        error_messages={"required": _("Enter their last name")},
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("The invitation goes to this address; it becomes how they sign in."),
        error_messages={
            "required": _("Enter their e-mail address"),
            "invalid": _("Enter an e-mail address in the right format, like name@example.org"),
        },
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=None,
        empty_label=_("Choose an organisation"),
        error_messages={
            "required": _("Choose the organisation they work for"),
            "invalid_choice": _("Choose one of the organisations offered"),
        },
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=(),
        help_text=_(
            "A provider's people are providers or its administrators; council staff hold one of "
            "the council roles."
        ),
        error_messages={
            "required": _("Choose their role"),
            "invalid_choice": _("Choose one of the roles offered"),
        },
    )

    def __init__(self, *args, inviter, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.inviter = inviter
        self.fields["first_name"].widget.attrs["autocomplete"] = "off"
        self.fields["last_name"].widget.attrs["autocomplete"] = "off"
        self.fields["email"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        self.fields["organisation"].queryset = permissions.invitable_organisations(inviter)
        if organisation is not None:
            self.fields["organisation"].initial = organisation.pk
        offered = permissions.roles_offered(inviter)
        if len(offered) > 1:
            choices = [(role, role.label) for role in offered]
            self.fields["role"].choices = [("", _("Choose a role")), *choices]
        else:
            del self.fields["role"]

    def clean_email(self):
        validate_plain_email(self.cleaned_data["email"])
        email = normalise_email(self.cleaned_data["email"])
        if services.account_exists(email):
            raise forms.ValidationError(services.ALREADY_HAS_ACCOUNT)
        if Invitation.objects.open().filter(email__iexact=email).exists():
            raise forms.ValidationError(services.ALREADY_INVITED)
        return email

    def clean(self):
        cleaned = super().clean()
        organisation = cleaned.get("organisation")
        role = cleaned.get("role", User.Role.PROVIDER)
        if (
            organisation is not None
            and role
            and role not in permissions.roles_for(self.inviter, organisation)
        ):
            field = "role" if "role" in self.fields else "organisation"
            message = (
                _(
                    "Someone who works for a provider has the Provider role, or Provider "
                    "administrator, which the provider's administrators give"
                )
                if organisation.kind == Organisation.Kind.PROVIDER
                else _(
                    "Council staff hold a council role: lead officer, action owner, plan "
                    "manager, finance officer, senior officer or administrator"
                )
            )
            self.add_error(field, message)
        cleaned["role"] = role
        return cleaned


class RoleForm(AccessibleFormMixin, forms.Form):
    role = forms.ChoiceField(
        label=_("Role"),
        choices=(),
        error_messages={"invalid_choice": _("Choose one of the roles offered")},
    )

    def __init__(self, *args, by, person, **kwargs):
        super().__init__(*args, **kwargs)
        offered = permissions.roles_for(by, person.organisation)
        self.fields["role"].choices = [(r.value, r.label) for r in offered]
        self.fields["role"].initial = person.role
