"""The caseload panel on the dashboard (hook ``faces.dashboard_panel`` of
:mod:`qualcode.features`): the share's statistics beside a histogram; ``k`` opens the review.
Shown only in a project with caseload data."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal

from qualcode.analysis.stats import STAT_COLUMNS
from qualcode.caseload.domain.measure import CASELOAD_ATTRIBUTE
from qualcode.caseload.domain.panel import PanelNumbers, panel_numbers
from qualcode.caseload.faces.review_screen import CaseloadReviewScreen
from qualcode.store.db import Project
from qualcode.tui.keys import Key, KeyGroup
from qualcode.tui.screens.dashboard_panels import ExtraPanel
from qualcode.tui.widgets.charts import HistogramChart
from qualcode.tui.widgets.sized_table import SizedTable

STAT_LABELS = {"q1": "Q1 (25%)", "q3": "Q3 (75%)"}
SUMMARY_COLUMNS = [("statistic", "statistic"), ("value", "value")]
CASELOAD_PANEL = KeyGroup(
    "Dashboard: caseload share",
    (
        Key(
            "dashboard.caseload",
            "k",
            "review",
            "Review shares",
            True,
            help="Review the caseload shares found in the transcripts and accept them",
        ),
    ),
)


def stat_text(value: Any) -> str:
    """A statistic as the CLI prints it: up to two decimals, ``-`` when missing."""
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


class CaseloadPanel(ExtraPanel):
    PANEL_ID = "dash-caseload"
    KEYS = CASELOAD_PANEL
    DEFAULT_CSS = """
    CaseloadPanel #dash-caseload-body { height: 1fr; }
    CaseloadPanel #dash-summary { width: 26; height: 1fr; }
    CaseloadPanel #dash-histogram { width: 1fr; height: 1fr; }
    """

    def compose(self) -> ComposeResult:
        self.border_title = f"Caseload share ({CASELOAD_ATTRIBUTE})"
        self.border_subtitle = "k: review"
        with Horizontal(id="dash-caseload-body"):
            yield SizedTable[str | Text](id="dash-summary", cursor_type="none", show_cursor=False)
            yield HistogramChart(id="dash-histogram")

    @classmethod
    def load(cls, project: Project, coder: str | None) -> PanelNumbers | None:
        return panel_numbers(project)

    def show(self, data: PanelNumbers) -> None:
        self.query_one("#dash-summary", SizedTable).fill(
            SUMMARY_COLUMNS,
            [
                (
                    stat,
                    [
                        STAT_LABELS.get(stat, stat),
                        Text(stat_text(data.overall[stat]), justify="right"),
                    ],
                )
                for stat in STAT_COLUMNS
            ],
        )
        self.query_one("#dash-histogram", HistogramChart).show_values(
            data.shares,
            xlabel=f"{CASELOAD_ATTRIBUTE} (%), {int(data.overall['n'])} participant(s)",
            empty="no shares yet: press k to review them",
        )

    def action_review(self) -> None:
        self.app.push_screen(CaseloadReviewScreen(self.ctx))


PANEL = CaseloadPanel
