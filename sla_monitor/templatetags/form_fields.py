"""What the template pack's field (templates/govuk/field.html) asks of a field."""

from django import forms, template

register = template.Library()


@register.filter
def marked_optional(field: forms.BoundField) -> bool:
    """Whether the field's label ends "(optional)", as GOV.UK marks the questions one may leave.

    Not a tick box (leaving it is an answer), not a field a form says it needs once another is
    filled in (`conditionally_required`), and none on a form where everything is optional,
    such as a list's filters, where the words would only clutter it.
    """
    if field.field.required or isinstance(field.field.widget, forms.CheckboxInput):
        return False
    form = field.form
    if field.name in getattr(form, "conditionally_required", ()):
        return False
    return any(f.required for f in form.fields.values())
