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


# Directions, profiles and ranges --------------------------------------------------------------

D = Decimal


def _profile(*figures):
    return tuple(D(f) for f in figures)


COMPLAINTS = Measure("count", D("2"), "quarter", D("50"), direction="lower")
NO_COMPLAINTS = Measure("count", D("0"), "quarter", D("50"), direction="lower")
SATISFIED = Measure(
    "percentage", D("60"), "quarter", D("10"), direction="range", upper_bound=D("80")
)
PROFILED_YEAR = Measure("count", D("4"), "year", D("0"), profile=_profile(1, 2, 0, 1))
PROFILED_QUARTERS = Measure("count", D("4"), "quarter", D("25"), profile=_profile(3, 5, 4, 4))


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        (D("0"), Rag.GREEN),
        (D("2"), Rag.GREEN),  # at the target
        (D("3"), Rag.AMBER),  # 50% above 2 is 3: within the tolerance
        (D("3.01"), Rag.RED),
        (D("4"), Rag.RED),
        (None, Rag.RED),
    ],
)
def test_lower_is_better_is_green_at_or_below_and_amber_within_tolerance_above(actual, expected):
    assert rag_status(COMPLAINTS, quarter=1, actual=actual) == expected


@pytest.mark.parametrize(("actual", "expected"), [(D("0"), Rag.GREEN), (D("1"), Rag.RED)])
def test_a_zero_target_lower_is_better_has_no_room_above_it(actual, expected):
    assert rag_status(NO_COMPLAINTS, quarter=3, actual=actual) == expected


def test_tolerance_below_does_not_excuse_lower_is_better():
    # Below the target is the better side: never amber, however far.
    assert rag_status(COMPLAINTS, quarter=1, actual=D("0")) == Rag.GREEN


def test_tolerance_above_does_not_excuse_higher_is_better_above_the_target():
    assert rag_status(PER_QUARTER_COUNT, quarter=1, actual=D("400")) == Rag.GREEN


def test_lower_is_better_per_year_count_is_judged_to_date():
    # No more than 8 a year: 2 by Q1, 4 by Q2, 6 by Q3, 8 by Q4.
    incidents = Measure("count", D("8"), "year", D("25"), direction="lower")
    assert rag_status(incidents, quarter=2, year_to_date=D("4")) == Rag.GREEN
    assert rag_status(incidents, quarter=2, year_to_date=D("5")) == Rag.AMBER
    assert rag_status(incidents, quarter=2, year_to_date=D("6")) == Rag.RED


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        (D("60"), Rag.GREEN),  # the lower edge
        (D("80"), Rag.GREEN),  # the upper edge
        (D("70"), Rag.GREEN),
        (D("54"), Rag.AMBER),  # 10% below 60
        (D("53.99"), Rag.RED),
        (D("88"), Rag.AMBER),  # 10% above 80
        (D("88.01"), Rag.RED),
        (None, Rag.RED),
    ],
)
def test_a_range_is_green_inside_and_amber_within_tolerance_outside(actual, expected):
    assert rag_status(SATISFIED, quarter=2, actual=actual) == expected


def test_a_per_year_range_scales_both_bounds_to_date():
    volunteers = Measure("count", D("8"), "year", D("0"), direction="range", upper_bound=D("12"))
    assert target_to_date(volunteers, 2) == D("4")
    assert rag_status(volunteers, quarter=2, year_to_date=D("6")) == Rag.GREEN
    assert rag_status(volunteers, quarter=2, year_to_date=D("7")) == Rag.RED
    assert rag_status(volunteers, quarter=2, year_to_date=D("3")) == Rag.RED


def test_a_cumulative_profile_expects_its_sum_to_date():
    assert [target_to_date(PROFILED_YEAR, q) for q in (1, 2, 3, 4)] == [1, 3, 3, 4]


@pytest.mark.parametrize(
    ("quarter", "year_to_date", "expected"),
    [
        (1, D("1"), Rag.GREEN),
        (1, D("0"), Rag.RED),
        (2, D("2"), Rag.RED),  # 3 expected after Q2, and no tolerance
        (3, D("3"), Rag.GREEN),  # nothing more expected in Q3
        (4, D("3"), Rag.RED),
        (4, D("4"), Rag.GREEN),
    ],
)
def test_a_profiled_year_is_judged_on_its_profile(quarter, year_to_date, expected):
    assert rag_status(PROFILED_YEAR, quarter=quarter, year_to_date=year_to_date) == expected


def test_a_per_quarter_profile_sets_each_quarters_target():
    assert [target_to_date(PROFILED_QUARTERS, q) for q in (1, 2, 3, 4)] == [3, 5, 4, 4]
    assert rag_status(PROFILED_QUARTERS, quarter=1, actual=D("3")) == Rag.GREEN
    assert rag_status(PROFILED_QUARTERS, quarter=2, actual=D("4")) == Rag.AMBER
    assert rag_status(PROFILED_QUARTERS, quarter=2, actual=D("3")) == Rag.RED


def test_without_a_profile_a_per_year_count_stays_pro_rata():
    assert [target_to_date(PER_YEAR_COUNT, q) for q in (1, 2, 3, 4)] == [1, 2, 2, 3]


def test_a_rag_status_reads_in_the_readers_language():
    from django.utils import translation

    from grants.rag import Rag

    assert Rag.AMBER.label == "Amber"
    with translation.override("cy"):
        assert Rag.AMBER.label == translation.gettext("Amber") != "Amber"
