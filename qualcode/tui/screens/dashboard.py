"""The dashboard: the numbers of :mod:`qualcode.analysis.tables` as they stand, while coding
goes on. Four panels: the caseload share (statistics and a histogram), code frequencies by
barrier family (bars), codes by state (a matrix) and co-occurring codes.

The tables are computed in a worker thread that posts :class:`DashboardScreen.Loaded` with the
DataFrames; the screen redraws on the main thread. It reloads when shown again, when a
:class:`~qualcode.tui.messages.CodingsChanged` reaches it, on ``r`` and on the app's refresh.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

import pandas as pd
from rich.text import Text
from sqlalchemy import select
from sqlalchemy.orm import Session
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Label

from qualcode.analysis import tables
from qualcode.analysis.data import load_code_tree, number_attribute
from qualcode.analysis.stats import STAT_COLUMNS
from qualcode.analysis.units import UNIT_KINDS
from qualcode.coding.coders import coder_names
from qualcode.errors import QualcodeError
from qualcode.store.db import Project
from qualcode.store.models import Attribute
from qualcode.tui.context import AppContext
from qualcode.tui.keys import Key, KeyGroup
from qualcode.tui.messages import CodingsChanged
from qualcode.tui.screens.caseload_review import CaseloadReviewScreen
from qualcode.tui.screens.data_screen import DataScreen
from qualcode.tui.widgets.charts import BarChart, HistogramChart
from qualcode.tui.widgets.key_footer import KeyFooter

DASHBOARD = KeyGroup(
    "Dashboard",
    (
        Key("dashboard.refresh", "r", "reload", "Refresh", True, help="Recompute every panel"),
        Key("dashboard.coder", "v", "cycle_coder", "Coder", True, help="All coders / only mine"),
        Key(
            "dashboard.family",
            "f",
            "cycle_family(1)",
            "Family",
            True,
            help="Bars: all barrier families, or the sub-codes of one family (next)",
        ),
        Key("dashboard.family-back", "F", "cycle_family(-1)", "Previous family"),
        Key(
            "dashboard.measure",
            "m",
            "cycle_measure",
            "Measure",
            help="Bars: codings, participants coded or words coded",
        ),
        Key("dashboard.columns", "c", "cycle_columns", "Matrix by", help="Matrix columns: next"),
        Key("dashboard.unit", "u", "cycle_unit", "Co-occurrence unit", help="Next unit"),
        Key(
            "dashboard.zoom", "z", "zoom", "Maximize", True, help="Maximize the panel (again: back)"
        ),
        Key(
            "dashboard.caseload",
            "k",
            "caseload_review",
            "Review shares",
            True,
            help="Review the caseload shares found in the transcripts and accept them",
        ),
        Key("dashboard.back", "q,escape", "back", "Back", True, help="Back (or restore the panel)"),
    ),
)

#: bar measures: frequency_table column -> how the axis reads
MEASURES: dict[str, str] = {
    "codings": "codings",
    "participants": "participants coded",
    "words": "words coded",
}
ALL_FAMILIES = "all barrier families"
STAT_LABELS = {"q1": "Q1 (25%)", "q3": "Q3 (75%)"}


@dataclass(frozen=True)
class Family:
    """A top-level code and its direct children: (path, has children) each."""

    path: str
    has_children: bool
    children: tuple[tuple[str, bool], ...] = ()


@dataclass(frozen=True)
class DashboardRequest:
    coder: str | None = None
    columns: str | None = None  # None: "state" if there is one, else the first choice
    unit: str = "overlap"
    generation: int = 0


@dataclass
class DashboardData:
    """Everything a redraw needs, computed off the main thread."""

    request: DashboardRequest
    summary: pd.DataFrame
    shares: list[float]
    columns: str
    column_choices: list[str]
    families: list[Family] = field(default_factory=list)
    labels: dict[str, tuple[str, int]] = field(default_factory=dict)  # path -> (name, depth)
    frequencies: pd.DataFrame | None = None
    matrix: pd.DataFrame | None = None
    cooccurrence: pd.DataFrame | None = None
    note: str | None = None


def column_choices(s: Session) -> list[str]:
    """Matrix columns: ``state`` first when it exists, other text attributes, participant."""
    names = list(s.scalars(select(Attribute.name).where(Attribute.kind == "text")).all())
    names.sort(key=lambda n: (n != "state", n.casefold()))
    return [*names, "participant"]


def load_dashboard(project: Project, request: DashboardRequest) -> DashboardData:
    """Compute every panel's table (no textual here: called in a worker thread)."""
    with project.session() as s:
        choices = column_choices(s)
        columns = request.columns if request.columns in choices else choices[0]
        data = DashboardData(
            request=request,
            summary=tables.summary_table(s, tables.CASELOAD_ATTRIBUTE),
            shares=sorted(number_attribute(s, tables.CASELOAD_ATTRIBUTE).values()),
            columns=columns,
            column_choices=choices,
        )
        tree = load_code_tree(s)
        for cid in tree.order:
            name = tree.path[cid].rsplit("/", 1)[-1]
            depth = 0
            parent = tree.parent.get(cid)
            while parent is not None:
                depth, parent = depth + 1, tree.parent.get(parent)
            data.labels[tree.path[cid]] = (name, depth)
            if tree.parent.get(cid) is None:
                kids = tuple(
                    (tree.path[k], tree.has_children(k)) for k in tree.children.get(cid, [])
                )
                data.families.append(Family(tree.path[cid], tree.has_children(cid), kids))
        if request.coder is not None and request.coder not in coder_names(s):
            data.note = f"{request.coder} has no codings yet"
            return data
        data.frequencies = tables.frequency_table(s, coder=request.coder)
        data.matrix = tables.matrix_table(s, cols=columns, coder=request.coder)
        data.cooccurrence = tables.cooccurrence_table(s, unit=request.unit, coder=request.coder)
    return data


def family_bars(
    frequencies: pd.DataFrame, families: list[Family], family: int | None, measure: str
) -> list[tuple[str, float]]:
    """Bars for the chart: each family with its sub-codes rolled up (``family`` None), or the
    sub-codes of one family (rolled up too), after the family's own codings when it has any."""
    value = {
        (str(code), bool(rolled)): float(v)
        for code, rolled, v in zip(
            frequencies["code"], frequencies["rolled_up"], frequencies[measure], strict=True
        )
    }
    if family is None:
        return [(f.path, value.get((f.path, f.has_children), 0.0)) for f in families]
    fam = families[family]
    bars: list[tuple[str, float]] = []
    own = value.get((fam.path, False), 0.0)
    if own or not fam.children:
        bars.append(("(the family code itself)" if fam.children else fam.path, own))
    prefix = fam.path + "/"
    for path, rolled in fam.children:
        bars.append((path.removeprefix(prefix), value.get((path, rolled), 0.0)))
    return bars


def stat_text(value: Any) -> str:
    """A statistic as the CLI prints it: up to two decimals, ``-`` when missing."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "-"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


class Panel(Vertical):
    """One dashboard panel; ``z`` maximizes the panel holding the focus."""

    ALLOW_MAXIMIZE = True


class DashboardScreen(DataScreen):
    """Built as ``DashboardScreen(ctx)``."""

    CSS_PATH = "dashboard.tcss"
    TITLE = "Dashboard"
    BINDINGS: ClassVar[list[BindingType]] = [*DASHBOARD.bindings()]

    class Loaded(Message):
        """The tables, computed in a worker (or the error that stopped it)."""

        def __init__(self, data: DashboardData | None, error: str | None = None) -> None:
            super().__init__()
            self.data = data
            self.error = error

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.request = DashboardRequest()
        self.data: DashboardData | None = None
        self.family: int | None = None
        self.measure = "codings"
        #: redraws done (tests wait on it)
        self.loads_done = 0

    def compose(self) -> ComposeResult:
        yield Label("", id="dash-status")
        with Grid(id="dash-grid"):
            with Panel(id="dash-caseload"), Horizontal(id="dash-caseload-body"):
                yield DataTable(id="dash-summary", cursor_type="none", show_cursor=False)
                yield HistogramChart(id="dash-histogram")
            with Panel(id="dash-frequency"):
                yield BarChart(id="dash-bars")
            with Panel(id="dash-matrix"):
                yield DataTable(id="dash-matrix-table", fixed_columns=1, zebra_stripes=True)
            with Panel(id="dash-cooccurrence"):
                yield DataTable(id="dash-cooc-table", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        summary = self.query_one("#dash-summary", DataTable)
        summary.add_column("statistic", key="statistic")
        summary.add_column("value", key="value")
        self.query_one(
            "#dash-caseload", Panel
        ).border_title = f"Caseload share ({tables.CASELOAD_ATTRIBUTE})"
        self.query_one("#dash-bars", BarChart).focus()
        self.reload_data()

    # -- loading ----------------------------------------------------------------------------------
    def reload_data(self) -> None:
        """Recompute every panel."""
        self.request = replace(self.request, generation=self.request.generation + 1)
        self._status("updating…")
        self._load(self.request)

    def on_codings_changed(self, message: CodingsChanged) -> None:
        self.refresh_data()

    @work(thread=True, exclusive=True, group="dashboard")
    def _load(self, request: DashboardRequest) -> None:
        try:
            data = load_dashboard(self.ctx.project, request)
        except QualcodeError as exc:
            self.post_message(self.Loaded(None, str(exc)))
            return
        self.post_message(self.Loaded(data))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        if message.data is None:
            self._status(message.error or "could not compute the tables", error=True)
            return
        if message.data.request.generation != self.request.generation:
            return  # an older request finished late
        self.data = message.data
        self.request = replace(self.request, columns=message.data.columns)
        if self.family is not None and self.family >= len(self.data.families):
            self.family = None
        self._show_summary(message.data)
        self._show_bars()
        self._show_matrix(message.data)
        self._show_cooccurrence(message.data)
        self._status(message.data.note or "", error=message.data.note is not None)
        self.loads_done += 1

    # -- drawing ----------------------------------------------------------------------------------
    def _status(self, text: str, *, error: bool = False) -> None:
        who = "all coders" if self.request.coder is None else f"{self.request.coder} (mine)"
        parts = [f"coder: {who}", f"bars: {self.measure}"]
        label = self.query_one("#dash-status", Label)
        label.update(" · ".join(parts) + (f"   {text}" if text else ""))
        label.set_class(error, "-error")

    def _show_summary(self, data: DashboardData) -> None:
        table = self.query_one("#dash-summary", DataTable)
        table.clear()
        overall = tables.to_records(data.summary)[0]
        for stat in STAT_COLUMNS:
            value = Text(stat_text(overall[stat]), justify="right")
            table.add_row(STAT_LABELS.get(stat, stat), value, key=stat)
        n = int(overall["n"])
        self.query_one("#dash-histogram", HistogramChart).show_values(
            data.shares,
            xlabel=f"{tables.CASELOAD_ATTRIBUTE} (%), {n} participant(s)",
            empty="no shares yet: press k to review them",
        )

    def _show_bars(self) -> None:
        data = self.data
        chart = self.query_one("#dash-bars", BarChart)
        panel = self.query_one("#dash-frequency", Panel)
        name = ALL_FAMILIES if self.family is None or data is None else None
        if data is not None and self.family is not None:
            name = data.families[self.family].path
        panel.border_title = f"{MEASURES[self.measure].capitalize()}: {name}"
        panel.border_subtitle = "f: next family  m: measure"
        if data is None or data.frequencies is None:
            chart.show_bars([], empty=data.note if data and data.note else "no codings")
            return
        bars = family_bars(data.frequencies, data.families, self.family, self.measure)
        chart.show_bars(bars, xlabel=MEASURES[self.measure], empty="nothing coded here yet")

    def _show_matrix(self, data: DashboardData) -> None:
        table = self.query_one("#dash-matrix-table", DataTable)
        table.clear(columns=True)
        panel = self.query_one("#dash-matrix", Panel)
        panel.border_title = f"Codings by {data.columns}"
        panel.border_subtitle = "c: other columns"
        frame = data.matrix
        if frame is None:
            return
        table.add_column("code", key="code")
        for column in frame.columns:
            table.add_column(str(column), key=str(column))
        for path, values in zip(frame.index, frame.to_numpy(), strict=True):
            name, depth = data.labels.get(str(path), (str(path), 0))
            label = Text("  " * depth + name, style="" if depth else "bold")
            cells = [Text(str(int(v)), justify="right", style="" if v else "dim") for v in values]
            table.add_row(label, *cells, key=str(path))

    def _show_cooccurrence(self, data: DashboardData) -> None:
        table = self.query_one("#dash-cooc-table", DataTable)
        table.clear(columns=True)
        unit = data.request.unit
        panel = self.query_one("#dash-cooccurrence", Panel)
        panel.border_subtitle = "u: unit"
        frame = data.cooccurrence
        what = "overlapping codings" if unit == "overlap" else f"same {unit}"
        if frame is None:
            panel.border_title = f"Co-occurrence ({what})"
            return
        panel.border_title = f"Co-occurrence ({what}): {len(frame)} pair(s)"
        count = "pairs" if unit == "overlap" else f"{unit}s"
        for label, key in (("code A", "code_a"), ("code B", "code_b"), (count, "count")):
            table.add_column(label, key=key)
        table.add_column("docs", key="documents")
        for i, row in enumerate(tables.to_records(frame)):
            table.add_row(  # code names as Text: a DataTable reads str cells as markup
                Text(row["code_a"]),
                Text(row["code_b"]),
                Text(str(row["count"]), justify="right"),
                Text(str(row["documents"]), justify="right"),
                key=str(i),
            )

    # -- actions ----------------------------------------------------------------------------------
    def action_reload(self) -> None:
        self.refresh_data()

    def action_cycle_coder(self) -> None:
        coder = self.ctx.coder if self.request.coder is None else None
        self.request = replace(self.request, coder=coder)
        self.refresh_data()

    def action_cycle_family(self, step: int) -> None:
        count = len(self.data.families) if self.data is not None else 0
        order: list[int | None] = [None, *range(count)]
        self.family = order[(order.index(self.family) + step) % len(order)]
        self._show_bars()

    def action_cycle_measure(self) -> None:
        names = list(MEASURES)
        self.measure = names[(names.index(self.measure) + 1) % len(names)]
        self._status("")
        self._show_bars()

    def action_cycle_columns(self) -> None:
        if self.data is None:
            return
        choices = self.data.column_choices
        now = choices.index(self.data.columns) if self.data.columns in choices else -1
        self.request = replace(self.request, columns=choices[(now + 1) % len(choices)])
        self.refresh_data()

    def action_cycle_unit(self) -> None:
        units = list(UNIT_KINDS)
        unit = units[(units.index(self.request.unit) + 1) % len(units)]
        self.request = replace(self.request, unit=unit)
        self.refresh_data()

    def action_zoom(self) -> None:
        if self.maximized is not None:
            self.minimize()
        elif self.focused is not None:
            self.maximize(self.focused)

    def action_caseload_review(self) -> None:
        self.app.push_screen(CaseloadReviewScreen(self.ctx))

    def action_back(self) -> None:
        if self.maximized is not None:
            self.minimize()
        else:
            self.dismiss()
