"""The memo screen lists every memo of the store (project, document, passage, code, coding),
searches and filters them, and Enter opens what a memo is on."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from textual.pilot import Pilot
from textual.widgets import Input, Select

from qualcode.coding.memos import add_memo, memo_rows
from qualcode.store.models import Coding
from qualcode.tui.app import QualcodeApp, create_app
from qualcode.tui.messages import OpenDocument
from qualcode.tui.screens.coding import CodingScreen
from qualcode.tui.screens.memo_list import MemoListScreen
from qualcode.tui.screens.project import ProjectScreen
from qualcode.tui.screens.retrieval import RetrievalScreen

from .screen_harness import Harness, Proj, build_project, run, settle, until


@pytest.fixture
def proj(tmp_path: Path) -> Iterator[Proj]:
    built = build_project(tmp_path / "p.db")
    with built.project.write() as s:
        coding = s.scalars(select(Coding).order_by(Coding.id)).first()
        assert coding is not None
        built.codes["coding"] = coding.id
        start, end = built.span("P02.txt", "The lab is fast here.")
        add_memo(s, body="Overall: plea deals everywhere.", coder="ana")
        add_memo(s, body="Short interview.", coder="ben", target="document", ref="P02.txt")
        add_memo(
            s, body="Fast lab, federal office.", coder="ana", target="annotation",
            ref="P02.txt", start=start, end=end,
        )  # fmt: skip
        add_memo(s, body="Delays in the lab.", coder="ben", target="code", ref="Lab backlog")
        add_memo(s, body="Why plea here?", coder="ana", target="coding", ref=coding.id)
    yield built
    built.project.dispose()


def listed(app: Harness) -> list[tuple[str, str]]:
    screen = app.screen
    assert isinstance(screen, MemoListScreen)
    return [(r.target, r.body) for r in screen.rows]


def test_every_memo_is_listed_and_filters_narrow_them(proj: Proj) -> None:
    with proj.project.session() as s:
        stored = [(r.target, r.body) for r in memo_rows(s)]
    assert {t for t, _ in stored} == {"project", "document", "annotation", "code", "coding"}

    async def scenario(pilot: Pilot[None], app: Harness) -> None:
        screen = app.screen
        assert isinstance(screen, MemoListScreen)
        await until(pilot, lambda: screen.loads_done > 0)
        assert listed(app) == stored
        await pilot.press("slash", *"plea")
        await settle(pilot)
        assert listed(app) == [("project", "Overall: plea deals everywhere."), stored[-1]]
        screen.query_one("#memos-search", Input).value = ""
        screen.query_one("#memos-coder", Select).value = "ben"
        await settle(pilot)
        assert listed(app) == [
            r for r in stored if r[1] in ("Short interview.", "Delays in the lab.")
        ]
        screen.query_one("#memos-coder", Select).value = "__all__"
        screen.query_one("#memos-target", Select).value = "annotation"
        await settle(pilot)
        assert listed(app) == [("annotation", "Fast lab, federal office.")]
        # a memo written elsewhere shows on refresh (F5 calls this)
        with proj.project.write() as s:
            add_memo(s, body="Second passage note.", coder="ana", target="annotation",
                     ref="P01.txt", start=0, end=5)  # fmt: skip
        screen.refresh_data()
        await until(pilot, lambda: screen.loads_done > 1)
        await settle(pilot)
        assert [b for _, b in listed(app)] == ["Fast lab, federal office.", "Second passage note."]

    run(proj, MemoListScreen, scenario)


def test_enter_opens_the_passage_the_coding_or_the_code(proj: Proj) -> None:
    async def scenario(pilot: Pilot[None], app: Harness) -> None:
        screen = app.screen
        assert isinstance(screen, MemoListScreen)
        await until(pilot, lambda: screen.loads_done > 0)
        await pilot.press("down", "down", "enter")  # the annotation
        await pilot.press("down", "down", "enter")  # the coding's memo
        await settle(pilot)
        await pilot.press("up", "enter")  # the code's memo: its retrieval
        await settle(pilot)
        assert isinstance(app.screen, RetrievalScreen)
        assert app.screen.code_id == proj.codes["Lab backlog"]

    app = run(proj, MemoListScreen, scenario)
    opened = [(m.document_id, m.start, m.end) for m in app.of(OpenDocument)]  # type: ignore[attr-defined]
    with proj.project.session() as s:
        coding = s.get(Coding, proj.codes["coding"])
        assert coding is not None
        coded = (coding.document_id, coding.start, coding.end)
    assert opened == [(proj.docs["P02.txt"], *proj.span("P02.txt", "The lab is fast here.")), coded]


def test_f10_opens_the_memos_and_enter_selects_the_passage_in_the_coding_screen(
    small: Any, drive: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUALCODE_CONFIG_DIR", str(tmp_path / "config"))
    text = small.text("P02.txt")
    start = text.index("The lab is fast here.")
    end = start + len("The lab is fast here.")
    with small.project.write() as s:
        add_memo(
            s, body="Fast lab.", coder="ana", target="annotation", ref="P02.txt",
            start=start, end=end,
        )  # fmt: skip

    async def scenario(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, QualcodeApp)
        await drive.until(
            pilot, lambda: isinstance(app.screen, ProjectScreen) and app.screen.loaded
        )
        await pilot.press("f10")
        await drive.until(
            pilot, lambda: isinstance(app.screen, MemoListScreen) and app.screen.loads_done > 0
        )
        assert listed(app) == [("annotation", "Fast lab.")]
        await pilot.press("enter")
        await drive.until(pilot, lambda: isinstance(app.screen, CodingScreen) and app.screen.loaded)
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        assert screen.document_id == small.docs["P02.txt"]
        assert screen.view.selected_span == (start, end)

    drive.run(create_app(small.project, "ana"), scenario, size=(80, 24))
