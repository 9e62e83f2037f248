"""The pseudonym screen (F12): each identifier in context, one key to accept or reject it,
accept all, scan again; asserted on the store. It fits an 80x24 terminal."""

from __future__ import annotations

import asyncio
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from qualcode.store.models import Pseudonym
from qualcode.tui.context import AppContext
from qualcode.tui.screens.pseudonyms import PseudonymScreen
from tests.pseudonyms.study import build_study

from .screen_harness import Harness, Proj, run, settle, until


@pytest.fixture
def proj(tmp_path: Path) -> Iterator[Proj]:
    project = build_study(tmp_path / "study.db")
    yield Proj(project)
    project.dispose()


def statuses(proj: Proj) -> dict[str, str]:
    with proj.project.session() as s:
        return {p.pseudonym: p.status for p in s.scalars(select(Pseudonym))}


def screen_of(app: Harness) -> PseudonymScreen:
    screen = app.screen
    assert isinstance(screen, PseudonymScreen)
    return screen


def test_accept_and_reject_with_one_key_each(proj: Proj) -> None:
    async def scenario(pilot: Pilot[None], app: Harness) -> None:
        screen = screen_of(app)
        await until(pilot, lambda: screen.loads_done > 0 and screen.contexts_done > 0)
        first, second = screen.rows[0], screen.rows[1]
        cells = screen.query_one("#pseudo-table", DataTable).get_row_at(0)
        assert str(cells[1]) == first.pseudonym and first.pseudonym.startswith("[")
        shown = str(screen.query_one("#pseudo-occurrences", Static).render())
        assert first.forms[0] in shown and "document" in shown
        await pilot.press("a")  # accept the first, move on to the next
        await until(pilot, lambda: statuses(proj)[first.pseudonym] == "accepted")
        await settle(pilot)
        await pilot.press("r")
        await until(pilot, lambda: statuses(proj)[second.pseudonym] == "rejected")
        await settle(pilot)
        await pilot.press("up", "up", "u")  # back to review
        await until(pilot, lambda: statuses(proj)[first.pseudonym] == "candidate")
        await settle(pilot)
        await pilot.press("A")
        await until(pilot, lambda: "candidate" not in statuses(proj).values())
        await settle(pilot)
        assert statuses(proj)[second.pseudonym] == "rejected"
        await until(pilot, lambda: all(r.status != "candidate" for r in screen.rows))

    run(proj, PseudonymScreen, scenario)


def test_scan_again_finds_a_new_name(proj: Proj) -> None:
    from qualcode.coding.memos import add_memo

    with proj.project.write() as s:
        add_memo(s, body="Call back Detective Nora Quill on Monday.", coder="ana")

    async def scenario(pilot: Pilot[None], app: Harness) -> None:
        screen = screen_of(app)
        await until(pilot, lambda: screen.loads_done > 0)
        before = len(screen.rows)
        await pilot.press("s")
        await until(pilot, lambda: len(screen.rows) == before + 1)
        assert screen.rows[-1].forms == ["Detective Nora Quill", "Nora Quill", "Quill", "Nora"]
        assert statuses(proj)[screen.rows[-1].pseudonym] == "candidate"

    run(proj, PseudonymScreen, scenario)


def test_the_screen_fits_80_by_24(proj: Proj) -> None:
    app = Harness(PseudonymScreen, AppContext.create(proj.project, "ana"))

    async def main() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            screen = screen_of(app)
            await until(pilot, lambda: screen.loads_done > 0)
            await settle(pilot)
            table = screen.query_one("#pseudo-table", DataTable)
            context = screen.query_one("#pseudo-context")
            assert table.region.height >= 8
            assert context.region.height == 7
            assert context.region.bottom <= 23  # above the footer
            assert screen.query_one("#pseudo-status").region.right <= 80

    asyncio.run(main())


def test_share_package_and_risk_from_the_screen(proj: Proj, tmp_path: Path) -> None:
    target = tmp_path / "out" / "share.qdpx"

    async def scenario(pilot: Pilot[None], app: Harness) -> None:
        screen = screen_of(app)
        await until(pilot, lambda: screen.loads_done > 0)
        # nothing accepted yet: the share package is refused, and nothing is written
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one("#prompt-input", Input).value = str(target)
        await pilot.press("enter")
        await until(pilot, lambda: len(screen.reports) == 1)
        assert screen.reports[0].title == "share package refused"
        assert not target.exists()
        await pilot.press("A")
        await until(pilot, lambda: "candidate" not in statuses(proj).values())
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one("#prompt-input", Input).value = str(target)
        await pilot.press("enter")
        await until(pilot, lambda: len(screen.reports) == 2)
        assert screen.reports[1].title == "share package written", screen.reports[1].lines
        with zipfile.ZipFile(target) as zf:
            sources = [zf.read(n).decode() for n in zf.namelist() if n.startswith("sources/")]
        assert any("[Detective 1]" in t for t in sources)
        assert not any("Oduya" in t for t in sources)
        assert (target.parent / f"{target.name}.README.md").is_file()
        await pilot.press("k")
        await settle(pilot)
        app.screen.query_one("#prompt-input", Input).value = "state,office_type k=2"
        await pilot.press("enter")
        await until(pilot, lambda: len(screen.reports) == 3)
        lines = screen.reports[2].lines
        assert lines[0].startswith("k-anonymity over state, office_type: 1")
        assert "generalise state=suppress -> k = 2" in "\n".join(lines)

    run(proj, PseudonymScreen, scenario)
