"""The categories equality figures are counted in: by returns, population profiles, reports.

The nine protected characteristics of the Equality Act 2010 (section 4), in the Act's order, each
with the categories the Government Statistical Service's harmonised standards and the 2021 Census
for England and Wales use, so that what providers count can be set beside the area's population.
Every characteristic also has *Prefer not to say* and *Not known*: people are never made to answer,
and a provider records what it was told.

A *group* joins categories that figures are often published by: the 2021 Census's five high-level
ethnic groups, the "ethnic minorities" (every group but White British, what older documents call
BME), disabled people, LGB+. A population share may be given for a category or for a group.

Only counts of people are ever stored against these categories, never a person.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from itertools import combinations

from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

PREFER_NOT_TO_SAY = "prefer-not-to-say"
NOT_KNOWN = "not-known"
UNANSWERED = (PREFER_NOT_TO_SAY, NOT_KNOWN)


@dataclass(frozen=True)
class Category:
    code: str
    label: str


@dataclass(frozen=True)
class Group:
    """Categories published together, such as a high-level ethnic group."""

    code: str
    label: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class Characteristic:
    code: str
    name: str
    question: str
    categories: tuple[Category, ...]
    groups: tuple[Group, ...] = field(default=())
    hint: str = ""

    @property
    def answered(self) -> tuple[Category, ...]:
        """The categories of an answer, without *Prefer not to say* and *Not known*."""
        return tuple(c for c in self.categories if c.code not in UNANSWERED)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.categories)

    def label(self, code: str) -> str:
        """The label of a category or a group."""
        for item in (*self.categories, *self.groups):
            if item.code == code:
                return item.label
        raise KeyError(code)

    def members(self, code: str) -> tuple[str, ...]:
        """The categories a category (itself) or a group stands for."""
        for group in self.groups:
            if group.code == code:
                return group.members
        if code in self.codes:
            return (code,)
        raise KeyError(code)

    @property
    def comparable(self) -> tuple[str, ...]:
        """The codes a population share may be given for: answered categories, then groups."""
        return tuple(c.code for c in self.answered) + tuple(g.code for g in self.groups)


def _categories(*pairs: tuple[str, str]) -> tuple[Category, ...]:
    return (
        *(Category(code, label) for code, label in pairs),
        Category(PREFER_NOT_TO_SAY, _("Prefer not to say")),
        Category(NOT_KNOWN, _("Not known")),
    )


_ETHNIC_GROUPS = {
    "asian": (
        _("Asian, Asian British or Asian Welsh"),
        [
            ("asian-bangladeshi", _("Bangladeshi")),
            ("asian-chinese", _("Chinese")),
            ("asian-indian", _("Indian")),
            ("asian-pakistani", _("Pakistani")),
            ("asian-other", _("Any other Asian background")),
        ],
    ),
    "black": (
        _("Black, Black British, Black Welsh, Caribbean or African"),
        [
            ("black-african", _("African")),
            ("black-caribbean", _("Caribbean")),
            ("black-other", _("Any other Black, Black British or Caribbean background")),
        ],
    ),
    "mixed": (
        _("Mixed or Multiple ethnic groups"),
        [
            ("mixed-white-asian", _("White and Asian")),
            ("mixed-white-black-african", _("White and Black African")),
            ("mixed-white-black-caribbean", _("White and Black Caribbean")),
            ("mixed-other", _("Any other Mixed or Multiple background")),
        ],
    ),
    "white": (
        _("White"),
        [
            ("white-british", _("English, Welsh, Scottish, Northern Irish or British")),
            ("white-irish", _("Irish")),
            ("white-gypsy-traveller", _("Gypsy or Irish Traveller")),
            ("white-roma", _("Roma")),
            ("white-other", _("Any other White background")),
        ],
    ),
    "other": (
        _("Other ethnic group"),
        [("other-arab", _("Arab")), ("other-any", _("Any other ethnic group"))],
    ),
}

_ETHNIC_CATEGORIES = tuple(
    Category(code, format_lazy(_("{group}: {category}"), group=group_label, category=label))
    for group_label, members in _ETHNIC_GROUPS.values()
    for code, label in members
)

CHARACTERISTICS: tuple[Characteristic, ...] = (
    Characteristic(
        "age",
        _("Age"),
        _("Age"),
        _categories(
            ("under-16", _("Under 16")),
            ("16-24", _("16 to 24")),
            ("25-34", _("25 to 34")),
            ("35-49", _("35 to 49")),
            ("50-64", _("50 to 64")),
            ("65-74", _("65 to 74")),
            ("75-over", _("75 and over")),
        ),
        groups=(Group("65-over", _("65 and over"), ("65-74", "75-over")),),
    ),
    Characteristic(
        "disability",
        _("Disability"),
        _("Disability (the Equality Act 2010's definition)"),
        _categories(
            ("limited-a-lot", _("Disabled: day-to-day activities limited a lot")),
            ("limited-a-little", _("Disabled: day-to-day activities limited a little")),
            ("not-disabled", _("Not disabled")),
        ),
        groups=(Group("disabled", _("Disabled"), ("limited-a-lot", "limited-a-little")),),
        hint=_(
            "Disabled: a physical or mental health condition or illness lasting, or expected to "
            "last, 12 months or more that reduces the person's ability to carry out day-to-day "
            "activities."
        ),
    ),
    Characteristic(
        "gender-reassignment",
        _("Gender reassignment"),
        _("Gender identity the same as sex registered at birth"),
        _categories(
            ("same", _("Yes, the same as registered at birth")),
            ("different", _("No, different from registered at birth")),
        ),
    ),
    Characteristic(
        "marriage-civil-partnership",
        _("Marriage and civil partnership"),
        _("Legal partnership status"),
        _categories(
            ("never", _("Never married and never registered a civil partnership")),
            ("married", _("Married or in a civil partnership")),
            ("separated", _("Separated, but still legally married or in a civil partnership")),
            ("divorced", _("Divorced or civil partnership dissolved")),
            ("widowed", _("Widowed or surviving civil partnership partner")),
        ),
    ),
    Characteristic(
        "pregnancy-maternity",
        _("Pregnancy and maternity"),
        _("Pregnant, or had a baby in the last 26 weeks"),
        _categories(("yes", _("Yes")), ("no", _("No"))),
    ),
    Characteristic(
        "race",
        _("Race"),
        _("Ethnic group (2021 Census)"),
        (
            *_ETHNIC_CATEGORIES,
            Category(PREFER_NOT_TO_SAY, _("Prefer not to say")),
            Category(NOT_KNOWN, _("Not known")),
        ),
        groups=(
            *(
                Group(code, label, tuple(c for c, _label in members))
                for code, (label, members) in _ETHNIC_GROUPS.items()
            ),
            Group(
                "ethnic-minority",
                _("Ethnic minorities (every group but White British)"),
                tuple(c.code for c in _ETHNIC_CATEGORIES if c.code != "white-british"),
            ),
        ),
    ),
    Characteristic(
        "religion-belief",
        _("Religion or belief"),
        _("Religion or belief (2021 Census)"),
        _categories(
            ("none", _("No religion")),
            ("christian", _("Christian")),
            ("buddhist", _("Buddhist")),
            ("hindu", _("Hindu")),
            ("jewish", _("Jewish")),
            ("muslim", _("Muslim")),
            ("sikh", _("Sikh")),
            ("other", _("Any other religion")),
        ),
    ),
    Characteristic(
        "sex",
        _("Sex"),
        _("Sex"),
        _categories(("female", _("Female")), ("male", _("Male"))),
    ),
    Characteristic(
        "sexual-orientation",
        _("Sexual orientation"),
        _("Sexual orientation (2021 Census)"),
        _categories(
            ("straight", _("Straight or heterosexual")),
            ("gay-lesbian", _("Gay or lesbian")),
            ("bisexual", _("Bisexual")),
            ("other", _("Another sexual orientation")),
        ),
        groups=(
            Group(
                "lgb-plus",
                _("Gay, lesbian, bisexual or another"),
                ("gay-lesbian", "bisexual", "other"),
            ),
        ),
    ),
)

BY_CODE: dict[str, Characteristic] = {c.code: c for c in CHARACTERISTICS}
CHARACTERISTIC_CHOICES = [(c.code, c.name) for c in CHARACTERISTICS]


def characteristic(code: str) -> Characteristic:
    return BY_CODE[code]


def is_category(characteristic_code: str, category_code: str) -> bool:
    found = BY_CODE.get(characteristic_code)
    return found is not None and category_code in found.codes


def is_comparable(characteristic_code: str, code: str) -> bool:
    """Whether a population share may be given for this category or group."""
    found = BY_CODE.get(characteristic_code)
    return found is not None and code in found.comparable


# A population profile's shares ------------------------------------------------------------------

ROUNDING = Decimal("1.0")  # percentage points a complete set of shares may miss 100 by


def partitions(found: Characteristic) -> list[tuple[str, ...]]:
    """The ways of dividing everyone into categories and groups that do not overlap: the answered
    categories, and each set of non-overlapping groups with the categories they leave out."""
    answered = [c.code for c in found.answered]
    result = [tuple(answered)]
    for size in range(1, len(found.groups) + 1):
        for chosen in combinations(found.groups, size):
            covered = [m for g in chosen for m in g.members]
            if len(covered) != len(set(covered)):
                continue
            rest = tuple(c for c in answered if c not in covered)
            result.append(tuple(g.code for g in chosen) + rest)
    return result


def share_errors(characteristic_code: str, shares: dict[str, Decimal]) -> list[str]:
    """What is wrong with the population shares given for one characteristic, if anything: each
    share is a percentage, shares that do not overlap make at most 100%, and a complete set
    makes 100% (within a point for rounding)."""
    found = BY_CODE[characteristic_code]
    errors = []
    for code, share in shares.items():
        if code not in found.comparable:
            errors.append(
                gettext("%(characteristic)s has no category or group “%(code)s”.")
                % {"characteristic": found.name, "code": code}
            )
        elif not 0 <= share <= 100:
            errors.append(
                gettext("%(label)s: a share is a percentage from 0 to 100.")
                % {"label": found.label(code)}
            )
    if errors:
        return errors
    for partition in partitions(found):
        given = [shares[code] for code in partition if code in shares]
        if not given:
            continue
        total = sum(given, Decimal(0))
        labels = gettext(", ").join(str(found.label(code)) for code in partition if code in shares)
        if total > 100 + ROUNDING:
            errors.append(
                gettext(
                    "%(characteristic)s: %(labels)s make %(total)s%% of the population, more "
                    "than 100%%."
                )
                % {"characteristic": found.name, "labels": labels, "total": total}
            )
        elif len(given) == len(partition) and abs(total - 100) > ROUNDING:
            errors.append(
                gettext(
                    "%(characteristic)s: %(labels)s cover everyone but make %(total)s%%, not 100%%."
                )
                % {"characteristic": found.name, "labels": labels, "total": total}
            )
    return errors


# The groups beyond the protected characteristics and socio-economic disadvantage that a council
# may choose for its equality impact assessments to consider (`Organisation.assessment_groups`):
# code and name. `equality_plans.groups` builds its groups from them.
OPTIONAL_ASSESSMENT_GROUPS: tuple[tuple[str, str], ...] = (
    ("welsh-language", _("The Welsh language")),
    ("carers", _("Carers")),
    ("armed-forces", _("The armed forces community")),
)
