from decimal import Decimal

import pytest

from grants.rag import Measure, Rag, rag_status, target_to_date

PER_QUARTER_COUNT = Measure("count", Decimal("4"), "quarter", Decimal("25"))
PER_YEAR_COUNT = Measure("count", Decimal("3"), "year", Decimal("34"))
PERCENTAGE = Measure("percentage", Decimal("75"), "year", Decimal("10"))
MILESTONE = Measure("milestone", None, "none", Decimal("0"))
NARRATIVE = Measure("narrative", None, "none", Decimal("0"))
NO_TARGET_COUNT = Measure("count", None, "none", Decimal("10"))


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        (Decimal("4"), Rag.GREEN),
        (Decimal("6"), Rag.GREEN),
        (Decimal("3"), Rag.AMBER),  # 25% tolerance of 4 is 1
        (Decimal("2"), Rag.RED),
        (Decimal("0"), Rag.RED),
        (None, Rag.RED),
    ],
)
def test_count_per_quarter(actual, expected):
    assert rag_status(PER_QUARTER_COUNT, quarter=2, actual=actual) == expected


@pytest.mark.parametrize(
    ("quarter", "year_to_date", "expected"),
    [
        # 3 events a year: the pro-rata target is 0.75 after Q1, 1.5 after Q2, 2.25, then 3,
        # each rounded to a whole event: 1, 2, 2, 3.
        (1, Decimal("1"), Rag.GREEN),
        (1, Decimal("0"), Rag.RED),
        (2, Decimal("1"), Rag.RED),  # 1 of 2: more than 34% below
        (2, Decimal("2"), Rag.GREEN),
        (3, Decimal("2"), Rag.GREEN),  # 2 expected by the end of Q3, 2 delivered
        (3, Decimal("1"), Rag.RED),
        (4, Decimal("3"), Rag.GREEN),
        (4, Decimal("2"), Rag.AMBER),
        (4, Decimal("1"), Rag.RED),
    ],
)
def test_count_per_year_is_judged_on_the_cumulative_total_pro_rata(quarter, year_to_date, expected):
    assert (
        rag_status(PER_YEAR_COUNT, quarter=quarter, actual=Decimal("0"), year_to_date=year_to_date)
        == expected
    )


def test_pro_rata_target_to_date():
    assert [target_to_date(PER_YEAR_COUNT, q) for q in (1, 2, 3, 4)] == [
        Decimal("1"),
        Decimal("2"),
        Decimal("2"),
        Decimal("3"),
    ]
    six_a_year = Measure("count", Decimal("6"), "year", Decimal("34"))
    assert [target_to_date(six_a_year, q) for q in (1, 2, 3, 4)] == [2, 3, 5, 6]
    assert target_to_date(PER_QUARTER_COUNT, 3) == Decimal("4")


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        (Decimal("75"), Rag.GREEN),
        (Decimal("100"), Rag.GREEN),
        (Decimal("67.5"), Rag.AMBER),  # exactly 10% below 75
        (Decimal("67.49"), Rag.RED),
        (None, Rag.RED),
    ],
)
def test_percentage_is_compared_with_its_target_each_quarter(actual, expected):
    assert rag_status(PERCENTAGE, quarter=1, actual=actual) == expected


@pytest.mark.parametrize(
    ("achieved", "quarter", "expected"),
    [
        (True, 1, Rag.GREEN),
        (True, 4, Rag.GREEN),
        (False, 1, Rag.AMBER),
        (False, 3, Rag.AMBER),
        (False, 4, Rag.RED),
        (None, 2, Rag.RED),
    ],
)
def test_milestone_is_green_when_done(achieved, quarter, expected):
    assert rag_status(MILESTONE, quarter=quarter, achieved=achieved) == expected


@pytest.mark.parametrize(
    ("narrative", "expected"),
    [("Casework summary for the quarter.", Rag.GREEN), ("", Rag.RED), ("   ", Rag.RED)],
)
def test_narrative_is_green_when_given_and_red_when_missing(narrative, expected):
    assert rag_status(NARRATIVE, quarter=1, narrative=narrative) == expected


def test_a_narrative_not_given_at_all_is_red():
    assert rag_status(NARRATIVE, quarter=1) == Rag.RED


def test_a_count_without_a_target_has_no_rag():
    assert rag_status(NO_TARGET_COUNT, quarter=1, actual=Decimal("5")) is None


def test_zero_tolerance_makes_anything_below_target_red():
    strict = Measure("count", Decimal("4"), "quarter", Decimal("0"))
    assert rag_status(strict, quarter=1, actual=Decimal("3.99")) == Rag.RED
