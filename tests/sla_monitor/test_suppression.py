"""Random rounding to base 5: every figure a multiple of 5, unbiased, adding up within a return,
stable for the same figures, and no count from 1 to 4 that the published figures give away."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sla_monitor.suppression import (
    BASE,
    publish_return,
    round_cells,
    round_return,
    rounding_key,
    start,
)

KEY = rounding_key("a secret for the tests")
STARTS = range(BASE)


def test_a_multiple_of_5_is_never_changed_and_zero_stays_zero():
    for u in STARTS:
        assert round_cells([0, 5, 10, 0, 35], u) == (0, 5, 10, 0, 35)


def test_the_cells_round_up_where_a_point_falls_in_their_segment():
    # Residues 3, 2, 4 laid end to end: [0, 3), [3, 5), [5, 9). From u = 4 the points are 4
    # and 9: the second segment holds one, the others none.
    assert round_cells([3, 22, 4], 4) == (0, 25, 0)
    # From u = 0 the points are 0 and 5: the first and the third.
    assert round_cells([3, 22, 4], 0) == (5, 20, 5)


def test_the_people_reached_round_up_when_the_start_is_below_their_residue():
    assert [round_return(29, {}, u).people for u in STARTS] == [30, 30, 30, 30, 25]
    assert [round_return(3, {}, u).people for u in STARTS] == [5, 5, 5, 0, 0]


def test_a_negative_count_or_a_start_out_of_range_is_refused():
    with pytest.raises(ValueError):
        round_cells([-1, 6], 0)
    with pytest.raises(ValueError):
        round_cells([1], 5)


def test_the_start_is_the_same_for_the_same_return_and_people_and_differs_by_key():
    assert start(KEY, 7, 37) == start(KEY, 7, 37)
    assert {start(KEY, 7, people) for people in range(40)} == set(STARTS)
    other = rounding_key("another site's secret")
    assert [start(KEY, n, 12) for n in range(50)] != [start(other, n, 12) for n in range(50)]


def test_the_same_figures_always_publish_the_same_way():
    counts = {"sex": [3, 21, 0, 13], "age": [1, 2, 4, 25, 5]}
    first = publish_return(37, counts, key=KEY, return_id=12)
    assert all(publish_return(37, counts, key=KEY, return_id=12) == first for _ in range(5))


def test_starts_are_spread_evenly_over_returns():
    starts = [start(KEY, n, 37) for n in range(5000)]
    for u in STARTS:
        assert 900 < starts.count(u) < 1100


def test_over_many_keys_each_figure_is_on_average_its_true_value():
    counts = {"sex": [3, 21, 0, 13], "age": [1, 2, 4, 25, 5]}
    runs = [
        publish_return(37, counts, key=rounding_key(f"secret {n}"), return_id=1)
        for n in range(4000)
    ]
    assert abs(sum(r.people for r in runs) / len(runs) - 37) < 0.25
    for code, cells in counts.items():
        for i, true in enumerate(cells):
            mean = sum(r.counts[code][i] for r in runs) / len(runs)
            assert abs(mean - true) < 0.25, (code, i, mean)


# Properties ----------------------------------------------------------------------------------


@st.composite
def returns(draw, most=20):
    """A small return: its people reached, one to three characteristics of two to five
    categories each adding up to them, and a start."""
    people = draw(st.integers(min_value=0, max_value=most))
    tables = {}
    for n in range(draw(st.integers(min_value=1, max_value=3))):
        size = draw(st.integers(min_value=2, max_value=5))
        cuts = sorted(draw(st.lists(st.integers(0, people), min_size=size - 1, max_size=size - 1)))
        tables[f"c{n}"] = [b - a for a, b in zip([0, *cuts], [*cuts, people], strict=True)]
    return people, tables, draw(st.integers(min_value=0, max_value=BASE - 1))


@settings(max_examples=300, deadline=None)
@given(returns(most=200))
def test_every_figure_is_a_neighbouring_multiple_of_5_and_each_characteristic_adds_up(ret):
    people, tables, u = ret
    published = round_return(people, tables, u)
    assert published.people % BASE == 0 and abs(published.people - people) < BASE
    for code, cells in tables.items():
        rounded = published.counts[code]
        assert sum(rounded) == published.people
        for true, shown in zip(cells, rounded, strict=True):
            assert shown % BASE == 0 and abs(shown - true) < BASE
            if true % BASE == 0:
                assert shown == true


@settings(max_examples=300, deadline=None)
@given(returns(most=200))
def test_over_the_five_starts_each_figure_averages_exactly_its_true_value(ret):
    people, tables, _ = ret
    runs = [round_return(people, tables, u) for u in STARTS]
    assert sum(r.people for r in runs) == BASE * people
    for code, cells in tables.items():
        for i, true in enumerate(cells):
            assert sum(r.counts[code][i] for r in runs) == BASE * true


def _tables_rounding_to(published: tuple[int, ...], people: int, u: int) -> list[tuple[int, ...]]:
    """Every table of counts adding up to `people` that rounds to `published` from start u,
    found by trying each count within 4 of its published value (no other can round to it)."""
    found = []

    def walk(prefix: tuple[int, ...], segment_start: int, remaining: int):
        j = len(prefix)
        if j == len(published):
            if remaining == 0:
                found.append(prefix)
            return
        shown = published[j]
        for value in range(max(0, shown - BASE + 1), min(shown + BASE - 1, remaining) + 1):
            if round_cells((value,), (u - segment_start) % BASE)[0] == shown:
                walk((*prefix, value), segment_start + value % BASE, remaining - value)

    walk((), 0, people)
    return found


def _what_a_reader_cannot_rule_out(published) -> dict[tuple[int, int], dict[str, list]]:
    """Every return (people reached and tables, with a start) that publishes exactly `published`:
    by (people, start), the tables of each characteristic that fit."""
    candidates = {}
    for people in range(max(0, published.people - BASE + 1), published.people + BASE):
        for u in STARTS:
            if round_cells((people,), u)[0] != published.people:
                continue
            fits = {
                code: _tables_rounding_to(cells, people, u)
                for code, cells in published.counts.items()
            }
            if all(fits.values()):
                candidates[(people, u)] = fits
    return candidates


@settings(max_examples=200, deadline=None)
@given(returns())
def test_no_count_from_1_to_4_can_be_worked_out_from_a_returns_published_figures(ret):
    """For each true count from 1 to 4 (people reached or a cell) there is another return, with
    another value there, that some start publishes exactly as this one is published: the sum
    rule within the return does not pin it down."""
    people, tables, u = ret
    candidates = _what_a_reader_cannot_rule_out(round_return(people, tables, u))

    # The search finds the return itself among those it cannot rule out.
    assert all(tuple(cells) in candidates[(people, u)][c] for c, cells in tables.items())
    if 1 <= people < BASE:
        assert {p for p, _ in candidates} != {people}
    for code, cells in tables.items():
        for i, true in enumerate(cells):
            if 1 <= true < BASE:
                values = {table[i] for fits in candidates.values() for table in fits[code]}
                assert values != {true}, (people, tables, u, code, i)
