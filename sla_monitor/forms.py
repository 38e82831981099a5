import copy
import re
from decimal import Decimal

from allauth.account import forms as allauth_forms
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.models import Authenticator
from allauth.mfa.totp import forms as totp_forms
from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from sla_monitor.accounts import code_already_used, keep_code_used
from sla_monitor.inbox import CHOOSE_ONE
from sla_monitor.languages import CHOOSE_ONE as CHOOSE_LANGUAGE
from sla_monitor.languages import HTML_LANG, NAMES
from sla_monitor.models import EmailChoice


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


def word_fields(form, required: dict | None = None, **labels) -> None:
    """Labels in the app's words for the fields of a django-allauth form, without its
    placeholders or descriptions but a new password's rules: allauth's "Forgot your password?"
    description is a link squeezed under the label, and a page that needs one puts it below the
    form. `required` says, field by field, what to enter when it is left empty."""
    for name, label in labels.items():
        field = form.fields[name]
        field.label = label
        field.widget.attrs.pop("placeholder", None)
        if name != "password1":
            field.help_text = ""
    for name, message in (required or {}).items():
        form.fields[name].error_messages["required"] = message


CODE_LABEL = _("6-digit code")
CODE_HINT = _("The code your authenticator app shows now.")
CODE_REQUIRED = _("Enter the 6-digit code from your authenticator app")


class LoginForm(allauth_forms.LoginForm):
    """Sign-in by username or e-mail address, worded as the rest of the app."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        word_fields(
            self,
            required={
                "login": _("Enter your username or e-mail address"),
                "password": _("Enter your password"),
            },
            login=_("Username or e-mail address"),
            password=_("Password"),
        )
        self.fields["login"].widget.attrs["autocomplete"] = "username"


class NewPasswordWords:
    """A new password and its confirmation, labelled, and asked for when left out, in the app's
    words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        word_fields(
            self,
            required={
                "password1": _("Enter a new password"),
                "password2": _("Confirm your new password"),
            },
            password1=_("New password"),
            password2=_("Confirm new password"),
        )


class ChangePasswordForm(NewPasswordWords, allauth_forms.ChangePasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        word_fields(
            self,
            required={"oldpassword": _("Enter your current password")},
            oldpassword=_("Current password"),
        )


class SetPasswordForm(NewPasswordWords, allauth_forms.SetPasswordForm):
    """A first password, for someone who signed in only through their council's sign-in."""


class ResetPasswordKeyForm(NewPasswordWords, allauth_forms.ResetPasswordKeyForm):
    """A new password, from the link a reset e-mailed."""


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        word_fields(
            self,
            required={"email": _("Enter your e-mail address")},
            email=_("E-mail address"),
        )


class ReauthenticateForm(allauth_forms.ReauthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        word_fields(self, required={"password": _("Enter your password")}, password=_("Password"))


class CodeUsedOnce:
    """A two-factor code that signed someone in is refused for as long as it would be accepted
    (`keep_code_used`), and refused as used rather than as wrong."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        word_fields(self, required={"code": CODE_REQUIRED}, code=CODE_LABEL)
        self.fields["code"].help_text = _(
            "The code your authenticator app shows now, or one of your recovery codes."
        )

    def clean_code(self) -> str:
        try:
            code = super().clean_code()
        except ValidationError as error:
            given = self.cleaned_data.get("code", "")
            if error.code == "incorrect_code" and code_already_used(self.user, given):
                raise get_mfa_adapter().validation_error("code_already_used") from error
            raise
        if self.authenticator.type == Authenticator.Type.TOTP:
            keep_code_used(self.authenticator, code)
        return code


class TwoFactorForm(CodeUsedOnce, mfa_forms.AuthenticateForm):
    """The second step of signing in."""


class TwoFactorAgainForm(CodeUsedOnce, mfa_forms.ReauthenticateForm):
    """Confirming who one is with a second factor before changing one's sign-in."""


class ActivateAuthenticatorForm(totp_forms.ActivateTOTPForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        word_fields(self, required={"code": CODE_REQUIRED}, code=CODE_LABEL)
        self.fields["code"].help_text = CODE_HINT


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
        label=_("Also empty the fields listed as emptied"),
        help_text=_("Leave this unticked to keep what is held where the file's cell is empty."),
    )


# A number as people write it: digits with a point and a sign. Python also reads "1e5" (as
# 100,000), "NaN" and digits of other scripts as numbers; a person means none of them.
PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)", re.ASCII)


class PlainDecimalField(forms.DecimalField):
    """A decimal field that takes a number only as people write it (`PLAIN_NUMBER`): "1e5" is
    refused as not a number, with the field's own message, rather than read as 100,000."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip() and not PLAIN_NUMBER.fullmatch(value.strip()):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


def largest(model_field) -> Decimal:
    """The largest number a decimal column holds: 9,999,999,999.99 for 12 digits, 2 places."""
    whole = model_field.max_digits - model_field.decimal_places
    return Decimal(10) ** whole - Decimal(1).scaleb(-model_field.decimal_places)


class EmailChoiceForm(AccessibleFormMixin, forms.Form):
    """How the person hears of what lands in their inbox (`sla_monitor.inbox.choose_emails`)."""

    email_choice = forms.ChoiceField(
        label=_("How do you want to hear of what lands in your inbox?"),
        choices=EmailChoice.choices,
        widget=forms.RadioSelect,
        help_text=_("Whichever you choose, everything stays in your inbox until you read it."),
        error_messages={"required": CHOOSE_ONE, "invalid_choice": CHOOSE_ONE},
    )


class LanguageForm(AccessibleFormMixin, forms.Form):
    """The language a person reads the service in, among those offered to them
    (`sla_monitor.languages`), and the page to go back to."""

    language = forms.ChoiceField(
        label=_("Which language do you want to use?"),
        widget=forms.RadioSelect,
        help_text=_("Pages, e-mails and reports will be in the language you choose."),
        error_messages={"required": CHOOSE_LANGUAGE, "invalid_choice": CHOOSE_LANGUAGE},
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, offered: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        # Each language named in itself, and marked as being in it, for screen readers.
        self.fields["language"].choices = [
            (code, format_html('<span lang="{}">{}</span>', HTML_LANG[code], NAMES[code]))
            for code in offered
        ]


ENGLISH_LABEL = _("%(label)s (English)")
WELSH_LABEL = _("%(label)s (Welsh)")


def add_welsh_fields(form, names, *, offered: bool) -> None:
    """Where the council offers Welsh, a Welsh field after each of the form's fields `names`
    (`title_cy` after `title`), and each pair labelled with its language; elsewhere the form keeps
    the English fields alone, as they were. The English field stays required where it was; the
    Welsh is never required."""
    if not offered:
        return
    fields = {}
    for name, field in form.fields.items():
        fields[name] = field
        if name not in names:
            continue
        label = field.label
        field.label = ENGLISH_LABEL % {"label": label}
        field.widget.attrs["lang"] = "en"
        welsh_field = copy.deepcopy(field)
        welsh_field.label = WELSH_LABEL % {"label": label}
        welsh_field.required = False
        welsh_field.widget.attrs["lang"] = "cy"
        welsh_field.initial = None
        fields[f"{name}_cy"] = welsh_field
    form.fields = fields
