from decimal import Decimal

from allauth.account import forms as allauth_forms
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.models import Authenticator
from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join

from sla_monitor.accounts import keep_code_used


def style_field(form, name: str) -> None:
    """Bootstrap's class on a field's input, marked invalid when the field has an error."""
    widget = form.fields[name].widget
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select"
    elif isinstance(widget, forms.HiddenInput | forms.CheckboxInput):
        css = ""
    else:
        css = "form-control"
    if css and form._errors is not None and name in form._errors:
        css += " is-invalid"
    if css:
        widget.attrs["class"] = css


class AccessibleFormMixin:
    """Bootstrap classes on every input, and each invalid one marked as such.

    Django itself adds `aria-invalid` and points `aria-describedby` at the `<id>_helptext` and
    `<id>_error` elements that the template pack's field, templates/govuk/field.html, renders.
    """

    def __getitem__(self, name):
        # Styled when rendered, so fields a subclass adds in __init__ are styled too.
        style_field(self, name)
        return super().__getitem__(name)


class LoginForm(allauth_forms.LoginForm):
    """Sign-in by username or e-mail address, worded as the rest of the app."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "Username or e-mail address"
        self.fields["login"].widget.attrs["autocomplete"] = "username"
        # The page links to the password reset itself, outside the field's description.
        self.fields["password"].help_text = ""


class CodeUsedOnce:
    """A two-factor code that signed someone in is refused for as long as it would be accepted
    (`keep_code_used`)."""

    def clean_code(self) -> str:
        code = super().clean_code()
        if self.authenticator.type == Authenticator.Type.TOTP:
            keep_code_used(self.authenticator, code)
        return code


class TwoFactorForm(CodeUsedOnce, mfa_forms.AuthenticateForm):
    """The second step of signing in."""


class TwoFactorAgainForm(CodeUsedOnce, mfa_forms.ReauthenticateForm):
    """Confirming who one is with a second factor before changing one's sign-in."""


class ListSelect(forms.Select):
    """A select list written out in Python.

    A list's filters offer every provider, agreement and quarter in the user's scope, and
    Django's own select renders each option through two templates: on a busy list page that
    cost more than the list itself.
    """

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            self._options(self.choices, chosen),
        )

    def _options(self, choices, chosen: set[str]):
        return format_html_join(
            "",
            "{}",
            (
                (
                    format_html(
                        '<optgroup label="{}">{}</optgroup>', value, self._options(label, chosen)
                    )
                    if isinstance(label, list | tuple)
                    else self._option(value, label, chosen),
                )
                for value, label in choices
            ),
        )

    @staticmethod
    def _option(value, label, chosen: set[str]):
        value = "" if value is None else str(value)
        selected = " selected" if value in chosen else ""
        return format_html('<option value="{}"{}>{}</option>', value, selected, label)


class FilterForm(AccessibleFormMixin, forms.Form):
    """The form django-filter builds for a list's filters."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if type(field.widget) is forms.Select:
                field.widget = ListSelect(attrs=field.widget.attrs, choices=field.widget.choices)


class ImportConfirmForm(forms.Form):
    """Confirming a checked import: which check, and whether its emptied fields go too."""

    batch = forms.IntegerField(widget=forms.HiddenInput)
    blank_fields = forms.BooleanField(
        required=False,
        label="Also empty the fields listed as emptied",
        help_text="Leave this unticked to keep what is held where the file's cell is empty.",
    )


def largest(model_field) -> Decimal:
    """The largest number a decimal column holds: 9,999,999,999.99 for 12 digits, 2 places."""
    whole = model_field.max_digits - model_field.decimal_places
    return Decimal(10) ** whole - Decimal(1).scaleb(-model_field.decimal_places)
