"""The transcript view paints codings, marks overlaps, and restyles only what changed."""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.app import App, ComposeResult

import qualcode.tui
from qualcode.tui.widgets.navigation import TurnStop
from qualcode.tui.widgets.transcript import TranscriptView

LINES = [f"Line {i:03d}: the lab is slow and the cases wait for months." for i in range(200)]
TEXT = "\n".join(LINES)
RED, BLUE = "#ff0000", "#0000ff"


class ViewApp(App[None]):
    CSS_PATH = Path(qualcode.tui.__file__).parent / "app.tcss"

    def compose(self) -> ComposeResult:
        yield TranscriptView(id="transcript")


def start_of(row: int) -> int:
    return sum(len(line) + 1 for line in LINES[:row])


def run(check: object) -> None:
    async def main() -> None:
        app = ViewApp()
        async with app.run_test(size=(100, 30)) as pilot:
            view = app.query_one(TranscriptView)
            view.show_text(
                TEXT,
                codings={
                    1: (start_of(2) + 9, start_of(2) + 20, 10),
                    2: (start_of(2) + 15, start_of(4), 20),
                },
                colours={10: RED, 20: BLUE},
                turns=[TurnStop(start_of(0), start_of(0) + 9, len(LINES[0]), "Line 000")],
            )
            view.focus()
            await pilot.pause()
            await check(pilot, view)  # type: ignore[operator]

    asyncio.run(main())


def test_codings_are_painted_and_overlaps_are_marked() -> None:
    async def check(pilot: object, view: TranscriptView) -> None:
        line = view.get_line(2)
        styles = {span.start: span.style for span in line.spans}
        single = styles[9]
        overlap = styles[15]
        assert single.bgcolor is not None and single.underline is not True
        assert overlap.underline is True and overlap.bold is True
        assert overlap.bgcolor != single.bgcolor
        assert view.get_line(3).spans  # the coding crossing lines paints the next line too
        assert not view.get_line(5).spans
        label = view.get_line(0).spans[0]
        assert (label.start, label.end) == (0, 9) and label.style.bold

    run(check)


def test_a_change_restyles_only_the_lines_it_touches() -> None:
    async def check(pilot: object, view: TranscriptView) -> None:
        built = view.stats["built"]
        rows = view.set_codings({**view.codings, 3: (start_of(10) + 2, start_of(10) + 8, 10)})
        await pilot.pause()  # type: ignore[attr-defined]
        assert rows == {10}
        assert view.stats["built"] - built == 1
        view.set_codings({3: (start_of(10) + 2, start_of(10) + 8, 10)})
        assert view.codings == {3: (start_of(10) + 2, start_of(10) + 8, 10)}

    run(check)


def test_moving_the_cursor_or_scrolling_renders_only_new_rows() -> None:
    async def check(pilot: object, view: TranscriptView) -> None:
        visible = view.size.height
        rendered, built = view.stats["rendered"], view.stats["built"]
        await pilot.press("down")  # type: ignore[attr-defined]
        assert view.stats["rendered"] - rendered <= 2  # the row left and the row entered
        assert view.stats["built"] == built
        rendered = view.stats["rendered"]
        view.scroll_to(y=1, animate=False)
        await pilot.pause()  # type: ignore[attr-defined]
        assert view.stats["rendered"] - rendered <= 2
        assert view.stats["built"] - built <= 2
        assert visible > 10

    run(check)
