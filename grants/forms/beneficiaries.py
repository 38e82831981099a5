"""The people a return's service worked with in its quarter, as its provider gives them."""

from collections import defaultdict
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BoundField
from django.utils.formats import number_format
from django.utils.translation import gettext

from grants import beneficiaries
from grants.beneficiaries import (
    PEOPLE_REACHED,
    count_name,
    first_box,
    not_collected_name,
    reason_name,
)
from grants.forms.returns import VersionedForm
from sla_monitor.equality import BY_CODE, CHARACTERISTICS, Characteristic


class WholeNumberField(forms.IntegerField):
    """A number of people typed as people write it ("1,250" is fine), in a text box that asks
    phones for their number pad: the server, not the browser, says what is wrong."""

    widget = forms.TextInput

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace(",", "").replace(" ", "")
        return super().to_python(value)

    def widget_attrs(self, widget):
        return {
            **super().widget_attrs(widget),
            "inputmode": "numeric",
            "spellcheck": "false",
            "autocomplete": "off",
        }


def _whole_number(label: str, what: str, largest: int, **kwargs) -> WholeNumberField:
    return WholeNumberField(
        label=label,
        required=False,
        min_value=0,
        max_value=largest,
        error_messages={
            "invalid": gettext("%(what)s: enter a whole number, like 12") % {"what": what},
            "min_value": gettext("%(what)s: the number cannot be less than 0") % {"what": what},
            "max_value": gettext("%(what)s: enter a number no bigger than %(largest)s")
            % {"what": what, "largest": number_format(largest, force_grouping=True)},
        },
        **kwargs,
    )


@dataclass
class CharacteristicFieldset:
    """One characteristic's inputs on the page: its boxes under their headings, whether it was
    not collected and why, and what is wrong with its counts as a whole."""

    characteristic: Characteristic
    headings: list[tuple[str, list[tuple[str, BoundField]]]]  # (group label, [(label, box)])
    not_collected: BoundField
    reason: BoundField
    errors: list[str] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.characteristic.code

    @property
    def first_box_id(self) -> str:
        return f"id_{first_box(self.characteristic)}"

    @property
    def boxes(self) -> list[BoundField]:
        return [box for _, boxes in self.headings for _, box in boxes]


class BeneficiaryFiguresForm(VersionedForm):
    """The people the service worked with in the quarter, and for each protected characteristic
    how many fall in each category, or that it was not collected and why. The form reads what
    was typed; the rule (`beneficiaries.figure_errors`) is checked here to show every error at
    once, and again by the service, which saves nothing while anything is wrong."""

    def __init__(self, *args, section: beneficiaries.Section, **kwargs):
        super().__init__(*args, **kwargs)
        reload = gettext("The page is out of date: reload it, then give the figures again")
        self.fields["version"].error_messages = {"required": reload, "invalid": reload}
        largest = beneficiaries.largest_count()
        self.fields[PEOPLE_REACHED] = _whole_number(
            gettext("How many people did you work with in the quarter?"),
            gettext("People you worked with"),
            largest,
            help_text=gettext("Count each person once, however often you worked with them."),
        )
        self.fields[PEOPLE_REACHED].widget.attrs["data-people-reached"] = ""
        self.fieldset_errors: dict[str, list[str]] = defaultdict(list)
        self._layout: list[tuple[Characteristic, list]] = []
        for characteristic in CHARACTERISTICS:
            code, name = characteristic.code, characteristic.name
            headed = []
            for heading in beneficiaries.headings(characteristic):
                names = []
                for category in heading.categories:
                    box = count_name(code, category.code)
                    label = heading.short_label(category)
                    self.fields[box] = _whole_number(label, f"{name}, {category.label}", largest)
                    names.append((label, box))
                headed.append((heading.group.label if heading.group else "", names))
            self._layout.append((characteristic, headed))
            self.fields[not_collected_name(code)] = forms.BooleanField(
                label=gettext("We did not collect this"),
                required=False,
                widget=forms.CheckboxInput(
                    attrs={"class": "form-check-input", "data-not-collected": ""}
                ),
            )
            self.fields[reason_name(code)] = forms.CharField(
                label=gettext("Why you did not collect it"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        if not self.is_bound:
            self.initial.update(self.initial_for(section))

    @staticmethod
    def initial_for(section: beneficiaries.Section) -> dict:
        initial = {PEOPLE_REACHED: section.people_reached}
        for code, counts in section.counts.items():
            initial.update({count_name(code, cat): n for cat, n in counts.items()})
        for code, reason in section.not_collected.items():
            initial[not_collected_name(code)] = True
            initial[reason_name(code)] = reason
        return initial

    @property
    def fieldsets(self) -> list[CharacteristicFieldset]:
        return [
            CharacteristicFieldset(
                characteristic,
                [(group, [(label, self[n]) for label, n in names]) for group, names in headed],
                self[not_collected_name(characteristic.code)],
                self[reason_name(characteristic.code)],
                self.fieldset_errors.get(characteristic.code, []),
            )
            for characteristic, headed in self._layout
        ]

    def clean(self):
        data = super().clean()
        counts, not_collected = {}, {}
        for characteristic in CHARACTERISTICS:
            code = characteristic.code
            names = [count_name(code, c) for c in characteristic.codes]
            boxes = {c: data.get(count_name(code, c)) for c in characteristic.codes}
            unreadable = any(n in self._errors for n in names)
            given = unreadable or any(v is not None for v in boxes.values())
            reason = data.get(reason_name(code), "")
            if data.get(not_collected_name(code)) or (reason.strip() and not given):
                not_collected[code] = reason
            elif reason.strip():
                self.add_error(
                    reason_name(code),
                    gettext(
                        "%(characteristic)s: tick “We did not collect this” to give a "
                        "reason, or clear the reason"
                    )
                    % {"characteristic": characteristic.name},
                )
            elif not unreadable:
                counts[code] = boxes
        self.values = {
            "people_reached": data.get(PEOPLE_REACHED),
            "counts": counts,
            "not_collected": not_collected,
        }
        errors = beneficiaries.figure_errors(**self.values)
        # What a field already says is wrong with it is not said twice.
        self.add_rule_errors({k: v for k, v in errors.items() if k not in self._errors})
        return data

    def add_rule_errors(self, errors: dict[str, list[str]]) -> None:
        """Put each of the rule's errors beside its input, or its characteristic's fieldset."""
        for key, messages in errors.items():
            if key in self.fields:
                for message in messages:
                    self.add_error(key, message)
            elif key in BY_CODE:
                self.fieldset_errors[key].extend(messages)
            else:
                for message in messages:
                    self.add_error(None, message)

    def add_service_error(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            self.add_rule_errors(error.message_dict)
        else:
            self.add_error(None, error)

    def is_valid(self) -> bool:
        return super().is_valid() and not self.has_errors()

    def has_errors(self) -> bool:
        return bool(self.errors or any(self.fieldset_errors.values()))

    @property
    def summary(self) -> list[tuple[str, str]]:
        """Every error, in the page's order, with the input it links to."""
        items = [(message, "") for message in self.non_field_errors()]
        items += [(message, "") for message in self.errors.get("version", [])]
        items += [(m, f"id_{PEOPLE_REACHED}") for m in self.errors.get(PEOPLE_REACHED, [])]
        for fieldset in self.fieldsets:
            for box in fieldset.boxes:
                items += [(m, box.auto_id) for m in box.errors]
            items += [(m, fieldset.first_box_id) for m in fieldset.errors]
            items += [(m, fieldset.reason.auto_id) for m in fieldset.reason.errors]
        return items
