"""Charts for the dashboard: textual-plotext plots that the owning screen feeds with plain
numbers (attributes go down: the screen calls :meth:`HistogramChart.show_values` or
:meth:`BarChart.show_bars`; the charts never read the project)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from rich.text import Text
from textual.app import RenderResult
from textual_plotext import PlotextPlot

BAR_COLOUR = "cyan"
#: rows a plot needs besides its canvas: top and bottom frame, tick labels, axis label
FRAME_ROWS = 4


def histogram_bins(
    values: Sequence[float], width: float = 10, low: float = 0, high: float = 100
) -> list[tuple[float, float, int]]:
    """(bin start, bin end, count) for bins ``[low, low+width)``, ...; the last bin also holds
    ``high`` (so 100% counts in 90-100). Values outside ``[low, high]`` widen the range by
    whole bins.

    >>> histogram_bins([0, 9.9, 10, 100], width=50)
    [(0.0, 50.0, 3), (50.0, 100.0, 1)]
    """
    if width <= 0:
        raise ValueError("bin width must be positive")
    if values:
        low = min(low, math.floor(min(values) / width) * width)
        high = max(high, math.ceil(max(values) / width) * width)
    counts = [0] * max(round((high - low) / width), 1)
    for value in values:
        counts[min(int((value - low) // width), len(counts) - 1)] += 1
    return [(float(low + i * width), float(low + (i + 1) * width), n) for i, n in enumerate(counts)]


def nice_ticks(top: float, most: int = 5) -> list[float]:
    """Round tick values from 0 to at least ``top`` (steps of 1, 2 or 5 times a power of 10).

    >>> nice_ticks(67)
    [0.0, 20.0, 40.0, 60.0, 80.0]
    """
    if top <= 0:
        return [0.0, 1.0]
    raw = top / max(most - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    if power >= 1:
        step = max(step, 1)
    count = math.ceil(top / step - 1e-9)
    return [float(i * step) for i in range(count + 1)]


def tick_label(value: float) -> str:
    return f"{value:g}"


class Chart(PlotextPlot):
    """A plot that can take focus (so it can be maximized) and shows a note when empty."""

    can_focus = True

    def _draw_empty(self, note: str) -> None:
        plt = self.plt
        plt.clear_figure()
        plt.title(note)
        plt.xticks([])
        plt.yticks([])


class HistogramChart(Chart):
    """A histogram of one number per participant, bins of 10 on a 0-100 axis."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.values: list[float] = []
        self.bins: list[tuple[float, float, int]] = []

    def show_values(
        self, values: Sequence[float], *, xlabel: str = "", empty: str = "no values yet"
    ) -> None:
        self.values = [float(v) for v in values]
        self.bins = histogram_bins(self.values) if self.values else []
        if not self.values:
            self._draw_empty(empty)
            self.refresh()
            return
        plt = self.plt
        plt.clear_figure()
        centres = [(a + b) / 2 for a, b, _n in self.bins]
        counts = [n for _a, _b, n in self.bins]
        plt.bar(centres, counts, width=0.7, marker="sd", color=BAR_COLOUR)
        edges = [self.bins[0][0], *(b for _a, b, _n in self.bins)]
        plt.xticks(edges, [tick_label(e) for e in edges])
        plt.xlim(edges[0], edges[-1])
        yticks = nice_ticks(max(counts), most=4)
        plt.yticks(yticks, [tick_label(y) for y in yticks])
        plt.ylim(0, yticks[-1] * 1.05)
        plt.xlabel(xlabel)
        self.refresh()


class BarChart(Chart):
    """Horizontal bars, one per label (top to bottom), the value written after the label.

    plotext's own horizontal bars drift off their labels, so each bar is drawn as a thick
    line on its own row and the plot is exactly as tall as the bars need (a blank row between
    bars when there is room). Bars that do not fit are left out, with a note.
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.bars: list[tuple[str, float]] = []
        self.xlabel = ""
        self.empty = "nothing to show"
        self.digits = 0

    def show_bars(
        self,
        bars: Sequence[tuple[str, float]],
        *,
        xlabel: str = "",
        empty: str = "nothing to show",
        digits: int = 0,
    ) -> None:
        self.bars = [(label, float(value)) for label, value in bars]
        self.xlabel, self.empty, self.digits = xlabel, empty, digits
        self.refresh()

    def render(self) -> RenderResult:
        width, height = self.size.width, self.size.height
        room = height - FRAME_ROWS
        if not any(v for _l, v in self.bars) or room < 1 or width < 10:
            self._draw_empty(self.empty)
            return super().render()
        shown = self.bars[:room]
        n = len(shown)
        gap = 2 if (n - 1) * 2 + 1 <= room else 1
        rows = (n - 1) * gap + 1
        plt = self.plt
        plt.clear_figure()
        for i, (_label, value) in enumerate(shown):
            if value:
                plt.plot([0, value], [n - i, n - i], marker="sd", color=BAR_COLOUR)
        labels = [f"{label} ({value:.{self.digits}f})" for label, value in shown]
        plt.yticks(list(range(n, 0, -1)), labels)
        if n > 1:
            plt.ylim(1, n)
        else:
            plt.ylim(0.5, 1.5)
        xticks = nice_ticks(max(v for _l, v in shown))
        plt.xticks(xticks, [tick_label(x) for x in xticks])
        plt.xlim(0, xticks[-1])
        left = len(self.bars) - n
        plt.xlabel(self.xlabel + (f"   (+{left} more: maximize to see all)" if left else ""))
        plt.plotsize(width, rows + FRAME_ROWS)
        plt._set_size(width, rows + FRAME_ROWS)
        plt.theme(self._get_plotext_theme_name(self.app.theme))
        return Text.from_ansi(plt.build())
