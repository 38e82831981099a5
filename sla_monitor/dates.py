"""The GOV.UK date input: a date asked as Day, Month and Year boxes in a fieldset.

A browser's own date picker shows the order of its locale (03/27/2026 in an American browser)
and differs from one browser to the next; three labelled boxes read the same everywhere and are
what people who use public services know. Every date a form of the app asks for uses this field;
the Django admin keeps its own widgets.
"""

import datetime as dt
import re

from django import forms
from django.utils.text import get_text_list
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

PARTS = ("day", "month", "year")
PART_NAMES = {"day": _("day"), "month": _("month"), "year": _("year")}
HINT = _("For example, 27 3 2026")
MONTHS = {
    name: number
    for number, month in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
    for name in (month, month[:3])
} | {"sept": 9}
_ISO = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*")


class DayMonthYearInput(forms.MultiWidget):
    """Three text boxes, labelled Day, Month and Year, with numeric keypads on phones.

    `invalid_parts` names the boxes an error is about, so that only those are marked; when an
    error is about the date as a whole (or comes from elsewhere), every box is.
    """

    template_name = "sla_monitor/widgets/day_month_year.html"

    def __init__(self, attrs=None):
        boxes = {part: forms.TextInput(attrs={"inputmode": "numeric"}) for part in PARTS}
        super().__init__(boxes, attrs)
        self.invalid_parts: tuple[str, ...] = ()

    def decompress(self, value):
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        if isinstance(value, str) and (iso := _ISO.fullmatch(value)):
            year, month, day = iso.groups()
            return [day, month, year]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        # A date sent as one ISO value under the field's own name (a link such as
        # ?since=2026-04-01, or a script) is read too; a browser always sends the three boxes.
        if super().value_omitted_from_data(data, files, name) and data.get(name):
            return self.decompress(data.get(name))
        return super().value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return super().value_omitted_from_data(data, files, name) and name not in data

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        field_id = context["widget"]["attrs"].get("id")
        for part, box in zip(PARTS, context["widget"]["subwidgets"], strict=True):
            box["label"] = part.capitalize()
            box["part"] = part
            box_attrs = box["attrs"]
            if field_id:
                box_attrs["id"] = f"{field_id}_{part}"
            css = box_attrs.get("class", "form-control").replace(" is-invalid", "")
            invalid = "aria-invalid" in box_attrs and (
                not self.invalid_parts or part in self.invalid_parts
            )
            box_attrs["class"] = f"{css} date-input-{part}" + (" is-invalid" if invalid else "")
            if not invalid:
                box_attrs.pop("aria-invalid", None)
        return context

    def first_box(self) -> str:
        """The box the error summary links to: the first one in error."""
        return next((p for p in PARTS if p in self.invalid_parts), PARTS[0])


class DayMonthYearField(forms.Field):
    """A date given as day, month and year, checked as GOV.UK's date input pattern says: what
    is missing ("Start date must include a month"), then whether it is a real date.

    Messages name the field by its label; a form may give its own, in `error_messages`, for
    `required`, `incomplete` (with `%(label)s` and `%(missing)s`), `invalid` and `year`.
    """

    widget = DayMonthYearInput
    default_error_messages = {
        "required": _("Enter the %(label_lower)s"),
        "incomplete": _("%(label)s must include a %(missing)s"),
        "invalid": _("%(label)s must be a real date"),
        "year": _("The year must include 4 numbers"),
    }

    def __init__(self, *, hint: str = HINT, **kwargs):
        # A model form passes the model field's own limits, which a date has no use for.
        for unused in ("max_length", "empty_value"):
            kwargs.pop(unused, None)
        super().__init__(**kwargs)
        self.hint = hint

    def _error(self, code: str, parts=PARTS, **params) -> forms.ValidationError:
        self.widget.invalid_parts = tuple(parts)
        label = str(self.label or _("Date"))
        params = {"label": label, "label_lower": label[:1].lower() + label[1:], **params}
        return forms.ValidationError(self.error_messages[code] % params, code=code)

    def to_python(self, value):
        if value in self.empty_values or isinstance(value, dt.date):
            return value or None
        boxes = dict(zip(PARTS, [str(v or "").strip() for v in value], strict=False))
        if not any(boxes.values()):
            return None
        missing = [part for part in PARTS if not boxes.get(part)]
        if missing:
            names = [str(PART_NAMES[part]) for part in missing]
            raise self._error("incomplete", missing, missing=get_text_list(names, gettext("and")))
        month = MONTHS.get(boxes["month"].lower().rstrip("."), boxes["month"])
        numbers = [boxes["day"], str(month), boxes["year"]]
        wrong = [
            p for p, n in zip(PARTS, numbers, strict=True) if not (n.isascii() and n.isdigit())
        ]
        if wrong:
            raise self._error("invalid", wrong)
        if len(boxes["year"]) != 4:
            raise self._error("year", ["year"])
        if max(len(n) for n in numbers) > 4:  # a day of twenty digits, before it is a number
            raise self._error("invalid")
        day, month, year = (int(n) for n in numbers)
        try:
            return dt.date(year, month, day)
        except (ValueError, OverflowError):  # 31 February; a day of twenty digits
            raise self._error("invalid") from None

    def validate(self, value):
        if value in self.empty_values and self.required:
            raise self._error("required")
