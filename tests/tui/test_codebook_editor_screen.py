"""The codebook editor, driven with Pilot on a tiny test app; effects checked in the store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from textual.pilot import Pilot
from textual.widgets import Label, Static

from qualcode.coding.codes import code_paths
from qualcode.store.models import Code
from qualcode.tui.messages import CodebookChanged, CodingsChanged
from qualcode.tui.screens.codebook_editor import (
    CodebookEditorScreen,
    ConfirmScreen,
    DefinitionsEditor,
    TextPrompt,
)
from qualcode.tui.widgets.codebook_tree import CodebookTree

from .screen_harness import Harness, Proj, build_project, run, settle, until


@pytest.fixture
def proj(tmp_path: Path) -> Iterator[Proj]:
    built = build_project(tmp_path / "p.db")
    yield built
    built.project.dispose()


def paths(proj: Proj) -> list[str]:
    with proj.project.session() as s:
        return sorted(code_paths(s).values())


def editor(app: Harness) -> CodebookEditorScreen:
    screen = app.screen
    assert isinstance(screen, CodebookEditorScreen)
    return screen


async def highlight(pilot: Pilot[None], app: Harness, code_id: int) -> None:
    editor(app).query_one(CodebookTree).select_code(code_id)
    await pilot.pause()


def test_add_rename_key_and_definitions(proj: Proj) -> None:
    async def scenario(pilot: Pilot[None], app: Harness) -> None:
        shown = str(editor(app).query_one("#cbe-definitions", Static).render())
        assert "No code yet" not in shown  # there are codes: none is highlighted yet
        await highlight(pilot, app, proj.codes["Triage"])
        assert "Triage" in str(editor(app).query_one("#cbe-definitions", Static).render())
        await pilot.press("n", *"Drop", "enter")
        await settle(pilot)
        assert editor(app).selected is not None
        assert editor(app).selected.path == "Triage/Drop"  # the new code is highlighted
        await pilot.press("r", "end", *"ped", "enter")
        await settle(pilot)
        await pilot.press("s", "e", "enter")  # reserved for the coding screen: refused
        await settle(pilot)
        prompt = app.screen  # still open, saying why, for correcting
        assert isinstance(prompt, TextPrompt)
        assert "reserved" in str(prompt.query_one("#prompt-error", Label).render())
        await pilot.press("backspace", "7", "enter")
        await settle(pilot)
        assert app.screen is editor(app)
        await pilot.press("e")
        assert isinstance(app.screen, DefinitionsEditor)
        await pilot.press(*"Gone", "tab", *"Any", "ctrl+s")
        await settle(pilot)

    app = run(proj, CodebookEditorScreen, scenario)
    assert "Triage/Dropped" in paths(proj)
    with proj.project.session() as s:
        code = s.scalars(select(Code).where(Code.name == "Dropped")).one()
        assert (code.key, code.colour, code.parent_id) == (
            "7",
            "#d62728",
            proj.codes["Triage"],
        )
        assert (code.description, code.inclusion) == ("Gone", "Any")
    assert len(app.of(CodebookChanged)) == 4  # add, rename, key, definitions


def test_merge_moves_the_codings_after_confirmation(proj: Proj) -> None:
    plea, lab = proj.codes["Plea bargaining"], proj.codes["Lab backlog"]
    before = proj.codings()

    async def scenario(pilot: Pilot[None], app: Harness) -> None:
        await highlight(pilot, app, plea)
        await pilot.press("g", *"lab", "enter")
        await settle(pilot)
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        assert "2 coding(s) move from 'Triage/Plea bargaining' to 'Lab backlog'" in confirm.detail
        await pilot.press("n")  # not yet
        await settle(pilot)
        assert proj.codings() == before
        await pilot.press("g", *"lab", "enter")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        # the rebuilt tree moves its cursor to the target after its next refresh
        await until(pilot, lambda: getattr(editor(app).selected, "id", None) == lab)

    app = run(proj, CodebookEditorScreen, scenario)
    assert paths(proj) == ["Lab backlog", "Triage"]
    moved = sorted((d, lab if c == plea else c, a, b, who) for d, c, a, b, who in before)
    assert proj.codings() == moved
    assert app.of(CodingsChanged) and app.of(CodebookChanged)


def test_move_refuses_a_cycle_and_delete_only_unused(proj: Proj) -> None:
    async def scenario(pilot: Pilot[None], app: Harness) -> None:
        await highlight(pilot, app, proj.codes["Plea bargaining"])
        await pilot.press("M")  # to the top level
        await settle(pilot)
        await pilot.press("m", *"lab", "enter")
        await settle(pilot)
        await pilot.press("N", *"Sp", "enter")
        await settle(pilot)
        await pilot.press("x", "y")
        await settle(pilot)
        await highlight(pilot, app, proj.codes["Triage"])
        await pilot.press("x", "y")  # has a coding: refused
        await settle(pilot)

    run(proj, CodebookEditorScreen, scenario)
    assert paths(proj) == ["Lab backlog", "Lab backlog/Plea bargaining", "Triage"]
