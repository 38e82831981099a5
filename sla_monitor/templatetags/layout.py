from django import template
from django.template.base import token_kwargs
from django.template.loader import render_to_string

from sla_monitor.forms import style_field

register = template.Library()


class ScrollableTableNode(template.Node):
    def __init__(self, nodelist, kwargs):
        self.nodelist = nodelist
        self.kwargs = kwargs

    def render(self, context):
        values = {key: value.resolve(context) for key, value in self.kwargs.items()}
        return render_to_string(
            "components/scrollable_table.html",
            {
                "table": self.nodelist.render(context),
                "label": values["label"],
                "wide": values.get("wide", False),
                "stacked": values.get("stacked", False),
            },
        )


@register.tag
def scrollable_table(parser, token):
    """Wraps a table that may be wider than a phone's screen in a region that scrolls sideways on
    its own, so the page never does: `{% scrollable_table label="Funds" %}<table>…</table>
    {% endscrollable_table %}`. The label names the table, not the section around it: a region
    named like its section would be announced twice. `wide=True` keeps a table of many long
    columns readable on a phone: it scrolls rather than squeezes. `stacked=True` is for a table
    of class `table-stack` whose cells name their column (`data-label`): on a phone each row
    shows as a card of its cells, so every column is in view without scrolling sideways."""
    bits = token.split_contents()
    kwargs = token_kwargs(bits[1:], parser)
    known = {"label", "wide", "stacked"}
    if len(kwargs) != len(bits) - 1 or "label" not in kwargs or set(kwargs) - known:
        raise template.TemplateSyntaxError(
            f'{bits[0]} takes label="…" and optionally wide=True or stacked=True'
        )
    nodelist = parser.parse(("endscrollable_table",))
    parser.delete_first_token()
    return ScrollableTableNode(nodelist, kwargs)


@register.filter
def styled(bound_field):
    """A field of a form the app did not write (django-allauth's), styled as ours: Bootstrap's
    classes, and no placeholder standing in for its label."""
    style_field(bound_field.form, bound_field.name)
    bound_field.field.widget.attrs.pop("placeholder", None)
    return bound_field
