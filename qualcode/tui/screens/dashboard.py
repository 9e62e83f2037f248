"""The dashboard: the numbers of :mod:`qualcode.analysis.tables` as they stand, while coding
goes on. Four panels: code frequencies by top-level code (bars), codes by state or another
attribute (a matrix), co-occurring codes and saturation (new codes per document, a strip
along the bottom); a study feature adds its own panels in a project that has its data
(:mod:`qualcode.tui.screens.dashboard_panels`).

The tables are computed in a worker thread that posts :class:`DashboardScreen.Loaded` with the
DataFrames; the screen redraws on the main thread. It reloads when shown again, when a
:class:`~qualcode.tui.messages.CodingsChanged` reaches it, on ``r`` and on the app's refresh.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

import pandas as pd
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid
from textual.message import Message
from textual.widgets import Label

from qualcode.analysis import tables
from qualcode.analysis.coders import counted_coders
from qualcode.analysis.data import load_code_tree, text_attributes
from qualcode.analysis.saturation_data import saturation_report
from qualcode.analysis.units import UNIT_KINDS
from qualcode.coding.coders import coder_names
from qualcode.errors import QualcodeError
from qualcode.store.db import Project
from qualcode.tui.context import AppContext
from qualcode.tui.keys import Key, KeyGroup
from qualcode.tui.messages import CodingsChanged
from qualcode.tui.screens.dashboard_panels import ExtraPanel, Panel, extra_panel_classes
from qualcode.tui.screens.data_screen import DataScreen
from qualcode.tui.screens.saturation_panel import SaturationPanel
from qualcode.tui.widgets.charts import BarChart
from qualcode.tui.widgets.key_footer import KeyFooter
from qualcode.tui.widgets.sized_table import SizedTable

DASHBOARD = KeyGroup(
    "Dashboard",
    (
        Key("dashboard.refresh", "r", "reload", "Refresh", True, help="Recompute every panel"),
        Key("dashboard.coder", "v", "cycle_coder", "Coder", True, help="All coders / only mine"),
        Key(
            "dashboard.family",
            "f",
            "cycle_top_code(1)",
            "Top-level code",
            True,
            help="Bars: all top-level codes, or the sub-codes of one of them (next)",
        ),
        Key("dashboard.family-back", "F", "cycle_top_code(-1)", "Previous top-level code"),
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
        Key("dashboard.back", "q,escape", "back", "Back", True, help="Back (or restore the panel)"),
    ),
)

#: bar measures: frequency_table column -> how the axis reads
MEASURES: dict[str, str] = {
    "codings": "codings",
    "participants": "participants coded",
    "words": "words coded",
}
ALL_TOP_CODES = "all top-level codes"


@dataclass(frozen=True)
class TopCode:
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
    columns: str
    column_choices: list[str]
    top_codes: list[TopCode] = field(default_factory=list)
    labels: dict[str, tuple[str, int]] = field(default_factory=dict)  # path -> (name, depth)
    frequencies: pd.DataFrame | None = None
    matrix: pd.DataFrame | None = None
    cooccurrence: pd.DataFrame | None = None
    note: str | None = None
    #: whose codings the numbers count (the consensus coder's alone when there is one)
    counted: str = ""
    #: the study features' panels this project has, with their numbers
    extras: list[tuple[type[ExtraPanel], Any]] = field(default_factory=list)
    #: ``qualcode saturation --json`` for the same coders
    saturation: dict[str, Any] | None = None


def column_choices(text_attribute_names: list[str]) -> list[str]:
    """Matrix columns: ``state`` first when it exists, other text attributes, participant."""
    names = sorted(text_attribute_names, key=lambda n: (n != "state", n.casefold()))
    return [*names, "participant"]


def load_dashboard(
    project: Project, request: DashboardRequest, panels: list[type[ExtraPanel]] | None = None
) -> DashboardData:
    """Compute every panel's table (no drawing here: called in a worker thread)."""
    extras = [(cls, cls.load(project, request.coder)) for cls in panels or []]
    with project.session() as s:
        choices = column_choices(text_attributes(s))
        columns = request.columns if request.columns in choices else choices[0]
        data = DashboardData(
            request=request,
            columns=columns,
            column_choices=choices,
            extras=[(cls, found) for cls, found in extras if found is not None],
        )
        tree = load_code_tree(s)
        data.labels = tree.labels()
        for cid in tree.order:
            if tree.parent.get(cid) is None:
                kids = tuple(
                    (tree.path[k], tree.has_children(k)) for k in tree.children.get(cid, [])
                )
                data.top_codes.append(TopCode(tree.path[cid], tree.has_children(cid), kids))
        if request.coder is not None and request.coder not in coder_names(s):
            data.note = f"{request.coder} has no codings yet"
            return data
        data.counted = counted_coders(s, request.coder).describe()
        data.frequencies = tables.frequency_table(s, coder=request.coder)
        data.matrix = tables.matrix_table(s, cols=columns, coder=request.coder)
        data.cooccurrence = tables.cooccurrence_table(s, unit=request.unit, coder=request.coder)
        data.saturation = saturation_report(s, coder=request.coder)
    return data


def top_code_bars(
    frequencies: pd.DataFrame, top_codes: list[TopCode], top: int | None, measure: str
) -> list[tuple[str, float]]:
    """Bars for the chart: each top-level code with its sub-codes rolled up (``top`` None), or
    the sub-codes of one (rolled up too), after that code's own codings when it has any."""
    value = {
        (str(code), bool(rolled)): float(v)
        for code, rolled, v in zip(
            frequencies["code"], frequencies["rolled_up"], frequencies[measure], strict=True
        )
    }
    if top is None:
        return [(c.path, value.get((c.path, c.has_children), 0.0)) for c in top_codes]
    code = top_codes[top]
    bars: list[tuple[str, float]] = []
    own = value.get((code.path, False), 0.0)
    if own or not code.children:
        bars.append(("(the code itself)" if code.children else code.path, own))
    prefix = code.path + "/"
    for path, rolled in code.children:
        bars.append((path.removeprefix(prefix), value.get((path, rolled), 0.0)))
    return bars


#: cells of the matrix's code column (longer names end in …)
MATRIX_LABEL = 24


class DashboardScreen(DataScreen):
    """Built as ``DashboardScreen(ctx)``."""

    CSS_PATH = "dashboard.tcss"
    TITLE = "Dashboard"
    BINDINGS: ClassVar[list[BindingType]] = [*DASHBOARD.bindings()]

    @dataclass
    class Loaded(Message):
        """The tables, computed in a worker (or the error that stopped it)."""

        data: DashboardData | None
        error: str | None = None

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.request = DashboardRequest()
        self.data: DashboardData | None = None
        self.top: int | None = None
        #: the study features' panel classes (their panels are mounted when a load has data)
        self.panel_classes = extra_panel_classes()
        self.measure = "codings"
        #: whose codings the numbers count, as the last load said
        self.counted = ""
        #: redraws done (tests wait on it)
        self.loads_done = 0

    def compose(self) -> ComposeResult:
        yield Label("", id="dash-status")
        with Grid(id="dash-grid", classes="-plain"):
            with Panel(id="dash-frequency"):
                yield BarChart(id="dash-bars")
            with Panel(id="dash-matrix"):
                yield SizedTable(id="dash-matrix-table", fixed_columns=1, zebra_stripes=True)
            with Panel(id="dash-cooccurrence"):
                yield SizedTable(id="dash-cooc-table", cursor_type="row", zebra_stripes=True)
            yield SaturationPanel(id="dash-saturation")
        yield KeyFooter()

    @property
    def KEY_GROUPS(self) -> tuple[KeyGroup, ...]:
        """The dashboard's keys and those of the extra panels shown."""
        extra = [p.KEYS for p in self.query(ExtraPanel) if p.KEYS is not None]
        return (DASHBOARD, *extra)

    def on_mount(self) -> None:
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
            data = load_dashboard(self.ctx.project, request, self.panel_classes)
        except QualcodeError as exc:
            self.post_message(self.Loaded(None, str(exc)))
            return
        self.post_message(self.Loaded(data))

    @on(Loaded)
    async def _loaded(self, message: Loaded) -> None:
        if message.data is None:
            self._status(message.error or "could not compute the tables", error=True)
            return
        if message.data.request.generation != self.request.generation:
            return  # an older request finished late
        self.data = message.data
        self.request = replace(self.request, columns=message.data.columns)
        if self.top is not None and self.top >= len(self.data.top_codes):
            self.top = None
        await self._show_extras(message.data)
        self._show_bars()
        self._show_matrix(message.data)
        self._show_cooccurrence(message.data)
        self.query_one(SaturationPanel).show(message.data.saturation)
        self.counted = message.data.counted
        self._status(message.data.note or "", error=message.data.note is not None)
        self.loads_done += 1

    # -- drawing ----------------------------------------------------------------------------------
    def _status(self, text: str, *, error: bool = False) -> None:
        who = "all coders" if self.request.coder is None else f"{self.request.coder} (mine)"
        parts = [f"coder: {who}", f"bars: {self.measure}"]
        if self.counted:
            parts.insert(1, f"counting {self.counted}")
        label = self.query_one("#dash-status", Label)
        label.update(" · ".join(parts) + (f"   {text}" if text else ""))
        label.set_class(error, "-error")

    async def _show_extras(self, data: DashboardData) -> None:
        """Mount the extra panels this project has (first in the grid), drop the others, and
        draw them; their keys are bound on the screen while they are shown."""
        grid = self.query_one("#dash-grid", Grid)
        shown = {type(p): p for p in self.query(ExtraPanel)}
        wanted = [cls for cls, _found in data.extras]
        for cls, panel in shown.items():
            if cls not in wanted:
                await panel.remove()
        for cls, found in data.extras:
            panel = shown.get(cls) or cls(self.ctx)
            if not panel.is_attached:
                await grid.mount(panel, before="#dash-frequency")
                self._bind_panel_keys(panel)
            panel.show(found)
        grid.set_class(not data.extras, "-plain")

    def _bind_panel_keys(self, panel: ExtraPanel) -> None:
        if panel.KEYS is None:
            return
        for key in panel.KEYS.keys:
            action = f"panel({panel.id!r}, {key.action!r})"
            for binding in Binding.make_bindings([replace(key, action=action).binding()]):
                self._bindings.key_to_bindings.setdefault(binding.key, []).append(binding)
        self.refresh_bindings()

    def _show_bars(self) -> None:
        data = self.data
        chart = self.query_one("#dash-bars", BarChart)
        panel = self.query_one("#dash-frequency", Panel)
        name = ALL_TOP_CODES if self.top is None or data is None else None
        if data is not None and self.top is not None:
            name = data.top_codes[self.top].path
        panel.border_title = f"{MEASURES[self.measure].capitalize()}: {name}"
        panel.border_subtitle = "f: next top-level code  m: measure"
        if data is None or data.frequencies is None:
            chart.show_bars([], empty=data.note if data and data.note else "no codings")
            return
        bars = top_code_bars(data.frequencies, data.top_codes, self.top, self.measure)
        chart.show_bars(bars, xlabel=MEASURES[self.measure], empty="nothing coded here yet")

    def _show_matrix(self, data: DashboardData) -> None:
        table = self.query_one("#dash-matrix-table", SizedTable)
        table.clear(columns=True)
        panel = self.query_one("#dash-matrix", Panel)
        panel.border_title = f"Codings by {data.columns}"
        panel.border_subtitle = "c: other columns"
        frame = data.matrix
        if frame is None:
            return
        if len(frame.columns) > 1:
            panel.border_title += f" ({len(frame.columns)} columns)"
            # all of them rarely fit: say how to see the rest
            panel.border_subtitle = "→ more · z: whole screen · c: other columns"
        rows: list[tuple[str, list[Text]]] = []
        for path, values in zip(frame.index, frame.to_numpy(), strict=True):
            name, depth = data.labels.get(str(path), (str(path), 0))
            label = Text("  " * depth + name, style="" if depth else "bold")
            # the code column stays in view (fixed): kept short, it leaves room for the others
            label.truncate(MATRIX_LABEL, overflow="ellipsis")
            cells = [Text(str(int(v)), justify="right", style="" if v else "dim") for v in values]
            rows.append((str(path), [label, *cells]))
        columns = [("code", "code"), *((str(c), str(c)) for c in frame.columns)]
        table.fill(columns, rows)

    def _show_cooccurrence(self, data: DashboardData) -> None:
        table = self.query_one("#dash-cooc-table", SizedTable)
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
        columns = [
            ("code A", "code_a"),
            ("code B", "code_b"),
            (count, "count"),
            ("docs", "documents"),
        ]
        rows = [
            (  # code names as Text: a DataTable reads str cells as markup
                str(i),
                [
                    Text(row["code_a"]),
                    Text(row["code_b"]),
                    Text(str(row["count"]), justify="right"),
                    Text(str(row["documents"]), justify="right"),
                ],
            )
            for i, row in enumerate(tables.to_records(frame))
        ]
        table.fill(columns, rows)

    # -- actions ----------------------------------------------------------------------------------
    def action_reload(self) -> None:
        self.refresh_data()

    def action_cycle_coder(self) -> None:
        coder = self.ctx.coder if self.request.coder is None else None
        self.request = replace(self.request, coder=coder)
        self.refresh_data()

    def action_cycle_top_code(self, step: int) -> None:
        count = len(self.data.top_codes) if self.data is not None else 0
        order: list[int | None] = [None, *range(count)]
        self.top = order[(order.index(self.top) + step) % len(order)]
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

    async def action_panel(self, panel_id: str, action: str) -> None:
        """Run an extra panel's action (its keys are bound here, on the screen)."""
        for panel in self.query(ExtraPanel):
            if panel.id == panel_id:
                await self.app.run_action(action, panel)

    def action_back(self) -> None:
        if self.maximized is not None:
            self.minimize()
        else:
            self.dismiss()
