"""What one cursor step in the coding screen costs, counted (not timed): the screen paints
once per step, with the status line and the codings at the cursor already showing the new
position, and reads nothing from the store."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event
from textual.pilot import Pilot
from textual.widgets import Static

from qualcode.tui import coding_service
from qualcode.tui.app import create_app
from qualcode.tui.screens.coding import CodingScreen
from qualcode.tui.widgets.coding_list import CodingList

Drive = Any
Small = Any

#: the keys of the steps (each moves the cursor): down across lines with and without codings,
#: across words into and out of codings, selecting, to the line's edges, a page down and up
STEPS = (
    *["down"] * 4,
    *["ctrl+right"] * 8,
    "up",
    *["shift+right"] * 3,
    "home",
    "end",
    "shift+down",
    "pagedown",
    "pageup",
)


def status_of(screen: CodingScreen) -> str:
    return str(screen.query_one("#status", Static).content)


def test_the_screen_follows_the_cursor_in_the_same_turn(small: Small, drive: Drive) -> None:
    """Moving the cursor updates the status line and the codings at the cursor before
    anything else runs, so that they repaint in the frame that repaints the text (through
    TextArea's SelectionChanged message they came one frame later: two paints a step)."""
    text = small.text("P01.txt")
    lab = text.index("The lab is slow")

    async def scenario(pilot: Pilot[None]) -> None:
        screen = await drive.open_coding(pilot, small.docs["P01.txt"])
        await pilot.press("v")  # bob's codings: they show at the cursor
        await pilot.pause()
        at_cursor = screen.panel.query_one("#at-cursor", CodingList)
        assert at_cursor.rows == []
        screen.view.move_to(lab + 3)  # no await: nothing else has run since
        assert f"at {lab + 3}" in status_of(screen)
        assert [c.start for c in at_cursor.rows] == [lab]
        screen.view.move_to(0)
        assert "at 0 " in status_of(screen) + " "
        assert at_cursor.rows == []

    drive.run(create_app(small.project, "ana"), scenario)


def test_a_cursor_step_paints_once_and_reads_nothing(
    small: Small, drive: Drive, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(coding_service, "POLL_SECONDS", 3600.0)  # no look for others' changes
    statements: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    async def scenario(pilot: Pilot[None]) -> None:
        screen = await drive.open_coding(pilot, small.docs["P01.txt"])
        app = pilot.app
        await pilot.press("v")  # bob's codings: the side panel changes as the cursor moves
        await drive.until(pilot, lambda: not app.ctx.coding.busy)  # type: ignore[attr-defined]
        await pilot.pause()
        frames = 0
        paint = screen._compositor_refresh

        def counted() -> None:
            nonlocal frames
            frames += 1
            paint()

        monkeypatch.setattr(screen, "_compositor_refresh", counted)
        event.listen(small.project.engine, "before_cursor_execute", count)
        try:
            panel_changes = 0
            at_cursor = screen.panel.query_one("#at-cursor", CodingList)
            for key in STEPS:
                before, rows = screen.view.selection, list(at_cursor.rows)
                frames = 0
                await pilot.press(key)
                assert screen.view.selection != before, key
                assert frames == 1, (key, frames)
                assert f"at {screen.view.cursor_offset}" in status_of(screen)
                panel_changes += at_cursor.rows != rows
        finally:
            event.remove(small.project.engine, "before_cursor_execute", count)
        assert panel_changes >= 2  # the steps went into bob's codings and out again
        assert statements == []

    drive.run(create_app(small.project, "ana"), scenario)
