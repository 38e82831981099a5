"""Reach beside population: what shows, what is hidden, and what is marked under-reached."""

from decimal import Decimal

from sla_monitor.equality import BY_CODE
from sla_monitor.reach import compare

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
    assert (female.reached.text, female.share, female.population) == ("60", Decimal("66.7"), 51)
    assert (male.share, male.difference, male.under_reached) == (
        Decimal("33.3"),
        Decimal("-15.7"),
        True,
    )
    assert not female.under_reached
    assert table.total.text == "100"
    assert not table.shares_of_everyone


def test_within_the_tolerance_is_not_under_reached():
    table = compare(
        SEX, {"female": 53, "male": 47}, {"male": Decimal("51")}, tolerance=Decimal("5")
    )
    assert not _row(table, "male").under_reached


def test_a_small_count_hides_its_share_and_a_second_cell_and_the_basis_moves_to_everyone():
    table = compare(SEX, {"female": 40, "male": 20, "prefer-not-to-say": 3})
    assert _row(table, "prefer-not-to-say").reached.text == "fewer than 5"
    hidden = [r for r in table.rows if r.reached.text == "hidden"]
    assert len(hidden) == 1 and hidden[0].share is None
    # "Prefer not to say" is hidden, so shares are of everyone counted (63), not of 60.
    assert table.shares_of_everyone
    shown = next(r for r in table.rows if r.reached.visible and not r.is_group)
    assert shown.share == (Decimal(shown.reached.value) * 100 / 63).quantize(Decimal("0.1"))


def test_a_group_shows_only_when_what_is_shown_gives_it_away_anyway():
    counts = {"white-british": 80, "asian-indian": 9, "black-african": 3, "mixed-other": 12}
    table = compare(RACE, counts, {"ethnic-minority": Decimal("7.6")}, Decimal("2"))
    assert _row(table, "black-african").reached.text == "fewer than 5"
    assert _row(table, "asian-indian").reached.text == "hidden"
    minority = _row(table, "ethnic-minority")
    # Every category outside it (White British and the unanswered) is shown: 104 - 80 = 24.
    assert minority.reached.text == "24"
    assert minority.share == Decimal("23.1")
    assert not minority.under_reached
    # The Black and Asian groups each hold one hidden count: either sum would give both away.
    assert _row(table, "black").reached.text == "hidden"
    assert _row(table, "asian").reached.text == "hidden"
    assert _row(table, "mixed").reached.text == "12"


def test_no_figures_at_all_compares_nothing():
    table = compare(SEX, {}, {"female": Decimal("51")}, Decimal("5"))
    assert table.total.text == "0"
    assert not table.counted
    assert all(r.share is None for r in table.rows)
    assert not table.under_reached
