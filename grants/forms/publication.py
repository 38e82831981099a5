"""Publishing an agreement as open data, or taking it down."""

from django import forms
from django.utils.translation import gettext_lazy as _


class PublishForm(forms.Form):
    published = forms.TypedChoiceField(
        choices=[("1", _("Publish")), ("0", _("Take down"))], coerce=lambda value: value == "1"
    )
