"""Publishing an agreement as open data, or taking it down."""

from django import forms


class PublishForm(forms.Form):
    published = forms.TypedChoiceField(
        choices=[("1", "Publish"), ("0", "Take down")], coerce=lambda value: value == "1"
    )
