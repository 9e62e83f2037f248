"""The retrieval screen saves its results (every one, not only those shown) as CSV or Excel,
through the writer ``retrieve --out`` uses; checked against a retrieval from the store."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from textual.pilot import Pilot
from textual.widgets import Input

from qualcode.coding.retrieval import retrieve
from qualcode.tui.screens.retrieval import RetrievalScreen
from qualcode.tui.screens.text_prompt import TextPrompt

from .screen_harness import Harness, Proj, build_project, run, settle, until


@pytest.fixture
def proj(tmp_path: Path) -> Iterator[Proj]:
    built = build_project(tmp_path / "p.db")
    yield built
    built.project.dispose()


def stored(proj: Proj) -> list[tuple[str, str, int, int, str]]:
    with proj.project.session() as s:
        rows = retrieve(s, codes=[proj.codes["Triage"]], descendants=True)
    return [(r.document, r.coder, r.start, r.end, r.text) for r in rows]


def test_save_as_csv_then_as_xlsx(proj: Proj, tmp_path: Path) -> None:
    def make(ctx):  # type: ignore[no-untyped-def]
        return RetrievalScreen(ctx, code_id=proj.codes["Triage"])

    csv_path = tmp_path / "triage.csv"
    xlsx_path = tmp_path / "triage.xlsx"

    async def save(pilot: Pilot[None], app: Harness, path: Path) -> None:
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, TextPrompt))
        field = app.screen.query_one("#prompt-input", Input)
        assert field.value.endswith(".xlsx") and "triage" in field.value
        field.value = str(path)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RetrievalScreen)
        await until(pilot, lambda: screen.saved_to == path)

    async def scenario(pilot: Pilot[None], app: Harness) -> None:
        await pilot.press("a")  # with sub-codes: three segments
        await settle(pilot)
        await save(pilot, app, csv_path)
        await save(pilot, app, xlsx_path)
        # Esc in the question cancels: nothing written
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, TextPrompt))
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, RetrievalScreen)

    run(proj, make, scenario)
    want = stored(proj)
    assert len(want) == 3
    with csv_path.open(encoding="utf-8", newline="") as f:
        got = [
            (r["document"], r["coder"], int(r["start"]), int(r["end"]), r["text"])
            for r in csv.DictReader(f)
        ]
    assert got == want
    ws = load_workbook(xlsx_path, read_only=True)["Retrieved segments"]
    cells = list(ws.iter_rows(min_row=2, values_only=True))
    assert [(c[1], c[5], c[6], c[7], c[9]) for c in cells] == want
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix in (".csv", ".xlsx")) == [
        "triage.csv",
        "triage.xlsx",
    ]


def test_save_refuses_another_ending(proj: Proj, tmp_path: Path) -> None:
    def make(ctx):  # type: ignore[no-untyped-def]
        return RetrievalScreen(ctx, code_id=proj.codes["Lab backlog"])

    async def scenario(pilot: Pilot[None], app: Harness) -> None:
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, TextPrompt))
        app.screen.query_one("#prompt-input", Input).value = str(tmp_path / "lab.txt")
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RetrievalScreen) and screen.saved_to is None
        assert any(".csv or an .xlsx" in n.message for n in app._notifications)

    run(proj, make, scenario)
    assert not (tmp_path / "lab.txt").exists()
