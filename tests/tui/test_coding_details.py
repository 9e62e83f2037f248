"""Small things of the coding screen: the cursor sits on a new coding, repeated ``s`` stays in
the speaker's turn, ``v`` shows only coders of the document, a memo's title wraps."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Label

from qualcode.coding.history import History
from qualcode.tui.app import create_app
from qualcode.tui.screens.memo import MemoScreen

Drive = Any
Small = Any


def test_after_coding_e_m_x_act_on_the_new_coding(small: Small, drive: Drive) -> None:
    text = small.text("P01.txt")
    start = text.index("About half")
    end = text.index("cases.") + len("cases.")
    extended = end + len(" The")

    async def scenario(pilot: Pilot[None]) -> None:
        screen = await drive.open_coding(pilot, small.docs["P01.txt"])
        screen.view.move_to(start)
        await pilot.press("s")
        await drive.keys(pilot, screen, "d")
        assert start <= screen.view.cursor_offset < end
        await pilot.press("escape")  # the selection goes, the cursor stays on the coding
        assert screen.view.selected_span is None
        await drive.keys(pilot, screen, "e")
        assert [(c.start, c.end) for c in small.codings("ana")] == [(start, extended)]
        await drive.keys(pilot, screen, "x")

    drive.run(create_app(small.project, "ana"), scenario)
    assert small.codings("ana") == []


def test_repeated_s_stays_in_the_turn(small: Small, drive: Drive) -> None:
    text = small.text("P01.txt")
    first = text.index("About half")
    turn_end = text.index("here.") + len("here.")
    next_turn = text.index("And the lab?")

    async def scenario(pilot: Pilot[None]) -> None:
        screen = await drive.open_coding(pilot, small.docs["P01.txt"])
        view = screen.view
        view.move_to(first)
        await pilot.press("s", "s", "s")
        assert view.selected_span == (first, turn_end)
        await pilot.press("s")  # the next turn's first sentence, alone, without its label
        assert view.selected_span == (next_turn, next_turn + len("And the lab?"))
        await drive.keys(pilot, screen, "k")

    drive.run(create_app(small.project, "ana"), scenario)
    (coding,) = small.codings("ana")
    assert (coding.start, coding.end) == (next_turn, next_turn + len("And the lab?"))


def test_v_cycles_only_through_coders_of_the_document(small: Small, drive: Drive) -> None:
    History(small.project, "cy").add(small.docs["P02.txt"], small.codes["Triage"], 0, 11)
    seen: list[str | None] = []

    async def scenario(pilot: Pilot[None]) -> None:
        screen = await drive.open_coding(pilot, small.docs["P01.txt"])
        assert "cy" in screen.coders  # cy coded the project, not this document
        for _ in range(3):
            await pilot.press("v")
            seen.append(screen.view_coder)

    drive.run(create_app(small.project, "ana"), scenario)
    assert seen == ["bob", None, "ana"]


def test_a_long_memo_title_wraps_at_80_columns(small: Small, drive: Drive) -> None:
    title_text = "Memo on coding: Digital evidence complexity/Forensic lab backlog (12095-12103)"

    async def scenario(pilot: Pilot[None]) -> None:
        screen = await drive.open_coding(pilot, small.docs["P01.txt"])
        memo = MemoScreen(screen.ctx, "document", small.docs["P01.txt"], title_text)
        pilot.app.push_screen(memo)
        await drive.until(pilot, lambda: memo.loaded)
        await pilot.pause()
        title = memo.query_one("#memo-title", Label)
        box = memo.query_one("#memo")
        assert box.region.right <= 80
        assert box.content_region.contains_region(title.content_region)
        assert title.content_region.height == 2  # wrapped, all of it shown

    drive.run(create_app(small.project, "ana"), scenario, size=(80, 24))
