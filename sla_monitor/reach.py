"""Who a service reached, set beside the area's population, as it may be shown outside the provider.

`compare()` turns one characteristic's published counts (`sla_monitor.suppression`: rounded to a
multiple of 5 in each return, summed over any set of returns) and, where the council recorded
them, its population shares into the rows of a table: each category and each group, the people
reached, their share, the population's share and the difference, marked where a group is
under-reached by more than the council's tolerance.

Everything here is worked out from the published counts alone, never from a true one, so the
table says nothing the rounded figures do not:
- a group's count is the sum of its categories' counts;
- shares are of the people whose answer is known (everyone counted but *Prefer not to say* and
  *Not known*);
- a row is judged under-reached only when its count is at least `JUDGED_FROM`: below that it may
  be a handful of people rounded up or down, so it is "not judged: too few people". A row with
  no share (no one answered) is never judged.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sla_monitor.equality import UNANSWERED, Characteristic
from sla_monitor.suppression import BASE

ONE_PLACE = Decimal("0.1")
# A published count below 10 may stand for a single person (a 5 is anything from 1 to 9).
JUDGED_FROM = 2 * BASE


def percentage(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Row:
    code: str
    label: str
    is_group: bool
    reached: int  # published: a sum of rounded counts
    share: Decimal | None  # of those who answered; None when no one did
    population: Decimal | None  # the area's share, where recorded
    under_reached: bool
    too_few: bool = False  # compared with the population, but too few people to judge

    @property
    def difference(self) -> Decimal | None:
        if self.share is None or self.population is None:
            return None
        return self.share - self.population

    @property
    def compared(self) -> bool:
        return self.population is not None


@dataclass(frozen=True)
class CharacteristicReach:
    characteristic: Characteristic
    total: int  # the people counted for this characteristic, published
    rows: tuple[Row, ...]  # answered categories, then groups
    unanswered: tuple[Row, ...]  # Prefer not to say, Not known
    not_collected_returns: int = 0

    @property
    def under_reached(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.under_reached)

    @property
    def counted(self) -> bool:
        return bool(self.total)


def compare(
    characteristic: Characteristic,
    counts: Mapping[str, int],
    population: Mapping[str, Decimal] | None = None,
    tolerance: Decimal | None = None,
    not_collected_returns: int = 0,
) -> CharacteristicReach:
    """One characteristic's table. `counts` maps category codes to published people (missing =
    0); the total is their sum, which the sum rule on returns makes the people counted."""
    population = population or {}
    value = {code: int(counts.get(code, 0)) for code in characteristic.codes}
    total = sum(value.values())
    basis = total - sum(value[code] for code in UNANSWERED)

    def row(code: str, label: str, is_group: bool, count: int) -> Row:
        share = percentage(count, basis)
        pop = population.get(code)
        judging = pop is not None and tolerance is not None and share is not None
        too_few = judging and count < JUDGED_FROM
        under = judging and not too_few and share < pop - tolerance
        return Row(code, label, is_group, count, share, pop, under, too_few)

    rows = [row(c.code, c.label, False, value[c.code]) for c in characteristic.answered]
    for group in characteristic.groups:
        rows.append(row(group.code, group.label, True, sum(value[m] for m in group.members)))
    unanswered = tuple(
        Row(code, characteristic.label(code), False, value[code], None, None, False)
        for code in UNANSWERED
    )
    return CharacteristicReach(
        characteristic, total, tuple(rows), unanswered, not_collected_returns=not_collected_returns
    )
