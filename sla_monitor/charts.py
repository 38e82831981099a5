"""Charts drawn on the server by matplotlib as SVG, so the web page and the PDF show the same
picture. Text stays text in the SVG, so the PDF can be searched and read back."""

import io
import itertools
import re
from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

GREEN, BLUE, GREY, BLACK = "#00703c", "#1d70b8", "#505a5f", "#0b0c0c"
_chart_numbers = itertools.count(1)


def bar_and_target_chart(
    *,
    labels: Sequence[str],
    values: Sequence[Decimal | None],
    targets: Sequence[Decimal | None],
    title: str,
    value_label: str,
    target_label: str = "Target",
    integer: bool = False,
) -> SafeString:
    """Bars for the values given (a gap where none was) and a line for the target.
    `integer` keeps the axis to whole numbers, for counts."""
    # matplotlib takes a third of a second to import: only the processes that draw pay for it.
    from matplotlib import rcParams
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    rcParams["svg.fonttype"] = "none"
    rcParams["svg.hashsalt"] = "sla-monitor"
    figure = Figure(figsize=(6.4, 2.3), dpi=100)
    axes = figure.subplots()
    positions = list(range(len(labels)))
    heights = [float(v) if v is not None else 0.0 for v in values]
    bars = axes.bar(positions, heights, color=BLUE, width=0.55, label=value_label)
    for bar, value in zip(bars, values, strict=True):
        text = "not given" if value is None else _number(value)
        axes.annotate(
            text,
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            ha="center",
            va="bottom",
            fontsize=8,
            color=BLACK,
            xytext=(0, 2),
            textcoords="offset points",
        )
    if any(t is not None for t in targets):
        axes.plot(
            positions,
            [float(t) if t is not None else float("nan") for t in targets],
            color=GREEN,
            marker="o",
            linewidth=2,
            label=target_label,
        )
    axes.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=integer))
    axes.set_xticks(positions, labels, fontsize=8)
    axes.tick_params(axis="y", labelsize=8, colors=GREY)
    axes.spines[["top", "right"]].set_visible(False)
    top = max([*heights, *(float(t) for t in targets if t is not None), 1.0])
    axes.set_ylim(0, top * 1.25)
    axes.legend(fontsize=8, frameon=False, loc="upper left", ncols=2)
    # Room for the y-axis labels: with text kept as text, the reader's font sets their width.
    figure.subplots_adjust(left=0.09, right=0.99, top=0.97, bottom=0.12)
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return _accessible_svg(
        _unique_ids(_presentation_attributes(buffer.getvalue())),
        title,
        _description(labels, values, targets),
    )


def _number(value: Decimal) -> str:
    return f"{value:,.0f}" if value == value.to_integral() else f"{value.normalize():f}"


def _description(labels, values, targets) -> str:
    parts = []
    for label, value, target in zip(labels, values, targets, strict=True):
        given = "not given" if value is None else _number(value)
        parts.append(
            f"{label}: {given}" + ("" if target is None else f" (target {_number(target)})")
        )
    return "; ".join(parts) + "."


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
    for identifier in set(_ID.findall(svg)):
        svg = svg.replace(f'id="{identifier}"', f'id="{prefix}{identifier}"')
        svg = svg.replace(f"#{identifier})", f"#{prefix}{identifier})")
        svg = svg.replace(f'"#{identifier}"', f'"#{prefix}{identifier}"')
    return svg


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
