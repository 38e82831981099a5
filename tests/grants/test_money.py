from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grants.money import annual_amounts, split_allocation

PENNY = Decimal("0.01")


def test_four_years_of_100000_is_25000_a_year_in_two_instalments_of_12500():
    assert split_allocation(Decimal("100000.00"), years=4) == [Decimal("12500.00")] * 8
    assert annual_amounts(Decimal("100000.00"), years=4) == [Decimal("25000.00")] * 4


def test_a_total_that_does_not_divide_still_sums_to_the_penny():
    instalments = split_allocation(Decimal("100000.01"), years=3)

    assert len(instalments) == 6
    assert sum(instalments) == Decimal("100000.01")
    assert instalments[0] == Decimal("16666.66")
    assert instalments[-1] == Decimal("16666.67")


def test_left_over_pennies_are_paid_last_never_first():
    instalments = split_allocation(Decimal("0.05"), years=4)

    assert instalments == [Decimal("0.00")] * 3 + [Decimal("0.01")] * 5


def test_one_year_split_into_two_instalments():
    assert split_allocation(Decimal("25000.01"), years=1) == [
        Decimal("12500.00"),
        Decimal("12500.01"),
    ]


@pytest.mark.parametrize(
    ("total", "years", "message"),
    [
        (Decimal("-1.00"), 4, "An allocation cannot be negative."),
        (Decimal("100.001"), 4, "An allocation is a whole number of pennies."),
        (Decimal("100.00"), 0, "An allocation is split over at least one year and one instalment."),
    ],
)
def test_impossible_splits_are_refused(total, years, message):
    with pytest.raises(ValueError) as refused:
        split_allocation(total, years=years)
    assert str(refused.value) == message


@given(
    pennies=st.integers(min_value=0, max_value=10**11),
    years=st.integers(min_value=1, max_value=10),
    per_year=st.integers(min_value=1, max_value=4),
)
def test_instalments_always_sum_to_the_total_and_differ_by_at_most_a_penny(
    pennies, years, per_year
):
    total = Decimal(pennies) * PENNY
    instalments = split_allocation(total, years=years, instalments_per_year=per_year)

    assert len(instalments) == years * per_year
    assert sum(instalments) == total
    assert max(instalments) - min(instalments) <= PENNY
    assert all(amount == amount.quantize(PENNY) for amount in instalments)
    assert instalments == sorted(instalments)
    annual = annual_amounts(total, years=years, instalments_per_year=per_year)
    assert sum(annual) == total
    assert max(annual) - min(annual) <= PENNY * per_year
