"""Forms that create something act once: each form page carries a token, and the service that
acts on it claims the token in the same transaction. A second request with the same token (a
double click, a replay, two tabs posting the same page) is refused with a message, however close
together they come: the database's unique index decides."""

import datetime as dt
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sla_monitor.models import FormSubmission

KEPT = dt.timedelta(days=2)


class OnceField(forms.UUIDField):
    """A hidden one-time token, new each time the form is shown."""

    def __init__(self, **kwargs):
        super().__init__(widget=forms.HiddenInput, initial=uuid.uuid4, **kwargs)
        self.error_messages["required"] = _("Reload the page and send the form again.")
        self.error_messages["invalid"] = _("Reload the page and send the form again.")


class AlreadySent(ValidationError):
    """The form's token was used: what it asked for has been done already."""


def claim(token: uuid.UUID, *, already: str) -> None:
    """Use the token up, inside the caller's transaction; `already` says what was done."""
    try:
        with transaction.atomic():
            FormSubmission.objects.create(token=token)
    except IntegrityError:
        raise AlreadySent(
            _("This form has already been sent: %(already)s") % {"already": already}
        ) from None
    FormSubmission.objects.filter(submitted_at__lt=timezone.now() - KEPT).delete()
