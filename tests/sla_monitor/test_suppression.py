"""The small-number rule: nothing from 1 to 4 shown, and no hidden count can be worked out."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sla_monitor.suppression import THRESHOLD, Shown, publish, suppress


def _texts(counts):
    table = suppress(counts)
    return [c.text for c in table.cells], table.total.text


def test_counts_of_5_and_more_and_zeros_are_shown_as_they_are():
    assert _texts([12, 0, 5]) == (["12", "0", "5"], "17")


def test_a_count_from_1_to_4_reads_fewer_than_5_and_a_second_cell_hides_it():
    cells, total = _texts([3, 20, 40])
    assert cells == ["fewer than 5", "hidden", "40"]
    assert total == "63"


def test_two_small_counts_protect_each_other_when_enough_is_hidden():
    cells, _ = _texts([2, 3, 40, 50])
    assert cells[:2] == ["fewer than 5", "fewer than 5"]
    assert cells[2:] == ["40", "50"]


def test_the_smallest_other_count_is_hidden_not_a_zero():
    cells, _ = _texts([1, 0, 9, 30])
    # A zero hidden beside a 1 would give it away (0 + 1 is the only way to make 1).
    assert cells == ["fewer than 5", "0", "hidden", "30"]


def test_a_table_no_choice_protects_is_withheld_whole_with_nothing_marked_small():
    # 1 and 5 make 6: hiding both still leaves 1 + 5 as the only answer.
    cells, total = _texts([1, 5, 0, 0])
    assert cells == ["withheld"] * 4
    assert total == "6"


def test_a_total_under_5_hides_every_cell():
    cells, total = _texts([2, 1, 0])
    assert total == "fewer than 5"
    assert set(cells) == {"withheld"}


def test_a_single_figure_under_5_reads_fewer_than_5_and_zero_is_zero():
    assert publish(4).text == "fewer than 5"
    assert publish(0).text == "0"
    assert publish(5).text == "5"


def test_counts_that_do_not_make_the_total_are_refused():
    with pytest.raises(ValueError):
        suppress([1, 2], total=4)
    with pytest.raises(ValueError):
        suppress([-1, 6])


# Properties ----------------------------------------------------------------------------------


def _consistent(table, upper_total: int):
    """Every table of counts a reader who knows the rule would find consistent with `table`,
    found by trying them all (independent of the rule's own reasoning)."""
    size = len(table.cells)
    totals = [table.total.value] if table.total.visible else list(range(1, THRESHOLD))
    found = []

    def allowed(cell, value, total):
        if cell.shown is Shown.VALUE:
            return value == cell.value
        if cell.shown is Shown.SMALL:
            return 0 < value < THRESHOLD
        if cell.shown is Shown.HIDDEN:
            return value == 0 or value >= THRESHOLD
        return True

    def walk(prefix, remaining, total):
        index = len(prefix)
        if index == size:
            if remaining == 0:
                found.append(tuple(prefix))
            return
        for value in range(remaining + 1):
            if allowed(table.cells[index], value, total):
                walk([*prefix, value], remaining - value, total)

    for total in totals:
        walk([], total, total)
    return found


tables = st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=5)


@settings(max_examples=300, deadline=None)
@given(tables)
def test_no_count_from_1_to_4_is_ever_shown(counts):
    table = suppress(counts)
    for count, cell in zip(counts, table.cells, strict=True):
        if cell.visible:
            assert cell.value == count
            assert not 0 < count < THRESHOLD
    if table.total.visible:
        assert table.total.value == sum(counts)


@settings(max_examples=300, deadline=None)
@given(tables)
def test_no_hidden_count_can_be_worked_out_from_the_total_and_the_counts_shown(counts):
    table = suppress(counts)
    consistent = _consistent(table, sum(counts))
    assert tuple(counts) in consistent
    for index, cell in enumerate(table.cells):
        if not cell.visible:
            values = {candidate[index] for candidate in consistent}
            assert len(values) > 1, (counts, index, [c.text for c in table.cells])


@settings(max_examples=200, deadline=None)
@given(tables)
def test_a_table_with_nothing_small_is_shown_whole(counts):
    if not any(0 < c < THRESHOLD for c in counts) and not 0 < sum(counts) < THRESHOLD:
        assert not suppress(counts).suppressed
