"""Charts drawn on the server by matplotlib as SVG, so the web page and the PDF show the same
picture. Text stays text in the SVG, so the PDF can be searched and read back."""

import hashlib
import io
import itertools
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from sla_monitor.figures import Figure, Kind
from sla_monitor.models import ChartDrawing

GREEN, BLUE, GREY, BLACK, WHITE = "#00703c", "#1d70b8", "#505a5f", "#0b0c0c", "#ffffff"
LABEL_SIZE = 8  # points, for every text of a chart
GAP = 2  # points between a value's label and the bar it belongs to
CLEARANCE = 2  # points kept clear between a label and the target line's markers and segments
_chart_numbers = itertools.count(1)


@dataclass(frozen=True)
class BarAndTarget:
    """What a bar and target chart shows: the figures, the words and how the numbers read."""

    labels: tuple[str, ...]
    values: tuple[Decimal | None, ...]
    targets: tuple[Decimal | None, ...]
    title: str
    value_label: str
    target_label: str = "Target"
    kind: Kind = Kind.NUMBER

    @property
    def key(self) -> str:
        """The same for two charts exactly when they show the same thing (and the drawing code
        is the same: `DRAWING` moves on when it changes)."""
        shown = [DRAWING, self.labels, [_exact(v) for v in self.values]]
        shown += [[_exact(t) for t in self.targets], self.title, self.value_label]
        shown += [self.target_label, str(self.kind)]
        # A word given lazily for translation is kept as the reader's language reads it.
        return hashlib.sha256(json.dumps(shown, default=str).encode()).hexdigest()


DRAWING = 1  # the version of the drawing code: move it on when the pictures change


def _exact(number: Decimal | None) -> str | None:
    return None if number is None else str(Decimal(number).normalize())


def bar_and_target_chart(
    *,
    labels: Sequence[str],
    values: Sequence[Decimal | None],
    targets: Sequence[Decimal | None],
    title: str,
    value_label: str,
    target_label: str | None = None,
    kind: Kind = Kind.NUMBER,
) -> SafeString:
    """Bars for the values given (a gap where none was) and a line for the target, as SVG.
    `kind` says how the numbers read (`sla_monitor.figures`): a count's axis keeps to whole
    numbers and a percentage's carries "%"."""
    chart = BarAndTarget(
        tuple(labels),
        tuple(values),
        tuple(targets),
        title,
        value_label,
        target_label or gettext("Target"),
        kind,
    )
    return bar_and_target_charts([chart])[0]


def bar_and_target_charts(charts: Sequence[BarAndTarget]) -> list[SafeString]:
    """The charts as SVG, each drawn once ever: drawings already made are read in one query,
    and only charts never drawn before are drawn (matplotlib takes tens of milliseconds each)
    and kept."""
    wanted = {chart.key: chart for chart in charts}
    kept = dict(ChartDrawing.objects.filter(key__in=wanted).values_list("key", "svg"))
    drawn = [
        ChartDrawing(key=key, svg=_drawing(chart))
        for key, chart in wanted.items()
        if key not in kept
    ]
    if drawn:
        # Two requests drawing the same chart at once keep one drawing; both show it.
        ChartDrawing.objects.bulk_create(drawn, ignore_conflicts=True)
        kept.update((d.key, d.svg) for d in drawn)
    # Made here from matplotlib's output, with the title and description escaped.
    return [mark_safe(_unique_ids(kept[chart.key])) for chart in charts]  # nosec B308 B703


def _drawing(chart: BarAndTarget) -> str:
    figure = draw_bar_and_target(
        labels=chart.labels,
        values=chart.values,
        targets=chart.targets,
        value_label=chart.value_label,
        target_label=chart.target_label,
        kind=chart.kind,
    )
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return _accessible_svg(
        _presentation_attributes(buffer.getvalue()),
        chart.title,
        _description(chart.labels, chart.values, chart.targets, chart.kind),
    )


def draw_bar_and_target(*, labels, values, targets, value_label, target_label, kind):
    """The chart as a matplotlib figure. Each value's label sits just above its bar unless the
    target line passes there; then inside the top of the bar, if the bar is tall enough, or
    else above the line; so no label ever touches the line."""
    # matplotlib takes a third of a second to import: only the processes that draw pay for it.
    from matplotlib import rcParams
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure as Drawing
    from matplotlib.ticker import MaxNLocator, PercentFormatter

    rcParams["svg.fonttype"] = "none"
    rcParams["svg.hashsalt"] = "sla-monitor"
    figure = Drawing(figsize=(6.4, 2.3), dpi=100)
    FigureCanvasAgg(figure)  # measures the labels' text to place them
    axes = figure.subplots()
    positions = list(range(len(labels)))
    heights = [float(v) if v is not None else 0.0 for v in values]
    bars = axes.bar(positions, heights, color=BLUE, width=0.55, label=value_label)
    line = None
    if any(t is not None for t in targets):
        (line,) = axes.plot(
            positions,
            [float(t) if t is not None else float("nan") for t in targets],
            color=GREEN,
            marker="o",
            linewidth=2,
            label=target_label,
        )
    axes.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=kind == Kind.COUNT))
    if kind == Kind.PERCENTAGE:
        axes.yaxis.set_major_formatter(PercentFormatter(xmax=100, decimals=0))
    axes.set_xticks(positions, labels, fontsize=LABEL_SIZE)
    axes.tick_params(axis="y", labelsize=LABEL_SIZE, colors=GREY)
    axes.spines[["top", "right"]].set_visible(False)
    # The legend sits above the plot, where no bar or label can reach it.
    axes.legend(
        fontsize=LABEL_SIZE,
        frameon=False,
        loc="lower left",
        bbox_to_anchor=(0, 1.0),
        ncols=2,
        borderaxespad=0.2,
    )
    # Room for the y-axis labels: with text kept as text, the reader's font sets their width.
    figure.subplots_adjust(left=0.09, right=0.99, top=0.86, bottom=0.12)
    texts = [
        axes.annotate(
            "not given" if value is None else str(Figure(Decimal(value), kind)),
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            ha="center",
            fontsize=LABEL_SIZE,
            xytext=(0, GAP),
            textcoords="offset points",
            annotation_clip=False,
        )
        for bar, value in zip(bars, values, strict=True)
    ]
    top = max([*heights, *(float(t) for t in targets if t is not None), 1.0])
    axes.set_ylim(0, top * 1.25)
    for _ in range(4):  # a label pushed above the line may need a taller axis to stay inside it
        _place_value_labels(figure, axes, bars, texts, line)
        highest = max((t.get_window_extent().y1 for t in texts), default=0)
        if highest <= axes.get_window_extent().y1:
            break
        axes.set_ylim(0, axes.get_ylim()[1] * 1.2)
    return figure


def _place_value_labels(figure, axes, bars, texts, line) -> None:
    points = figure.dpi / 72  # pixels per point
    renderer = figure.canvas.get_renderer()
    crossings = line.get_ydata() if line is not None else []
    for index, (bar, text) in enumerate(zip(bars, texts, strict=True)):
        x, height = bar.get_x() + bar.get_width() / 2, bar.get_height()
        text.xy = (x, height)
        text.set_color(BLACK)
        _set(text, va="bottom", offset=GAP)
        if not touches_line(text, line, renderer, points):
            continue
        text_height = text.get_window_extent(renderer).height
        bar_height = axes.transData.transform((x, height))[1] - axes.transData.transform((x, 0))[1]
        if bar_height >= text_height + 2 * GAP * points:
            _set(text, va="top", offset=-GAP)
            text.set_color(WHITE)
            if not touches_line(text, line, renderer, points):
                continue
            text.set_color(BLACK)
        # Above the line where it crosses the bar, and higher still while the line is steep.
        crossing = crossings[index]
        text.xy = (x, height if math.isnan(crossing) else max(height, crossing))
        offset = GAP + CLEARANCE + line.get_markersize() / 2
        _set(text, va="bottom", offset=offset)
        for _ in range(100):
            if not touches_line(text, line, renderer, points):
                break
            offset += GAP
            _set(text, va="bottom", offset=offset)


def _set(text, *, va: str, offset: float) -> None:
    text.set_va(va)
    text.xyann = (0, offset)


def touches_line(text, line, renderer, points: float) -> bool:
    """The label, with room for the line's markers and a clearance around it, meets the line."""
    from matplotlib.path import Path

    if line is None:
        return False
    margin = (line.get_markersize() / 2 + line.get_linewidth() / 2 + CLEARANCE) * points
    box = text.get_window_extent(renderer).padded(margin)
    corners = line.get_transform().transform(line.get_xydata())
    for (x0, y0), (x1, y1) in itertools.pairwise(corners):
        if math.isnan(y0) or math.isnan(y1):
            continue
        if Path([(x0, y0), (x1, y1)]).intersects_bbox(box, filled=False):
            return True
    return any(box.contains(x, y) for x, y in corners if not math.isnan(y))


def _description(labels, values, targets, kind: Kind) -> str:
    parts = []
    for label, value, target in zip(labels, values, targets, strict=True):
        given = gettext("not given") if value is None else str(Figure(Decimal(value), kind))
        if target is None:
            parts.append(gettext("%(label)s: %(value)s") % {"label": label, "value": given})
        else:
            parts.append(
                gettext("%(label)s: %(value)s (target %(target)s)")
                % {"label": label, "value": given, "target": Figure(Decimal(target), kind)}
            )
    return gettext("%(parts)s.") % {"parts": gettext("; ").join(parts)}


_STYLE = re.compile(r'style="([^"]*)"')
_ID = re.compile(r'id="([^"]+)"')


def _presentation_attributes(svg: str) -> str:
    """`style="fill: #fff; stroke: #000"` as `fill="#fff" stroke="#000"`: the same drawing,
    in the form every SVG renderer reads, browsers and WeasyPrint alike."""

    def attributes(match: re.Match) -> str:
        pairs = [item.split(":", 1) for item in match.group(1).split(";") if ":" in item]
        return " ".join(f'{name.strip()}="{value.strip()}"' for name, value in pairs)

    # matplotlib's one style sheet sets the line joins for everything; as attributes of the root
    # they are inherited the same way, and a Content Security Policy allows them.
    svg = re.sub(r"<style[^>]*>.*?</style>", "", svg, flags=re.DOTALL)
    svg = svg.replace("<svg ", '<svg stroke-linejoin="round" stroke-linecap="butt" ', 1)
    return _STYLE.sub(attributes, svg)


def _unique_ids(svg: str) -> str:
    """matplotlib numbers its ids the same way in every chart; a page with several charts
    needs them unique, or one chart's clip path clips another."""
    prefix = f"c{next(_chart_numbers)}-"
    identifiers = set(_ID.findall(svg))
    if not identifiers:
        return svg
    # Each id, and each reference to one (`url(#id)`, `href="#id"`), in one pass over the text.
    named = re.compile(
        r'(id="|#)('
        + "|".join(map(re.escape, sorted(identifiers, key=len, reverse=True)))
        + r')(?=[")])'
    )
    return named.sub(lambda m: f"{m[1]}{prefix}{m[2]}", svg)


def _accessible_svg(svg: str, title: str, description: str) -> SafeString:
    """The SVG element alone, announced as one image with a title and a text description."""
    start = svg.index("<svg")
    svg = svg[start:]
    svg = re.sub(
        r"<svg ",
        f'<svg role="img" aria-label="{escape(title)}" ',
        svg,
        count=1,
    )
    svg = re.sub(
        r"(<svg[^>]*>)",
        rf"\1<title>{escape(title)}</title><desc>{escape(description)}</desc>",
        svg,
        count=1,
    )
    # matplotlib's own output, with the added title and description escaped.
    return mark_safe(svg)  # nosec B308 B703
