"""The people a return's service worked with: the rule its figures follow, when they are complete,
and how they are shown.

A provider gives the people it worked with in the quarter and, for each protected characteristic
(`sla_monitor.equality`), how many of them fall in each category, or says it did not collect that
characteristic and why. Each characteristic's counts add up to the people reached.

The provider sees its own figures as it entered them. Anyone else reads the published figures,
rounded to multiples of 5 when the provider saved them (`sla_monitor.suppression`), and stored
beside the true ones.
"""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_noop, ngettext
from django.utils.translation import gettext_lazy as _

from grants.models import BeneficiaryCount, CharacteristicNotCollected
from sla_monitor import suppression
from sla_monitor.equality import CHARACTERISTICS, Category, Characteristic, Group, partitions

SECTION = _("People you worked with")
NOT_STARTED = gettext_noop("Not started")
IN_PROGRESS = gettext_noop("In progress")
COMPLETED = gettext_noop("Completed")


def largest_count() -> int:
    """The largest count its column holds on every database Django supports: SQLite would take
    more, PostgreSQL's integer column does not."""
    column = BeneficiaryCount._meta.get_field("count").get_internal_type()
    return BaseDatabaseOperations.integer_field_ranges[column][1]


REASON_LENGTH = CharacteristicNotCollected._meta.get_field("reason").max_length


# The names of a section's inputs: one box per category, and for each characteristic a
# "not collected" tick with its reason. Category codes hold hyphens, never two underscores.
PEOPLE_REACHED = "people_reached"


def count_name(characteristic: str, category: str) -> str:
    return f"{characteristic}__{category}"


def not_collected_name(characteristic: str) -> str:
    return f"{characteristic}__not_collected"


def reason_name(characteristic: str) -> str:
    return f"{characteristic}__reason"


def first_box(characteristic: Characteristic) -> str:
    return count_name(characteristic.code, characteristic.categories[0].code)


def headed_groups(characteristic: Characteristic) -> tuple[Group, ...]:
    """The groups that divide the answered categories between them with none left over (the
    2021 Census's five high-level ethnic groups), under which a form lists the categories;
    none for a characteristic whose groups only pick some out (such as "65 and over")."""
    groups = {g.code: g for g in characteristic.groups}
    for partition in partitions(characteristic):
        if len(partition) > 1 and all(code in groups for code in partition):
            return tuple(groups[code] for code in partition)
    return ()


@dataclass(frozen=True)
class Heading:
    """Categories asked together: under a group's name, or (group None) on their own."""

    group: Group | None
    categories: tuple[Category, ...]

    def short_label(self, category: Category) -> str:
        """A category's label under its group's heading, without the group's name."""
        if self.group is None:
            return category.label
        return category.label.removeprefix(f"{self.group.label}: ")


def headings(characteristic: Characteristic) -> list[Heading]:
    grouped = headed_groups(characteristic)
    if not grouped:
        return [Heading(None, characteristic.categories)]
    by_code = {c.code: c for c in characteristic.categories}
    result = [Heading(g, tuple(by_code[code] for code in g.members)) for g in grouped]
    placed = {code for g in grouped for code in g.members}
    rest = tuple(c for c in characteristic.categories if c.code not in placed)
    return [*result, Heading(None, rest)] if rest else result


# The rule ----------------------------------------------------------------------------------


def _whole_number_error(value, what: str, largest: int) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return gettext("%(what)s: enter a whole number, like 12") % {"what": what}
    if value < 0:
        return gettext("%(what)s: the number cannot be less than 0") % {"what": what}
    if value > largest:
        return gettext("%(what)s: enter a number no bigger than %(largest)s") % {
            "what": what,
            "largest": number_format(largest, force_grouping=True),
        }
    return None


def figure_errors(
    *,
    people_reached: int | None,
    counts: Mapping[str, Mapping[str, int | None]],
    not_collected: Mapping[str, str],
) -> dict[str, list[str]]:
    """What is wrong with a section's figures, keyed by input name, or by characteristic code
    for a characteristic's counts as a whole; empty when nothing is.

    `counts` holds a characteristic's boxes (None for a blank box, read as 0 once any box of
    the characteristic is filled in); `not_collected` the characteristics said not to be
    collected, with the reason given. A characteristic with every box blank is not answered
    yet: allowed while the return is a draft."""
    largest = largest_count()
    errors: dict[str, list[str]] = defaultdict(list)
    by_code = {c.code: c for c in CHARACTERISTICS}
    for code in {*counts, *not_collected} - set(by_code):
        errors["__all__"].append(
            gettext("There is no protected characteristic “%(code)s”.") % {"code": code}
        )
    if people_reached is None:
        errors[PEOPLE_REACHED].append(
            gettext("Enter how many people you worked with in the quarter")
        )
    elif problem := _whole_number_error(people_reached, gettext("People you worked with"), largest):
        errors[PEOPLE_REACHED].append(problem)
    reached = people_reached if PEOPLE_REACHED not in errors else None
    for characteristic in CHARACTERISTICS:
        code = characteristic.code
        if code in not_collected:
            reason = (not_collected[code] or "").strip()
            if not reason:
                errors[reason_name(code)].append(
                    gettext("%(characteristic)s: say why you did not collect it")
                    % {"characteristic": characteristic.name}
                )
            elif len(reason) > REASON_LENGTH:
                errors[reason_name(code)].append(
                    gettext(
                        "%(characteristic)s: the reason must be %(most)s characters or fewer "
                        "(it has %(length)s)"
                    )
                    % {
                        "characteristic": characteristic.name,
                        "most": REASON_LENGTH,
                        "length": number_format(len(reason), force_grouping=True),
                    }
                )
            continue
        boxes = counts.get(code, {})
        for category in set(boxes) - set(characteristic.codes):
            errors["__all__"].append(
                gettext("%(characteristic)s has no category “%(category)s”.")
                % {"characteristic": characteristic.name, "category": category}
            )
        given, valid = 0, True
        for category in characteristic.categories:
            value = boxes.get(category.code)
            if value is None:
                continue
            what = gettext("%(characteristic)s, %(category)s") % {
                "characteristic": characteristic.name,
                "category": category.label,
            }
            if problem := _whole_number_error(value, what, largest):
                errors[count_name(code, category.code)].append(problem)
                valid = False
            else:
                given += value
        answered = any(boxes.get(c) is not None for c in characteristic.codes)
        if answered and valid and reached is not None and given != reached:
            errors[code].append(
                ngettext(
                    "%(characteristic)s: the numbers add up to %(given)s, not the %(reached)s "
                    "person you worked with",
                    "%(characteristic)s: the numbers add up to %(given)s, not the %(reached)s "
                    "people you worked with",
                    reached,
                )
                % {
                    "characteristic": characteristic.name,
                    "given": number_format(given, force_grouping=True),
                    "reached": number_format(reached, force_grouping=True),
                }
            )
    return dict(errors)


# Publishing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Published:
    """A return's figures as anyone but its provider reads them."""

    people_reached: int
    counts: dict[str, dict[str, int]]  # by characteristic, then category


def publish(
    *, return_id: int, people_reached: int, counts: Mapping[str, Mapping[str, int]]
) -> Published:
    """The return's figures rounded to multiples of 5 (`sla_monitor.suppression`), from a start
    drawn with a key of the site's secret. `counts` holds the characteristics answered, each with
    its categories (a missing one is 0)."""
    key = suppression.rounding_key(settings.SECRET_KEY)
    ordered = {
        characteristic.code: [counts[characteristic.code].get(c, 0) for c in characteristic.codes]
        for characteristic in CHARACTERISTICS
        if characteristic.code in counts
    }
    rounded = suppression.publish_return(people_reached, ordered, key=key, return_id=return_id)
    by_code = {c.code: c for c in CHARACTERISTICS}
    return Published(
        rounded.people,
        {
            code: dict(zip(by_code[code].codes, cells, strict=True))
            for code, cells in rounded.counts.items()
        },
    )


# A return's section, as stored ------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    label: str
    count: int


@dataclass(frozen=True)
class CharacteristicShown:
    characteristic: Characteristic
    rows: tuple[Row, ...] = ()
    not_collected: str | None = None  # the reason, when it was not collected


@dataclass(frozen=True)
class Shown:
    """A section as one person may see it: as entered (its provider) or published."""

    as_entered: bool
    people_reached: int | None  # None until given
    characteristics: tuple[CharacteristicShown, ...]

    @property
    def given(self) -> bool:
        return self.people_reached is not None


@dataclass
class Section:
    """The figures a return holds: `people_reached` None until given; counts of the
    characteristics answered, by category; the reasons of those not collected; and the
    published figures beside the true ones."""

    people_reached: int | None = None
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    not_collected: dict[str, str] = field(default_factory=dict)
    published: Published = field(default_factory=lambda: Published(0, {}))

    def answered(self, characteristic: Characteristic) -> bool:
        code = characteristic.code
        return code in self.not_collected or code in self.counts or self.people_reached == 0

    @property
    def missing(self) -> list[tuple[str, str]]:
        """What a submission still needs, as (input name, what to do), in the page's order."""
        if self.people_reached is None:
            return [
                (PEOPLE_REACHED, gettext("Enter how many people you worked with in the quarter"))
            ]
        return [
            (
                first_box(c),
                gettext("Give the numbers for %(characteristic)s, or say you did not collect them")
                % {"characteristic": c.name.lower()},
            )
            for c in CHARACTERISTICS
            if not self.answered(c)
        ]

    @property
    def status(self) -> str:
        if self.people_reached is None:
            return NOT_STARTED
        return IN_PROGRESS if self.missing else COMPLETED

    def shown(self, *, as_entered: bool) -> Shown:
        people = self.people_reached
        if people is not None and not as_entered:
            people = self.published.people_reached
        return Shown(
            as_entered=as_entered,
            people_reached=people,
            characteristics=tuple(self._shown(c, as_entered) for c in CHARACTERISTICS),
        )

    def _shown(self, characteristic: Characteristic, as_entered: bool) -> CharacteristicShown:
        code = characteristic.code
        if code in self.not_collected:
            return CharacteristicShown(characteristic, not_collected=self.not_collected[code])
        if self.people_reached is None or not self.answered(characteristic):
            return CharacteristicShown(characteristic)
        given = (self.counts if as_entered else self.published.counts).get(code, {})
        return CharacteristicShown(
            characteristic,
            tuple(Row(c.label, given.get(c.code, 0)) for c in characteristic.categories),
        )
