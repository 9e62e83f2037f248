"""The report's charts as inline SVG, drawn by matplotlib's SVG backend (no pyplot, no GUI).

matplotlib is imported inside the functions, so that no other command pays for it at start-up.
Text stays text (``svg.fonttype: none``: no embedded glyphs, the page's font is used); each
chart gets its own hash salt so that the ids of clip paths differ between the charts of one
page; no date is written, so the same project gives the same SVG.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

BAR = "#3b6ea5"
BAND = "#9ec3e6"
LINE = "#1f3f66"
MARK = "#c0392b"
WIDTH = 7.5  # inches: a printed A4 page's text width


#: the rc settings of every chart: text as text, small type
STYLE: dict[str, Any] = {"svg.fonttype": "none", "font.size": 9}


@contextmanager
def _drawing(name: str) -> Iterator[None]:
    """Draw a chart with :data:`STYLE` and its own hash salt (unique ids in the page)."""
    import matplotlib

    with matplotlib.rc_context(cast(Any, {**STYLE, "svg.hashsalt": f"qualcode-{name}"})):
        yield


def _figure(width: float, height: float) -> Figure:
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasSVG(fig)  # the SVG backend, explicitly: no GUI, no pyplot
    return fig


def _svg(fig: Figure) -> str:
    """The figure as an ``<svg>`` element (no XML prolog or doctype: it sits in HTML)."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    text = buf.getvalue()
    return text[text.index("<svg") :].strip()


def tree_labels(paths: Sequence[str], labels: dict[str, tuple[str, int]]) -> list[str]:
    """Code paths as an indented tree: each code's own name under its parent (``labels``:
    path -> (name, depth); en spaces, which SVG text does not collapse)."""
    return ["\u2002\u2002" * labels[p][1] + labels[p][0] if p in labels else p for p in paths]


def _bold_top_level(ax: Axes) -> None:
    for label in ax.get_yticklabels():
        if not label.get_text().startswith("\u2002"):
            label.set_fontweight("bold")


def _style(ax: Axes) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _bar_chart(
    labels: Sequence[str], values: Sequence[float], xlabel: str, *, horizontal: bool
) -> str:
    if horizontal:
        fig = _figure(WIDTH, max(1.6, 0.22 * len(labels) + 0.8))
        ax = fig.add_subplot()
        positions = list(range(len(labels)))
        ax.barh(positions, values, color=BAR)
        ax.set_yticks(positions, labels=list(labels))
        _bold_top_level(ax)
        ax.invert_yaxis()
        ax.set_xlabel(xlabel)
    else:
        fig = _figure(WIDTH, 2.8)
        ax = fig.add_subplot()
        positions = list(range(len(labels)))
        ax.bar(positions, values, color=BAR)
        ax.set_xticks(positions, labels=list(labels), rotation=45, ha="right")
        ax.set_ylabel(xlabel)
    _style(ax)
    return _svg(fig)


def _heatmap(rows: Sequence[str], columns: Sequence[str], values: Sequence[Sequence[int]]) -> str:
    fig = _figure(min(WIDTH, 3.6 + 0.4 * len(columns)), max(1.8, 0.22 * len(rows) + 1.4))
    ax = fig.add_subplot()
    top = max([1, *(max(r, default=0) for r in values)])
    image = ax.imshow([list(r) for r in values], aspect="auto", cmap="Blues", vmin=0, vmax=top)
    ax.set_xticks(range(len(columns)), labels=list(columns), rotation=45, ha="right")
    ax.set_yticks(range(len(rows)), labels=list(rows))
    _bold_top_level(ax)
    for i, row in enumerate(values):
        for j, v in enumerate(row):
            if v:
                colour = "white" if v > top * 0.6 else "black"
                ax.text(j, i, str(v), ha="center", va="center", fontsize=7, color=colour)
    ax.tick_params(length=0)
    fig.colorbar(image, ax=ax, shrink=0.6, label="codings")
    return _svg(fig)


def _saturation_chart(curve: dict[str, Any]) -> str:
    docs = curve["documents"]
    x = [d["position"] for d in docs]
    fig = _figure(WIDTH, 3.0)
    ax = fig.add_subplot()
    if docs and docs[0]["band_low"] is not None:
        ax.fill_between(
            x,
            [d["band_low"] for d in docs],
            [d["band_high"] for d in docs],
            color=BAND,
            alpha=0.6,
            label="random orders (2.5–97.5%)",
        )
    ax.bar(x, [d["new_codes"] for d in docs], color=BAR, alpha=0.8, label="new codes")
    ax.plot(
        x, [d["cumulative_codes"] for d in docs], color=LINE, marker="o", label="cumulative codes"
    )
    at = curve["saturation"]["at_position"]
    if at is not None:
        ax.axvline(at, color=MARK, linestyle="--", label=f"saturation (document {at})")
    ax.set_xlabel("documents in interview order")
    ax.set_ylabel("codes")
    ax.set_xticks(x)
    ax.legend(loc="lower right", fontsize=7, frameon=False)
    _style(ax)
    return _svg(fig)


def bar_chart(
    name: str, labels: Sequence[str], values: Sequence[float], xlabel: str, *, horizontal: bool
) -> str:
    """Bars of ``values``: horizontal (one row per label, first on top) or vertical."""
    with _drawing(name):
        return _bar_chart(labels, values, xlabel, horizontal=horizontal)


def heatmap(
    name: str, rows: Sequence[str], columns: Sequence[str], values: Sequence[Sequence[int]]
) -> str:
    """A grid of counts, darker for more, each cell labelled with its count."""
    with _drawing(name):
        return _heatmap(rows, columns, values)


def saturation_chart(name: str, curve: dict[str, Any]) -> str:
    """Cumulative codes by document in interview order, the band of random orders, the new
    codes of each document as bars, and the saturation point when reached."""
    with _drawing(name):
        return _saturation_chart(curve)
