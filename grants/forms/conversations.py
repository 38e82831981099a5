"""Writing in a conversation: a message (with files) and an officer resolving a flag. Each form
carries a one-time token, so a double click or a replayed request sends nothing twice."""

from django import forms
from django.utils.translation import gettext_lazy as _

from grants.evidence import check_evidence_file
from grants.services.conversations import MAX_ATTACHMENTS, MESSAGE_LENGTH
from sla_monitor.forms import AccessibleFormMixin
from sla_monitor.once import OnceField

ACCEPT = ".pdf,.doc,.docx,.xls,.xlsx,.png,.jpg,.jpeg,.gif"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input, each checked as evidence files are."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        cleaned = [super(MultipleFileField, self).clean(f, initial) for f in files]
        if len(cleaned) > MAX_ATTACHMENTS:
            raise forms.ValidationError(
                _("Attach up to %(limit)s files to one message") % {"limit": MAX_ATTACHMENTS}
            )
        for upload in cleaned:
            check_evidence_file(upload)
        return cleaned


class MessageText(forms.CharField):
    """A message's text, its line breaks counted once whichever way the browser sent them."""

    def to_python(self, value):
        return super().to_python(value).replace("\r\n", "\n")


class MessageForm(AccessibleFormMixin, forms.Form):
    body = MessageText(
        label=_("Your message"),
        max_length=MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Enter your message"),
            "max_length": _("Your message must be 5,000 characters or fewer"),
        },
    )
    attachments = MultipleFileField(
        label=_("Attach files"),
        required=False,
        help_text=_(
            "Up to 5 files: PDF, Word, Excel or an image (PNG, JPEG, GIF), each up to 10 MB."
        ),
    )
    once = OnceField()

    def __init__(self, *args, label=None, prefix=None, resolving=False, **kwargs):
        super().__init__(*args, prefix=prefix, **kwargs)
        if label:
            self.fields["body"].label = label
        # Resolving a flag needs no words: what is written goes with it.
        self.fields["body"].required = not resolving
