"""A chart's value labels never touch its target line."""

import itertools
from decimal import Decimal

import pytest

from sla_monitor.charts import draw_bar_and_target
from sla_monitor.figures import Kind

D = Decimal
CASES = {
    # 3 events a year, year to date against the exact pro rata target: Q3's 2 sat on 2.25.
    "per-year count": ([D(1), D(1), D(2), D(3)], [D("0.75"), D("1.5"), D("2.25"), D(3)]),
    "on target": ([D(1), D(2), D(2), D(3)], [D(1), D(2), D(2), D(3)]),
    "just below": ([D(70), D(74), D(75), D(73)], [D(75), D(75), D(75), D(75)]),
    "steep": ([D(1), D(10), D(30), D(31)], [D(3), D(30), D(31), D(60)]),
    "not given": ([None, D(0), D(1), None], [D(1), D(1), D(1), D(1)]),
}


def _line_points(line, steps: int = 60):
    """Points along the target line, in the figure's pixels."""
    corners = line.get_transform().transform(line.get_xydata())
    for (x0, y0), (x1, y1) in itertools.pairwise(corners):
        for n in range(steps + 1):
            yield x0 + (x1 - x0) * n / steps, y0 + (y1 - y0) * n / steps


@pytest.mark.parametrize("case", CASES)
def test_no_value_label_touches_the_target_line(case):
    values, targets = CASES[case]
    figure = draw_bar_and_target(
        labels=["Q1", "Q2", "Q3", "Q4"],
        values=values,
        targets=targets,
        value_label="Actual",
        target_label="Target",
        kind=Kind.PERCENTAGE if case == "just below" else Kind.COUNT,
    )
    axes = figure.axes[0]
    (line,) = axes.get_lines()
    renderer = figure.canvas.get_renderer()
    # Half the marker and half the line's width, in pixels.
    reach = (line.get_markersize() + line.get_linewidth()) / 2 * figure.dpi / 72
    texts = axes.texts

    assert len(texts) == 4
    for text in texts:
        box = text.get_window_extent(renderer).padded(reach)
        touching = [point for point in _line_points(line) if box.contains(*point)]
        assert not touching, f"{case}: “{text.get_text()}” touches the line"
        assert box.y1 <= axes.get_window_extent(renderer).y1 + reach, "inside the axes"


@pytest.mark.django_db
def test_charts_on_one_page_have_ids_of_their_own_and_refer_only_to_them():
    """matplotlib numbers ids the same way in every drawing: on a page of several charts, one
    chart's clip paths and markers must not be another's."""
    import re

    from sla_monitor.charts import BarAndTarget, bar_and_target_charts

    charts = [
        BarAndTarget(("Q1", "Q2", "Q3", "Q4"), tuple(values), tuple(targets), title, "Actual")
        for title, (values, targets) in CASES.items()
    ]
    svgs = bar_and_target_charts(charts + charts[:1])  # the same drawing twice on the page

    seen: set[str] = set()
    for svg in svgs:
        ids = re.findall(r'\bid="([^"]+)"', svg)
        assert ids and len(ids) == len(set(ids))
        assert not seen & set(ids), "an id is used by two charts"
        seen |= set(ids)
        references = re.findall(r'(?:url\(#|href="#)([^")]+)', svg)
        assert references and set(references) <= set(ids)
