"""Make the README's screenshots from the demo project: the coding screen, wide and at 80×24,
and the HTML report (``qualcode report``) in headless Chromium: its top, and its saturation
section alone (the other sections hidden by a style added to a copy of the page).

.venv/bin/qualcode demo --project exports/demo.qualcode.db
.venv/bin/python docs/make_screenshots.py
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import tempfile
from pathlib import Path

from qualcode.coding.document_view import document_rows
from qualcode.report.build import write_report
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


#: the report's screenshots: file -> (window height, sections shown; None: the whole page)
REPORT_SHOTS: dict[str, tuple[int, tuple[str, ...] | None]] = {
    "report.png": (1250, None),
    "report-saturation.png": (820, ("saturation",)),
}


def shoot_report() -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("the report's screenshots need chromium (apt-get install chromium)")
    project = open_project(DEMO)
    with tempfile.TemporaryDirectory() as tmp:
        page = write_report(project, Path(tmp) / "report.html")
        html = page.read_text(encoding="utf-8")
        for name, (height, sections) in REPORT_SHOTS.items():
            shown = page
            if sections is not None:
                keep = "".join(f":not(#{s})" for s in sections)
                style = f"<style>header, nav, section{keep} {{ display: none; }}</style>"
                shown = Path(tmp) / f"{name}.html"
                shown.write_text(html.replace("</head>", style + "</head>"), encoding="utf-8")
            subprocess.run(
                [
                    chromium,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--no-first-run",
                    f"--user-data-dir={tmp}/profile",
                    "--hide-scrollbars",
                    f"--window-size=1000,{height}",
                    f"--screenshot={DOCS / name}",
                    shown.as_uri(),
                ],
                check=True,
                capture_output=True,
            )
            print(DOCS / name)
    project.dispose()


def main() -> None:
    for name, size in SHOTS.items():
        asyncio.run(shoot(name, size))
        print(DOCS / name)
    shoot_report()


if __name__ == "__main__":
    main()
