"""Who a service reached, set beside the area's population, as it may be shown outside the provider.

`compare()` turns one characteristic's counts (summed over any set of returns) and, where the
council recorded them, its population shares into the rows of a table: each category and each
group, the people reached (through `sla_monitor.suppression`), their share, the population's share
and the difference, marked where a group is under-reached by more than the council's tolerance.

What may be shown follows the suppression rule:
- a category's count as `suppress()` publishes it;
- a group's count only when it could be worked out from what is shown anyway (all its categories
  are shown, or all the others are), as "fewer than 5" if it is 1 to 4;
- shares are of the people whose answer is known (not *Prefer not to say* or *Not known*) when
  those two counts are shown, and otherwise of everyone counted, so that no share gives a hidden
  count away; a hidden count's share is hidden.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sla_monitor.equality import UNANSWERED, Characteristic
from sla_monitor.suppression import Published, PublishedTable, Shown, publish, suppress

ONE_PLACE = Decimal("0.1")


def percentage(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Row:
    code: str
    label: str
    is_group: bool
    reached: Published
    share: Decimal | None  # of the basis below; None when hidden or nothing to divide by
    population: Decimal | None  # the area's share, where recorded
    under_reached: bool

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
    total: Published  # the people counted for this characteristic
    rows: tuple[Row, ...]  # answered categories, then groups
    unanswered: tuple[Row, ...]  # Prefer not to say, Not known
    shares_of_everyone: bool  # shares are of everyone counted, not of those who answered
    not_collected_returns: int = 0

    @property
    def withheld(self) -> bool:
        return any(r.reached.shown is Shown.WITHHELD for r in self.rows)

    @property
    def under_reached(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.under_reached)

    @property
    def counted(self) -> bool:
        return self.total.shown is not Shown.VALUE or bool(self.total.value)


def compare(
    characteristic: Characteristic,
    counts: Mapping[str, int],
    population: Mapping[str, Decimal] | None = None,
    tolerance: Decimal | None = None,
    not_collected_returns: int = 0,
) -> CharacteristicReach:
    """One characteristic's table. `counts` maps category codes to people (missing = 0); the
    total is their sum, which the sum rule on returns makes the people counted."""
    population = population or {}
    codes = characteristic.codes
    values = [int(counts.get(code, 0)) for code in codes]
    total = sum(values)
    table = suppress(values, total)
    published = dict(zip(codes, table.cells, strict=True))
    value = dict(zip(codes, values, strict=True))

    unanswered_shown = all(published[code].visible for code in UNANSWERED)
    basis = total - sum(value[code] for code in UNANSWERED) if unanswered_shown else total

    def row(code: str, label: str, is_group: bool, reached: Published, count: int) -> Row:
        share = percentage(count, basis) if reached.visible else None
        pop = population.get(code)
        # A "fewer than 5" is known to be small already: saying it is under-reached adds nothing.
        judged = reached.shown in (Shown.VALUE, Shown.SMALL) and basis
        under = bool(judged and pop is not None and tolerance is not None) and (
            percentage(count, basis) < pop - tolerance
        )
        return Row(code, label, is_group, reached, share, pop, under)

    rows = [
        row(c.code, c.label, False, published[c.code], value[c.code])
        for c in characteristic.answered
    ]
    for group in characteristic.groups:
        count = sum(value[m] for m in group.members)
        rows.append(
            row(
                group.code,
                group.label,
                True,
                _group_count(table, codes, group.members, count),
                count,
            )
        )
    unanswered = tuple(
        Row(code, characteristic.label(code), False, published[code], None, None, False)
        for code in UNANSWERED
    )
    return CharacteristicReach(
        characteristic,
        table.total,
        tuple(rows),
        unanswered,
        shares_of_everyone=not unanswered_shown,
        not_collected_returns=not_collected_returns,
    )


def _group_count(
    table: PublishedTable, codes: tuple[str, ...], members: tuple[str, ...], count: int
) -> Published:
    """A group's count, shown only when what is shown already gives it away."""
    if table.withheld or not table.total.visible:
        return Published(Shown.WITHHELD, None)
    inside = [cell for code, cell in zip(codes, table.cells, strict=True) if code in members]
    outside = [cell for code, cell in zip(codes, table.cells, strict=True) if code not in members]
    if all(c.visible for c in inside) or all(c.visible for c in outside):
        return publish(count)
    return Published(Shown.HIDDEN, None)
