from django import template
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from grants import figures
from grants.forms.conversations import MessageForm
from grants.selectors.returns import ACHIEVED_EARLIER

register = template.Library()

STATUS_CLASSES = {
    "draft": "text-bg-light border",
    "not_started": "text-bg-light border",
    "submitted": "text-bg-primary",
    "changes_requested": "text-bg-warning",
    "approved": "text-bg-success",
    "overdue": "text-bg-danger",
    "scheduled": "text-bg-light border",
    "released": "text-bg-success",
    "withheld": "text-bg-warning",
    "past_due": "text-bg-danger",
    "release_requested": "text-bg-info",
    "exported": "text-bg-primary",
    "paid": "text-bg-success",
    "reversed": "text-bg-light border",
}
RAG_CLASSES = {"green": "rag-green", "amber": "rag-amber", "red": "rag-red"}


# Simple tags built with format_html rather than inclusion tags: they appear on every row of long
# lists, and rendering a template per row costs more than the rest of the row.
TAG = '<span class="badge status-tag {}">{}</span>'


@register.simple_tag
def status_tag(key: str, label: str):
    return format_html(TAG, STATUS_CLASSES.get(key, "text-bg-secondary"), label)


@register.simple_tag
def rag_tag(rag):
    if rag is None:
        return format_html(TAG, "text-bg-light border", _("No RAG"))
    return format_html(TAG, RAG_CLASSES[rag.value], rag.label)


@register.filter
def figure(value, indicator) -> str:
    """A value of the indicator as it reads: a count whole ("3"), a percentage with its sign
    ("45%"); empty for no value (`grants.figures`)."""
    shown = figures.figure(indicator.measure_type, value)
    return "" if shown is None else str(shown)


@register.filter
def signed_pounds(value) -> str:
    """An amount that may be either side of nothing, as it reads: "+£800.00", "£0.00", and
    below nothing a minus sign (U+2212) before the pound sign, never "£-87.50". The figure is
    grouped and pointed for the language (`floatformat`'s "g" goes through `number_format`)."""
    if value is None:
        return ""
    sign = "+" if value > 0 else "\u2212" if value < 0 else ""
    return f"{sign}£{floatformat(abs(value), '2g')}"


@register.filter
def signed_percent(value) -> str:
    """A share either side of nothing: "+40.0%", "0.0%", and below nothing a minus sign."""
    if value is None:
        return ""
    sign = "+" if value > 0 else "\u2212" if value < 0 else ""
    return f"{sign}{number_format(abs(value))}%"


@register.filter
def yes_no(value) -> str:
    return {True: _("Yes"), False: _("No")}.get(value, "")


@register.filter
def kept_words(value) -> str:
    """A submission's kept "yes", "no" or "yes, achieved in <quarter>", in the reader's
    language; any other words as they were written."""
    if value in ("Yes", "No"):
        return _(value)
    if isinstance(value, str) and value.startswith(ACHIEVED_EARLIER):
        return _("Yes, achieved in %(period)s") % {"period": value[len(ACHIEVED_EARLIER) :]}
    return value


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key)


@register.filter
def sub(value, other):
    return value - other


@register.filter
def days_since(moment) -> int | str:
    """Whole days from a moment to today, in the council's time zone: 0 on the day itself."""
    if moment is None:
        return ""
    return (timezone.localdate() - timezone.localdate(moment)).days


# The conversation's forms, beside answers and threads --------------------------------------


@register.inclusion_tag("grants/_message_form.html")
def message_form(kind: str, about, back: str, resolves: bool = False):
    """A message form on `about`: "flag" (a flagged answer, which an officer who `resolves` can
    also resolve from it), "return" or "agreement"."""
    context = {"resolve_action": "", "label": ""}
    if kind == "flag":
        flag = about
        context["label"] = flag.label
        form = MessageForm(
            prefix=f"flag-{flag.pk}",
            label=_("Your reply about %(label)s") % {"label": flag.label},
        )
        action = reverse("grants:flag_thread", args=[flag.quarterly_return_id, flag.pk])
        if resolves:
            resolve = reverse("grants:flag_resolve", args=[flag.quarterly_return_id, flag.pk])
            context["resolve_action"] = resolve
        button, back = _("Send reply"), f"{back}#flag-{flag.pk}"
    else:
        form = MessageForm(prefix=kind)
        action = reverse(f"grants:{kind}_messages", args=[about.pk])
        button = _("Send message")
    return {**context, "form": form, "action": action, "next": back, "button": button}
