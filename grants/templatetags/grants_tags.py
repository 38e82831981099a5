from decimal import Decimal

from django import template
from django.utils.html import format_html

register = template.Library()

STATUS_CLASSES = {
    "draft": "text-bg-light border",
    "not_started": "text-bg-light border",
    "submitted": "text-bg-primary",
    "changes_requested": "text-bg-warning",
    "approved": "text-bg-success",
    "overdue": "text-bg-danger",
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
        return format_html(TAG, "text-bg-light border", "No RAG")
    return format_html(TAG, RAG_CLASSES[rag.value], rag.label)


@register.filter
def number(value) -> str:
    """A quantity without trailing zeros: 4, 2.25, 67.5."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    if value == value.to_integral():
        return f"{value.to_integral():,}"
    return f"{value.normalize():f}"


@register.filter
def yes_no(value) -> str:
    return {True: "Yes", False: "No"}.get(value, "")


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key)


@register.filter
def sub(value, other):
    return value - other
