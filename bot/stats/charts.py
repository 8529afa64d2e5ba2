"""Charts drawn on the server with matplotlib (Agg), from cells only.

A suppressed cell is drawn as an empty, hatched outline on the axis labelled "<5": its bar
height never encodes the small number. Y ticks are multiples of 5 so that no axis label
can be read as a suppressed count either.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")  # no display on a server; must precede pyplot-free Figure use

from matplotlib.figure import Figure
from matplotlib.ticker import MultipleLocator

from bot.stats.report import SUPPRESSED, Cell


def weekly_figure(series: Sequence[tuple[str, Cell]], title: str, suppressed_note: str) -> Figure:
    """A bar chart of one count per week."""
    figure = Figure(figsize=(8, 3.2), dpi=100)
    axes = figure.add_subplot()
    labels = [week for week, _ in series]
    heights = [cell.value or 0 for _, cell in series]
    bars = axes.bar(range(len(series)), heights, color="#2f6f8f")
    for index, (bar, (_, cell)) in enumerate(zip(bars, series, strict=True)):
        if cell.suppressed:
            bar.set_hatch("//")
            bar.set_facecolor("none")
            bar.set_edgecolor("#777777")
            axes.annotate(SUPPRESSED, (index, 0), xytext=(0, 3), textcoords="offset points",
                          ha="center", fontsize=8, color="#555555")
        elif cell.value:
            axes.annotate(cell.display, (index, cell.value), xytext=(0, 3),
                          textcoords="offset points", ha="center", fontsize=8)
    axes.set_xticks(range(len(series)), labels, rotation=45, ha="right", fontsize=8)
    top = max(10.0, max([*heights, 0]) * 1.2)
    axes.set_ylim(0, top)
    # Ticks on multiples of 5 (at most about six of them), never 1–4.
    axes.yaxis.set_major_locator(MultipleLocator(5 * max(1, math.ceil(top / 30))))
    axes.set_title(title, fontsize=10)
    figure.text(0.01, 0.01, suppressed_note, fontsize=7, color="#555555")
    figure.tight_layout()
    return figure


def to_png(figure: Figure) -> bytes:
    """Render a figure to PNG bytes."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def to_svg(figure: Figure) -> bytes:
    """Render a figure to SVG bytes, with text kept as text (accessible, searchable)."""
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        figure.savefig(buffer, format="svg")
    return buffer.getvalue()
