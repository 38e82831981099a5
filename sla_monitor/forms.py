from django import forms
from django.contrib.auth.forms import AuthenticationForm


class AccessibleFormMixin:
    """Bootstrap classes on every input, and each invalid one marked as such.

    Django itself adds `aria-invalid` and points `aria-describedby` at the `<id>_helptext` and
    `<id>_error` elements that templates/components/field.html renders.
    """

    def __getitem__(self, name):
        # Styled when rendered, so fields a subclass adds in __init__ are styled too.
        widget = self.fields[name].widget
        if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        elif isinstance(widget, forms.HiddenInput | forms.CheckboxInput):
            css = ""
        else:
            css = "form-control"
        if css and self._errors is not None and name in self._errors:
            css += " is-invalid"
        if css:
            widget.attrs["class"] = css
        return super().__getitem__(name)


class LoginForm(AccessibleFormMixin, AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class FilterForm(AccessibleFormMixin, forms.Form):
    """The form django-filter builds for a list's filters."""
