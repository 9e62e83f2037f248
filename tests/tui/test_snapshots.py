"""Snapshots of the project screen, the coding screen with highlights, and the help screen.

Update them after a deliberate change with ``pytest tests/tui --snapshot-update``.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from qualcode.coding.history import History
from qualcode.tui.app import create_app
from qualcode.tui.screens.help import HelpScreen
from qualcode.tui.screens.project import ProjectScreen

Drive = Any
Small = Any


def test_project_screen(small: Small, drive: Drive, snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        app = pilot.app
        await drive.until(
            pilot, lambda: isinstance(app.screen, ProjectScreen) and app.screen.loaded
        )
        await pilot.pause()

    app = create_app(small.project, "ana")
    assert snap_compare(app, terminal_size=drive.size, run_before=run_before)


def test_coding_screen_with_highlights_and_overlaps(
    small: Small, drive: Drive, snap_compare: Any
) -> None:
    text = small.text("P01.txt")
    history = History(small.project, "ana")
    doc = small.docs["P01.txt"]
    about = text.index("About half")
    history.add(doc, small.codes["Volume"], about, text.index("really slow.") + 12)
    history.add(doc, small.codes["Lab backlog"], text.index("The lab is"), text.index("Plea") - 1)
    history.add(doc, small.codes["Triage"], text.index("Plea deals"), text.index("here.") + 5)

    async def run_before(pilot: Pilot[None]) -> None:
        screen = await drive.open_coding(pilot, doc)
        screen.view.move_to(text.index("lab is slow"))
        await pilot.pause()

    app = create_app(small.project, "ana")
    assert snap_compare(app, terminal_size=drive.size, run_before=run_before)


def test_help_screen(small: Small, drive: Drive, snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        app = pilot.app
        await drive.open_coding(pilot, small.docs["P02.txt"])
        await pilot.press("question_mark")
        await drive.until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.pause()

    app = create_app(small.project, "ana")
    assert snap_compare(app, terminal_size=drive.size, run_before=run_before)
