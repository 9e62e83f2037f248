"""The text always gets the room: side columns give way on narrow terminals, come back with
ctrl+b and g, and the transcript is wrapped afresh (never shown twice or cut mid-word) on
opening and on every resize."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from qualcode.tui.app import create_app
from qualcode.tui.screens.coding import CodingScreen
from qualcode.tui.widgets.transcript import TranscriptView

Drive = Any
Small = Any


def shown_words(view: TranscriptView) -> list[str]:
    """The words on the view's screen rows, top to bottom, as they are painted."""
    rows = [view.render_line(y).text for y in range(view.size.height)]
    return " ".join(rows).split()


def assert_text_shown_once(view: TranscriptView, text: str) -> None:
    """The painted rows hold the text from the top, each word whole and once."""
    assert view.scroll_offset.y == 0
    shown = shown_words(view)
    assert shown, "nothing painted"
    assert shown == text.split()[: len(shown)]


def test_narrow_terminal_gives_the_text_the_room(small: Small, drive: Drive) -> None:
    doc = small.docs["P01.txt"]
    text = small.text("P01.txt")

    async def scenario(pilot: Pilot[None]) -> None:
        screen = await drive.open_coding(pilot, doc)
        tree, panel, view = screen.code_tree, screen.panel, screen.view
        assert screen.has_class("-narrow")
        assert not tree.display and not panel.display
        assert view.size.width >= 70

        await pilot.press("ctrl+b")  # shown, and the focus goes there
        await pilot.pause()
        assert tree.display and tree.has_focus and not panel.display
        assert view.size.width >= 40
        await pilot.press("down", "down")  # a code of the tree: Volume
        await pilot.press("ctrl+b")  # again: hidden, back to the text
        await pilot.pause()
        assert not tree.display and view.has_focus

        await pilot.press("g")
        await pilot.pause()
        assert panel.display and panel.has_focus_within and not tree.display
        await pilot.press("ctrl+b")  # one side column at a time
        await pilot.pause()
        assert tree.display and not panel.display

        # coding by keyboard works with the codebook hidden
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert not tree.display
        view.move_to(text.index("About half"))
        await drive.keys(pilot, screen, "s", "d")  # the sentence, as Lab backlog
        assert_text_shown_once(view, text)

    drive.run(create_app(small.project, "ana"), scenario, size=(80, 24))
    start = text.index("About half")
    coded = [(c.code_id, c.start, c.end) for c in small.codings("ana")]
    assert coded == [(small.codes["Lab backlog"], start, text.index("cases.") + 6)]


def test_columns_by_width(small: Small, drive: Drive) -> None:
    async def scenario(pilot: Pilot[None]) -> None:
        screen = await drive.open_coding(pilot, small.docs["P01.txt"])
        shown: dict[int, tuple[bool, bool, int]] = {}
        for width in (200, 120, 80):
            await pilot.resize_terminal(width, 40)
            await pilot.pause()
            shown[width] = (screen.code_tree.display, screen.panel.display, screen.view.size.width)
        assert shown[200][:2] == (True, True)
        assert shown[120][:2] == (True, False)
        assert shown[80][:2] == (False, False)
        assert shown[120][2] >= 80 and shown[200][2] >= 120 and shown[80][2] >= 70

    drive.run(create_app(small.project, "ana"), scenario, size=(200, 40))


def long_first_line(small: Small) -> str:
    return small.text("P01.txt").replace("\n\n", " ", 1)


def test_text_reflows_on_resize(small: Small, drive: Drive) -> None:
    """Wider, narrower, and back: each time the rows show the text once, in order."""
    text = small.text("P01.txt")

    async def scenario(pilot: Pilot[None]) -> None:
        screen = await drive.open_coding(pilot, small.docs["P01.txt"])
        assert isinstance(screen, CodingScreen)
        assert_text_shown_once(screen.view, text)
        for width, height in ((120, 40), (80, 24), (200, 60), (84, 30), (100, 24)):
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            assert_text_shown_once(screen.view, text)

    drive.run(create_app(small.project, "ana"), scenario, size=(80, 24))


def test_first_line_whole_on_first_open(small: Small, drive: Drive) -> None:
    """The first rows painted after opening come from the final wrap, at every size."""
    text = small.text("P01.txt")
    for size in ((80, 24), (120, 40), (200, 60)):

        async def scenario(pilot: Pilot[None]) -> None:
            screen = await drive.open_coding(pilot, small.docs["P01.txt"])
            assert_text_shown_once(screen.view, text)

        drive.run(create_app(small.project, "ana"), scenario, size=size)


def test_a_screen_resized_behind_another_takes_its_width_class(small: Small, drive: Drive) -> None:
    async def scenario(pilot: Pilot[None]) -> None:
        screen = await drive.open_coding(pilot, small.docs["P01.txt"])
        assert screen.has_class("-wide")
        await pilot.press("f3")
        await drive.until(pilot, lambda: pilot.app.screen is not screen)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.press("q")
        await drive.until(pilot, lambda: pilot.app.screen is screen)
        await pilot.pause()
        assert screen.has_class("-narrow") and not screen.has_class("-wide")
        assert not screen.code_tree.display and screen.view.size.width >= 70
        assert_text_shown_once(screen.view, small.text("P01.txt"))

    drive.run(create_app(small.project, "ana"), scenario, size=(200, 40))
