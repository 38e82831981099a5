"""Reach beside population: shares of the published counts, groups added up from them, and what
is marked under-reached, what is too few people to judge, and what is never judged."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from sla_monitor.equality import BY_CODE
from sla_monitor.reach import JUDGED_FROM, compare

SEX = BY_CODE["sex"]
RACE = BY_CODE["race"]


def _row(table, code):
    return next(r for r in (*table.rows, *table.unanswered) if r.code == code)


def test_shares_are_of_those_who_answered_and_set_beside_the_population():
    table = compare(
        SEX,
        {"female": 60, "male": 30, "prefer-not-to-say": 5, "not-known": 5},
        population={"female": Decimal("51.0"), "male": Decimal("49.0")},
        tolerance=Decimal("5"),
    )
    female, male = _row(table, "female"), _row(table, "male")
    assert (female.reached, female.share, female.population) == (60, Decimal("66.7"), 51)
    assert (male.share, male.difference, male.under_reached) == (
        Decimal("33.3"),
        Decimal("-15.7"),
        True,
    )
    assert not female.under_reached
    assert table.total == 100


def test_within_the_tolerance_is_not_under_reached():
    table = compare(
        SEX, {"female": 55, "male": 50}, {"male": Decimal("51")}, tolerance=Decimal("5")
    )
    assert not _row(table, "male").under_reached


def test_a_count_under_10_is_not_judged_however_far_below_the_population():
    table = compare(
        RACE,
        {"white-british": 90, "asian-indian": 5, "black-african": 0, "not-known": 5},
        {"asian-indian": Decimal("20"), "black-african": Decimal("3"), "white": Decimal("50")},
        tolerance=Decimal("0"),
    )
    indian, african = _row(table, "asian-indian"), _row(table, "black-african")
    assert (indian.reached, indian.share, indian.too_few, indian.under_reached) == (
        5,
        Decimal("5.3"),
        True,
        False,
    )
    assert (african.too_few, african.under_reached) == (True, False)
    # 90 is enough people to judge, and well over the population's share.
    white = _row(table, "white")
    assert (white.too_few, white.under_reached) == (False, False)
    assert JUDGED_FROM == 10


def test_a_group_is_the_sum_of_its_categories_and_is_judged_like_them():
    counts = {"white-british": 80, "asian-indian": 10, "black-african": 5, "mixed-other": 10}
    table = compare(RACE, counts, {"ethnic-minority": Decimal("30")}, Decimal("2"))
    minority = _row(table, "ethnic-minority")
    assert (minority.reached, minority.share) == (25, Decimal("23.8"))
    assert minority.under_reached
    assert _row(table, "black").reached == 5
    assert _row(table, "asian").reached == 10


def test_a_row_with_no_share_is_never_judged():
    """Everyone counted was unanswered: nothing to divide by, so nothing to judge."""
    table = compare(SEX, {"not-known": 20}, {"female": Decimal("51")}, Decimal("1"))
    female = _row(table, "female")
    assert (female.share, female.difference, female.under_reached, female.too_few) == (
        None,
        None,
        False,
        False,
    )


def test_no_figures_at_all_compares_nothing():
    table = compare(SEX, {}, {"female": Decimal("51")}, Decimal("5"))
    assert table.total == 0
    assert not table.counted
    assert all(r.share is None for r in table.rows)
    assert not table.under_reached


published_counts = st.dictionaries(
    st.sampled_from(RACE.codes), st.integers(min_value=0, max_value=40).map(lambda n: 5 * n)
)
shares = st.dictionaries(
    st.sampled_from(RACE.comparable),
    st.decimals(min_value=0, max_value=100, places=1),
)


@settings(max_examples=300, deadline=None)
@given(published_counts, shares, st.decimals(min_value=0, max_value=5, places=1))
def test_a_row_marked_under_reached_has_a_share_enough_people_and_a_difference(
    counts, population, tolerance
):
    table = compare(RACE, counts, population, tolerance)
    for row in table.rows:
        if row.under_reached:
            assert row.share is not None and row.reached >= JUDGED_FROM
            assert row.difference < -tolerance
        assert not (row.under_reached and row.too_few)
