"""Coding in the coding screen, checked against the store: selecting, applying, removing,
re-coding, resizing, undo and redo."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from qualcode.tui.app import create_app
from qualcode.tui.widgets.coding_list import CodingList

Drive = Any
Small = Any


def span_of(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def test_select_sentence_then_code_key_stores_the_coding(small: Small, drive: Drive) -> None:
    text = small.text("P01.txt")
    start, end = span_of(text, "The lab is slow, really slow.")

    async def scenario(pilot: Pilot[None]) -> None:
        screen = await drive.open_coding(pilot, small.docs["P01.txt"])
        screen.view.move_to(start + 4)
        await pilot.press("s")
        assert screen.view.selected_span == (start, end)
        await drive.keys(pilot, screen, "b")
        assert (start, end, small.codes["Volume"]) in screen.view.codings.values()

    drive.run(create_app(small.project, "ana"), scenario)
    (coding,) = small.codings("ana")
    assert (coding.start, coding.end) == (start, end)
    assert coding.code_id == small.codes["Volume"]
    assert coding.document_id == small.docs["P01.txt"]


def test_shift_arrows_select_and_the_picker_codes(small: Small, drive: Drive) -> None:
    text = small.text("P01.txt")
    start = text.index("Plea deals")

    async def scenario(pilot: Pilot[None]) -> None:
        screen = await drive.open_coding(pilot, small.docs["P01.txt"])
        screen.view.move_to(start)
        await pilot.press(*["shift+right"] * 10)
        assert screen.view.selected_span == (start, start + 10)
        await pilot.press("c")
        await pilot.press(*"triag")
        await drive.keys(pilot, screen, "enter")

    drive.run(create_app(small.project, "ana"), scenario)
    (coding,) = small.codings("ana")
    assert (coding.start, coding.end, coding.code_id) == (start, start + 10, small.codes["Triage"])


def test_word_jumps_select_whole_words(small: Small, drive: Drive) -> None:
    text = small.text("P01.txt")
    start = text.index("About half")

    async def scenario(pilot: Pilot[None]) -> None:
        screen = await drive.open_coding(pilot, small.docs["P01.txt"])
        screen.view.move_to(start)
        await pilot.press("ctrl+shift+right", "ctrl+shift+right")
        assert text[slice(*screen.view.selected_span)] == "About half"
        await drive.keys(pilot, screen, "1")

    drive.run(create_app(small.project, "ana"), scenario)
    (coding,) = small.codings("ana")
    assert text[coding.start : coding.end] == "About half"
    assert coding.code_id == small.codes["Caseload"]


def test_sentence_jumps_extend_the_selection(small: Small, drive: Drive) -> None:
    text = small.text("P01.txt")
    first = text.index("About half")
    second_end = text.index("really slow.") + len("really slow.")

    async def scenario(pilot: Pilot[None]) -> None:
        screen = await drive.open_coding(pilot, small.docs["P01.txt"])
        screen.view.move_to(first)
        await pilot.press("ctrl+shift+down", "ctrl+shift+down")
        assert screen.view.selected_span == (first, second_end)
        await pilot.press("escape")
        assert screen.view.selected_span is None
        assert screen.view.cursor_offset == second_end
        await pilot.press("ctrl+down")
        assert screen.view.cursor_offset == text.index("Plea deals")
        await pilot.press("ctrl+up")
        assert screen.view.cursor_offset == text.index("The lab is slow")

    drive.run(create_app(small.project, "ana"), scenario)


def test_sentence_key_again_adds_the_next_sentence(small: Small, drive: Drive) -> None:
    text = small.text("P01.txt")
    first = text.index("About half")
    end = text.index("really slow.") + len("really slow.")

    async def scenario(pilot: Pilot[None]) -> None:
        screen = await drive.open_coding(pilot, small.docs["P01.txt"])
        screen.view.move_to(first + 2)
        await pilot.press("s", "s")
        await drive.keys(pilot, screen, "d")

    drive.run(create_app(small.project, "ana"), scenario)
    (coding,) = small.codings("ana")
    assert (coding.start, coding.end) == (first, end)


def test_turn_key_codes_the_turn_without_its_speaker_label(small: Small, drive: Drive) -> None:
    text = small.text("P01.txt")
    body = text.index("The lab takes")

    async def scenario(pilot: Pilot[None]) -> None:
        screen = await drive.open_coding(pilot, small.docs["P01.txt"])
        screen.view.move_to(body + 10)
        await pilot.press("t")
        await drive.keys(pilot, screen, "k")

    drive.run(create_app(small.project, "ana"), scenario)
    (coding,) = small.codings("ana")
    assert (coding.start, coding.end) == (body, len(text))
    assert text[coding.start - 5 : coding.start] == "P01: "


def test_mouse_drag_selects_text_to_code(small: Small, drive: Drive) -> None:
    async def scenario(pilot: Pilot[None]) -> None:
        screen = await drive.open_coding(pilot, small.docs["P01.txt"])
        view = screen.view
        await pilot.mouse_down(view, offset=(1 + 13, 0))
        await pilot.hover(view, offset=(1 + 22, 0))
        await pilot.mouse_up(view, offset=(1 + 22, 0))
        assert view.selected_span is not None
        await drive.keys(pilot, screen, "b")

    drive.run(create_app(small.project, "ana"), scenario)
    (coding,) = small.codings("ana")
    assert small.text("P01.txt")[coding.start : coding.end] == "How many"


def test_code_key_without_a_selection_changes_nothing(small: Small, drive: Drive) -> None:
    async def scenario(pilot: Pilot[None]) -> None:
        screen = await drive.open_coding(pilot, small.docs["P01.txt"])
        await pilot.press("b")
        await pilot.pause(0.1)
        assert screen.writes_done == 0

    drive.run(create_app(small.project, "ana"), scenario)
    assert small.codings("ana") == []


def test_remove_undo_redo(small: Small, drive: Drive) -> None:
    text = small.text("P01.txt")
    start, end = span_of(text, "Plea deals are common here.")
    seen: list[int] = []

    async def scenario(pilot: Pilot[None]) -> None:
        screen = await drive.open_coding(pilot, small.docs["P01.txt"])
        screen.view.move_to(start + 1)
        await pilot.press("s")
        await drive.keys(pilot, screen, "k")
        seen.append(len(small.codings("ana")))
        await drive.keys(pilot, screen, "x")
        seen.append(len(small.codings("ana")))
        await drive.keys(pilot, screen, "u")
        seen.append(len(small.codings("ana")))
        await drive.keys(pilot, screen, "U")
        seen.append(len(small.codings("ana")))
        await drive.keys(pilot, screen, "ctrl+z")
        seen.append(len(small.codings("ana")))
        await drive.keys(pilot, screen, "ctrl+y")
        seen.append(len(small.codings("ana")))
        await drive.keys(pilot, screen, "u")
        assert (start, end, small.codes["Triage"]) in screen.view.codings.values()

    drive.run(create_app(small.project, "ana"), scenario)
    assert seen == [1, 0, 1, 0, 1, 0]
    (coding,) = small.codings("ana")
    assert (coding.start, coding.end, coding.code_id) == (start, end, small.codes["Triage"])


def test_undo_removes_a_new_coding(small: Small, drive: Drive) -> None:
    async def scenario(pilot: Pilot[None]) -> None:
        screen = await drive.open_coding(pilot, small.docs["P02.txt"])
        screen.view.move_to(small.text("P02.txt").index("Rarely"))
        await pilot.press("s")
        await drive.keys(pilot, screen, "k")
        assert len(small.codings("ana")) == 1
        await drive.keys(pilot, screen, "u")
        assert screen.view.codings == {}

    drive.run(create_app(small.project, "ana"), scenario)
    assert small.codings("ana") == []


def test_recode_changes_the_code(small: Small, drive: Drive) -> None:
    text = small.text("P01.txt")
    start, end = span_of(text, "About half of them are these cases.")

    async def scenario(pilot: Pilot[None]) -> None:
        screen = await drive.open_coding(pilot, small.docs["P01.txt"])
        screen.view.move_to(start + 3)
        await pilot.press("s")
        await drive.keys(pilot, screen, "1")
        await pilot.press("r")
        await pilot.pause()
        await pilot.press(*"volume")
        await drive.keys(pilot, screen, "enter")

    drive.run(create_app(small.project, "ana"), scenario)
    (coding,) = small.codings("ana")
    assert (coding.start, coding.end, coding.code_id) == (start, end, small.codes["Volume"])


def test_extend_and_shrink_by_words(small: Small, drive: Drive) -> None:
    text = small.text("P01.txt")
    start = text.index("lab is slow")
    spans: list[str] = []
    selected: list[tuple[int, int] | None] = []

    async def scenario(pilot: Pilot[None]) -> None:
        screen = await drive.open_coding(pilot, small.docs["P01.txt"])
        screen.view.select_span(start, start + len("lab is"))
        await drive.keys(pilot, screen, "d")
        for key in ("e", "e", "w", "E", "W"):
            await drive.keys(pilot, screen, key)
            (coding,) = small.codings("ana")
            spans.append(text[coding.start : coding.end])
            selected.append(screen.view.selected_span)
            assert selected[-1] in (None, (coding.start, coding.end))  # never the old span

    drive.run(create_app(small.project, "ana"), scenario)
    assert spans == [
        "lab is slow",
        "lab is slow, really",
        "lab is slow",
        "The lab is slow",
        "lab is slow",
    ]


def test_another_coders_coding_cannot_be_removed(small: Small, drive: Drive) -> None:
    text = small.text("P01.txt")

    async def scenario(pilot: Pilot[None]) -> None:
        screen = await drive.open_coding(pilot, small.docs["P01.txt"])
        assert screen.view.codings == {}  # bob's codings are not mine
        await pilot.press("v")  # bob's
        assert len(screen.view.codings) == 2
        screen.view.move_to(text.index("really slow"))
        await pilot.pause()
        assert screen.focus_coding_id is not None
        await pilot.press("x")
        await pilot.pause(0.1)
        assert screen.writes_done == 0
        await pilot.press("v")  # all coders
        assert len(screen.view.codings) == 2
        await pilot.press("v")  # back to mine
        assert screen.view.codings == {}

    drive.run(create_app(small.project, "ana"), scenario)
    assert len(small.codings("bob")) == 2


def test_the_coding_highlighted_at_the_cursor_is_the_one_removed(
    small: Small, drive: Drive
) -> None:
    """Two of my codings at the cursor: Tab to the side panel, and moving down its list picks
    the second, and x removes that one, not the first."""
    text = small.text("P01.txt")
    sentence = span_of(text, "The lab is slow, really slow.")

    async def scenario(pilot: Pilot[None]) -> None:
        screen = await drive.open_coding(pilot, small.docs["P01.txt"])
        screen.view.move_to(sentence[0] + 4)
        await pilot.press("s")
        await drive.keys(pilot, screen, "d")
        await pilot.press("t")
        await drive.keys(pilot, screen, "k")
        screen.view.move_to(sentence[0] + 4)
        await pilot.pause()
        at_cursor = screen.panel.query_one("#at-cursor", CodingList)
        assert [c.code_id for c in at_cursor.rows] == [
            small.codes["Lab backlog"],
            small.codes["Triage"],
        ]
        await pilot.press("tab")
        assert at_cursor.has_focus
        await pilot.press("down")
        await pilot.pause()
        assert screen.focus_coding_id == at_cursor.rows[1].id
        await drive.keys(pilot, screen, "x")

    drive.run(create_app(small.project, "ana"), scenario)
    (left,) = small.codings("ana")
    assert (left.start, left.end, left.code_id) == (*sentence, small.codes["Lab backlog"])
