"""`{% in_language agreement "title" %}`: a council's text in the reader's language, or in the
other marked as such (sla_monitor.written)."""

from dataclasses import replace

from django import template
from django.template.defaultfilters import linebreaks_filter, linebreaksbr
from django.utils.html import conditional_escape, format_html
from django.utils.text import Truncator

from sla_monitor.written import written

register = template.Library()


@register.simple_tag
def in_language(obj, field, breaks=False, paragraphs=False, words=None):
    """The text of `obj.field` for the reader. `breaks` keeps its line breaks; `paragraphs` makes
    a paragraph of each block, as the `linebreaks` filter does; `words` shortens it to so many
    words, as `truncatewords` does."""
    shown = written(obj, field)
    if words:
        shown = replace(shown, text=Truncator(shown.text).words(words, truncate=" …"))
    if paragraphs:
        text = linebreaks_filter(shown.text, autoescape=True)
    elif breaks:
        text = linebreaksbr(shown.text, autoescape=True)
    else:
        text = conditional_escape(shown.text)
    if not shown.fallback:
        return text
    tag = "div" if paragraphs else "span"
    return format_html(
        '<{} lang="{}">{}</{}> <small class="text-body-secondary written-note">({})</small>',
        tag,
        shown.html_lang,
        text,
        tag,
        shown.note,
    )


@register.filter
def written_in(obj, field):
    """The `Written` text of `obj.field`, for a template that lays it out itself."""
    return written(obj, field)
