"""The dashboard's saturation panel: new codes per document in interview order (a sparkline)
and where saturation is reached after Guest, Namey and Chen (2020), with how often random
orders reach it. Its numbers are computed in the dashboard's worker
(:func:`qualcode.analysis.saturation_data.saturation_report`, as ``qualcode saturation``)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Label, Sparkline

from qualcode.analysis.saturation import describe_saturation
from qualcode.tui.screens.dashboard_panels import Panel


class SaturationPanel(Panel):
    """Built as ``SaturationPanel(id="dash-saturation")``; :meth:`show` draws a report."""

    DEFAULT_CSS = """
    SaturationPanel #dash-saturation-summary { width: 1fr; height: auto; max-height: 3; }
    SaturationPanel #dash-saturation-curve { width: 1fr; height: 1fr; min-height: 1; }
    """

    #: the report shown (tests read it)
    report: dict[str, Any] | None = None

    def compose(self) -> ComposeResult:
        self.border_title = "Saturation"
        yield Label("", id="dash-saturation-summary")
        yield Sparkline([], id="dash-saturation-curve")

    def show(self, report: dict[str, Any] | None) -> None:
        self.report = report
        summary = self.query_one("#dash-saturation-summary", Label)
        curve = self.query_one("#dash-saturation-curve", Sparkline)
        if report is None or not report["documents"]:
            self.border_title = "Saturation"
            self.border_subtitle = ""
            summary.update("no coded documents yet")
            curve.data = []
            return
        docs = report["documents"]
        self.border_title = (
            f"Saturation: new codes in {len(docs)} document(s), by {report['order']}"
        )
        self.border_subtitle = f"{docs[-1]['cumulative_codes']} codes in all"
        line = describe_saturation(report)
        summary.update(line[0].upper() + line[1:])
        curve.data = [float(d["new_codes"]) for d in docs]
