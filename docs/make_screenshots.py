"""Make the README's screenshots of the coding screen, wide and at 80×24, from the demo project.

.venv/bin/qualcode demo --project exports/demo.qualcode.db
.venv/bin/python docs/make_screenshots.py
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from qualcode.coding.document_view import document_rows
from qualcode.store import open_project
from qualcode.tui.app import create_app
from qualcode.tui.messages import OpenDocument
from qualcode.tui.screens.coding import CodingScreen

DOCS = Path(__file__).parent
DEMO = DOCS.parent / "exports" / "demo.qualcode.db"
SHOTS = {"coding-screen.svg": (160, 45), "coding-screen-80x24.svg": (80, 24)}
CODER = "okafor"  # one of the demo's coders, whose codings show in colour


async def shoot(name: str, size: tuple[int, int]) -> None:
    project = open_project(DEMO)
    with project.session() as s:
        first = min(document_rows(s), key=lambda d: d.name)
    app = create_app(project, CODER)
    async with app.run_test(size=size) as pilot:
        while app.ctx is None:
            await pilot.pause(0.05)
        app.post_message(OpenDocument(first.id))
        while not (isinstance(app.screen, CodingScreen) and app.screen.loaded):
            await pilot.pause(0.05)
        screen = app.screen
        coded = screen._visible[2] if len(screen._visible) > 2 else None
        if coded is not None:
            screen.view.move_to(coded.start)
            screen.view.scroll_to_offset(coded.start)
            await pilot.press("s")
        await pilot.pause(0.5)
        app.save_screenshot(filename=name, path=str(DOCS))
    project.dispose()


def main() -> None:
    for name, size in SHOTS.items():
        asyncio.run(shoot(name, size))
        print(DOCS / name)


if __name__ == "__main__":
    main()
