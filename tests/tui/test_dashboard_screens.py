"""The dashboard of a plain project (no study feature's data), driven with Pilot on a tiny test
app: each test checks what the screen shows against the store. The caseload panel and review
are tested with their feature, in tests/caseload/."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from textual.pilot import Pilot
from textual.widgets import DataTable, Label, Sparkline

from qualcode.analysis.saturation import describe_saturation
from qualcode.analysis.saturation_data import saturation_report
from qualcode.store import Code, Coder, Coding
from qualcode.tui.context import AppContext
from qualcode.tui.messages import CodingsChanged
from qualcode.tui.screens.dashboard import DASHBOARD, DashboardScreen
from qualcode.tui.screens.dashboard_panels import ExtraPanel, Panel
from qualcode.tui.screens.saturation_panel import SaturationPanel
from qualcode.tui.widgets.charts import BarChart

from .screen_harness import Harness, Proj, build_project, run, settle, until


@pytest.fixture
def proj(tmp_path: Path) -> Iterator[Proj]:
    built = build_project(tmp_path / "p.db")
    yield built
    built.project.dispose()


def dashboard(app: Harness) -> DashboardScreen:
    screen = app.screen
    assert isinstance(screen, DashboardScreen)
    return screen


def cells(table: DataTable[object], row: str) -> list[str]:
    return [str(getattr(c, "plain", c)) for c in table.get_row(row)]


def test_dashboard_panels_show_the_projects_numbers(proj: Proj) -> None:
    async def scenario(pilot: Pilot[None], app: Harness) -> None:
        screen = dashboard(app)
        await until(pilot, lambda: screen.loads_done >= 1)
        # a plain project: three panels, no study feature's panel and none of its keys
        assert [p.id for p in screen.query(Panel)] == [
            "dash-frequency", "dash-matrix", "dash-cooccurrence", "dash-saturation",
        ]  # fmt: skip
        assert not screen.query(ExtraPanel) and not screen.query("#dash-summary")
        assert screen.query_one("#dash-grid").has_class("-plain")
        assert screen.KEY_GROUPS == (DASHBOARD,)
        assert "k" not in screen._bindings.key_to_bindings
        await pilot.press("k")  # nothing is bound to it: the dashboard stays
        assert app.screen is screen
        # bars: each top-level code, sub-codes rolled up (Triage: its own and two plea codings)
        bars = screen.query_one("#dash-bars", BarChart)
        frequency = screen.query_one("#dash-frequency", Panel)
        assert frequency.border_title == "Codings: all top-level codes"
        assert bars.bars == [("Triage", 3.0), ("Lab backlog", 1.0)]
        matrix = screen.query_one("#dash-matrix-table", DataTable)
        assert [str(c.label) for c in matrix.columns.values()] == ["code", "Ohio", "Texas"]
        titled = screen.query_one("#dash-matrix")
        assert titled.border_title == "Codings by state (2 columns)"
        assert "more" in str(titled.border_subtitle)  # how to see columns that do not fit
        assert cells(matrix, "Triage/Plea bargaining")[1:] == ["1", "1"]
        assert cells(matrix, "Lab backlog")[1:] == ["1", "0"]
        # one top-level code's sub-codes, then back to all top-level codes
        await pilot.press("f")
        assert bars.bars == [("(the code itself)", 1.0), ("Plea bargaining", 2.0)]
        assert frequency.border_title == "Codings: Triage"
        await pilot.press("f", "f")
        assert [label for label, _v in bars.bars] == ["Triage", "Lab backlog"]

    run(proj, DashboardScreen, scenario)


def test_dashboard_follows_new_codings_and_the_coder_filter(proj: Proj) -> None:
    async def scenario(pilot: Pilot[None], app: Harness) -> None:
        screen = dashboard(app)
        await until(pilot, lambda: screen.loads_done >= 1)
        with proj.project.write() as s:
            ana = s.scalars(select(Coder).where(Coder.name == "ana")).one()
            start, end = proj.span("P02.txt", "The lab is fast here.")
            s.add(
                Coding(
                    document_id=proj.docs["P02.txt"],
                    code_id=proj.codes["Lab backlog"],
                    coder_id=ana.id,
                    start=start,
                    end=end,
                )
            )
        done = screen.loads_done
        screen.post_message(CodingsChanged(frozenset({proj.docs["P02.txt"]})))
        await until(pilot, lambda: screen.loads_done > done)
        bars = screen.query_one("#dash-bars", BarChart)
        assert bars.bars == [("Triage", 3.0), ("Lab backlog", 2.0)]
        matrix = screen.query_one("#dash-matrix-table", DataTable)
        assert cells(matrix, "Lab backlog")[1:] == ["1", "1"]
        done = screen.loads_done
        await pilot.press("v")  # only mine (ana): one plea coding, two lab codings
        await until(pilot, lambda: screen.loads_done > done)
        assert bars.bars == [("Triage", 1.0), ("Lab backlog", 2.0)]
        status = str(screen.query_one("#dash-status", Label).render())
        assert "counting ana's codings" in status

    run(proj, DashboardScreen, scenario)


def test_dashboard_counts_only_the_consensus_coder_when_there_is_one(proj: Proj) -> None:
    """Settled codings are not added to the coders' own: the bars count consensus alone, and
    the status line says so."""
    with proj.project.write() as s:
        consensus = Coder(name="consensus")
        s.add(consensus)
        s.flush()
        start, end = proj.span("P01.txt", "The lab is slow.")
        s.add(
            Coding(
                document_id=proj.docs["P01.txt"],
                code_id=proj.codes["Lab backlog"],
                coder_id=consensus.id,
                start=start,
                end=end,
            )
        )

    async def scenario(pilot: Pilot[None], app: Harness) -> None:
        screen = dashboard(app)
        await until(pilot, lambda: screen.loads_done >= 1)
        bars = screen.query_one("#dash-bars", BarChart)
        assert bars.bars == [("Triage", 0.0), ("Lab backlog", 1.0)]
        status = str(screen.query_one("#dash-status", Label).render())
        assert "counting the consensus coder's codings" in status

    run(proj, DashboardScreen, scenario)


def test_dashboard_saturation_panel_at_80x24(proj: Proj) -> None:
    """The saturation strip fits the smallest terminal and shows what ``qualcode saturation``
    computes from the store; it follows new codings and the coder filter."""

    def expected(coder: str | None = None) -> dict[str, object]:
        with proj.project.session() as s:
            return saturation_report(s, coder=coder)

    async def main() -> None:
        app = Harness(DashboardScreen, AppContext.create(proj.project, "ana"))
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            screen = dashboard(app)
            await until(pilot, lambda: screen.loads_done >= 1)
            panel = screen.query_one("#dash-saturation", SaturationPanel)
            curve = panel.query_one("#dash-saturation-curve", Sparkline)
            summary = panel.query_one("#dash-saturation-summary", Label)
            # P01: Plea bargaining and Lab backlog are new; P02 adds Triage
            assert panel.report == expected()
            assert list(curve.data or []) == [2.0, 1.0]
            line = describe_saturation(expected())
            assert str(summary.render()) == line[0].upper() + line[1:]
            assert "needs at least 6 coded documents" in line
            assert panel.border_title == "Saturation: new codes in 2 document(s), by name"
            # the whole strip is on the screen, above the footer, across the width
            region = panel.region
            assert (region.x, region.width, region.height) == (0, 80, 6)
            assert region.bottom <= 23 and curve.region.height >= 1
            # a new code in P02: two new codes there now
            with proj.project.write() as s:
                fresh = Code(name="Fresh", guid="g-f", position=2)
                ben = s.scalars(select(Coder).where(Coder.name == "ben")).one()
                s.add(fresh)
                s.flush()
                start, end = proj.span("P02.txt", "Rarely.")
                s.add(
                    Coding(
                        document_id=proj.docs["P02.txt"],
                        code_id=fresh.id,
                        coder_id=ben.id,
                        start=start,
                        end=end,
                    )
                )
            done = screen.loads_done
            screen.post_message(CodingsChanged(frozenset({proj.docs["P02.txt"]})))
            await until(pilot, lambda: screen.loads_done > done)
            assert list(curve.data or []) == [2.0, 2.0]
            assert panel.report == expected()
            done = screen.loads_done
            await pilot.press("v")  # only ana's codings: she coded P01 alone
            await until(pilot, lambda: screen.loads_done > done)
            assert list(curve.data or []) == [2.0]
            assert panel.report == expected("ana")

    asyncio.run(main())
