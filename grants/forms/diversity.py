"""A provider's answers on the diversity of its leadership and of its mission."""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BoundField
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from grants import diversity
from sla_monitor.forms import AccessibleFormMixin


@dataclass
class GroupChoice:
    """One population group's radios: "not this group", then each of its codes."""

    group: diversity.PopulationGroup
    field: BoundField

    @property
    def options(self) -> list[tuple[object, diversity.Option | None]]:
        return list(zip(self.field, [None, *self.group.options], strict=True))

    @property
    def chosen(self) -> str:
        """What is chosen in the group, as its name's summary says it."""
        value = self.field.value()
        option = next((o for o in self.group.options if o.code == value), None)
        if option is None:
            return ""
        return gettext("the community as a whole") if option.level == 0 else gettext(option.title)

    @property
    def is_open(self) -> bool:
        return bool(self.chosen or self.field.errors)


@dataclass
class AreaFields:
    area: diversity.Area
    reply: BoundField
    groups: list[GroupChoice]
    lived_experience: BoundField
    geography: BoundField


class DiversityForm(AccessibleFormMixin, forms.Form):
    """A provider's answers to the DEI Extension's questions on its leadership and mission: for
    each, a reply, at most one code in each population group (so one radio group each), and
    words for what the taxonomy does not name. The rules are `grants.diversity`'s, which the
    service checks again. The year the page asked about comes back with the answers, so answers
    sent after the year has turned are refused rather than kept for the next."""

    financial_year = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("This page is out of date: open it again and give your answers"),
            "invalid": _("This page is out of date: open it again and give your answers"),
        },
    )

    may_publish = forms.TypedChoiceField(
        label=_("May the councils that fund you publish your answers as open data?"),
        help_text=(
            _(
                "Published answers appear with the council's grants to you in its 360Giving data. "
                "If you say no, only the councils that fund you see them, and the open data says "
                "only that you answered."
            )
        ),
        choices=[
            ("yes", "Yes, they may publish our answers"),
            ("no", "No, only the councils that fund us may see them"),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Say whether your answers may be published as open data"),
            "invalid_choice": _("Say whether your answers may be published as open data"),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for area in diversity.AREAS:
            self.fields[f"{area.key}_reply"] = forms.ChoiceField(
                label=area.question,
                help_text=area.hint,
                choices=area.replies,
                widget=forms.RadioSelect,
                error_messages={"required": area.unanswered, "invalid_choice": area.unanswered},
            )
            for group in diversity.POPULATION_GROUPS:
                self.fields[self.group_field(area, group)] = forms.ChoiceField(
                    label=gettext(group.name),
                    help_text=gettext(group.description) if group.description else "",
                    required=False,
                    choices=[("", gettext("Not this community"))]
                    + [(o.code, gettext(o.title)) for o in group.options],
                    widget=forms.RadioSelect,
                    error_messages={
                        "invalid_choice": gettext("Choose one of the answers for %(group)s")
                        % {"group": gettext(group.name)}
                    },
                )
            self.fields[f"{area.key}_lived_experience"] = forms.CharField(
                label=gettext("Other lived experience"),
                help_text=(
                    gettext(
                        "A community or experience the lists do not name. Your answers may be "
                        "published: describe it in general terms and do not name anyone."
                    )
                ),
                required=False,
                max_length=diversity.LIVED_EXPERIENCE_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={
                    "max_length": gettext(
                        "Describe other lived experience in %(most)s characters or fewer"
                    )
                    % {"most": diversity.LIVED_EXPERIENCE_LENGTH}
                },
            )
            self.fields[f"{area.key}_geography"] = forms.CharField(
                label=gettext("A place"),
                help_text=area.geography_hint,
                required=False,
                max_length=diversity.GEOGRAPHY_LENGTH,
                error_messages={
                    "max_length": gettext("Name the place in %(most)s characters or fewer")
                    % {"most": diversity.GEOGRAPHY_LENGTH}
                },
            )
        # The publishing question comes last, after the answers it is about.
        self.order_fields([name for name in self.fields if name != "may_publish"])

    @staticmethod
    def group_field(area: diversity.Area, group: diversity.PopulationGroup) -> str:
        return f"{area.key}_{group.prefix}"

    @classmethod
    def initial_for(cls, answers) -> dict:
        """The form filled in with answers kept before (an `OrganisationDiversity`)."""
        initial = {"may_publish": "yes" if answers.may_publish else "no"}
        for answered in answers.areas:
            area, answer = answered.area, answered.answer
            initial[f"{area.key}_reply"] = answer.reply
            initial[f"{area.key}_lived_experience"] = answer.lived_experience
            initial[f"{area.key}_geography"] = answer.geography
            for group, option in answer.choices():
                initial[cls.group_field(area, group)] = option.code
        return initial

    @property
    def areas(self) -> list[AreaFields]:
        return [
            AreaFields(
                area=area,
                reply=self[f"{area.key}_reply"],
                groups=[
                    GroupChoice(group, self[self.group_field(area, group)])
                    for group in diversity.POPULATION_GROUPS
                ],
                lived_experience=self[f"{area.key}_lived_experience"],
                geography=self[f"{area.key}_geography"],
            )
            for area in diversity.AREAS
        ]

    def answer(self, area: diversity.Area) -> diversity.AreaAnswer:
        data = self.cleaned_data
        codes = [data.get(self.group_field(area, g)) for g in diversity.POPULATION_GROUPS]
        return diversity.AreaAnswer(
            reply=data.get(f"{area.key}_reply", ""),
            codes=tuple(c for c in codes if c),
            lived_experience=data.get(f"{area.key}_lived_experience", ""),
            geography=data.get(f"{area.key}_geography", ""),
        )

    def clean(self):
        data = super().clean()
        for area in diversity.AREAS:
            if f"{area.key}_reply" not in data:
                continue
            for part, message in diversity.problems(area, self.answer(area)).items():
                # A code can only be wrong here by coming from another group's radios, which
                # the choices refuse first: what is left is said beside the question.
                field = f"{area.key}_{part}" if part != "codes" else f"{area.key}_reply"
                if field not in self.errors:
                    self.add_error(field, message)
        return data

    def add_service_error(self, error: ValidationError) -> None:
        """The service's refusal beside the question it is about, or above the form."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, errors in error.error_dict.items():
            field = name.replace("_codes", "_reply")
            self.add_error(field if field in self.fields else None, errors)

    def service_arguments(self) -> dict:
        return {
            "financial_year": self.cleaned_data["financial_year"],
            "leadership": self.answer(diversity.AREA["leadership"]),
            "mission": self.answer(diversity.AREA["mission"]),
            "may_publish": self.cleaned_data["may_publish"],
        }
