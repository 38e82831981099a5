"""Money arithmetic for agreements. Amounts are Decimal pounds, exact to the penny."""

from decimal import Decimal

PENNY = Decimal("0.01")


def split_allocation(total: Decimal, *, years: int, instalments_per_year: int = 2) -> list[Decimal]:
    """Split an agreement's total into equal instalments, `instalments_per_year` a year
    (`split_evenly`)."""
    if years < 1 or instalments_per_year < 1:
        raise ValueError("An allocation is split over at least one year and one instalment.")
    return split_evenly(total, parts=years * instalments_per_year)


def split_evenly(total: Decimal, *, parts: int) -> list[Decimal]:
    """Split a total into `parts` equal amounts.

    Every amount is the total divided equally, rounded down to the penny. The pennies that
    division leaves over are added one each to the last amounts, the final one first, so the
    amounts always add up to the total exactly, no two differ by more than a penny, and no
    penny is paid earlier than an equal split would pay it.
    """
    if parts < 1:
        raise ValueError("An allocation is split into at least one instalment.")
    if total < 0:
        raise ValueError("An allocation cannot be negative.")
    if total != total.quantize(PENNY):
        raise ValueError("An allocation is a whole number of pennies.")

    total_pennies = int(total / PENNY)
    base, left_over = divmod(total_pennies, parts)
    pennies = [base] * (parts - left_over) + [base + 1] * left_over
    return [(Decimal(p) * PENNY).quantize(PENNY) for p in pennies]


def annual_amounts(total: Decimal, *, years: int, instalments_per_year: int = 2) -> list[Decimal]:
    """The amount paid in each year of the agreement: the sum of that year's instalments."""
    instalments = split_allocation(total, years=years, instalments_per_year=instalments_per_year)
    return [
        sum(instalments[i : i + instalments_per_year], Decimal("0.00"))
        for i in range(0, len(instalments), instalments_per_year)
    ]
