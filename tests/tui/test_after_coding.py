"""Small things after coding: the cursor sits on the new coding, and repeated ``s`` stays in
the speaker's turn."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from qualcode.tui.app import create_app

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
