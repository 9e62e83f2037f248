"""Memos, jumps between codings, search, the speaker filter and the coder view."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from textual.pilot import Pilot
from textual.widgets import TextArea

from qualcode.coding.memos import read_memo
from qualcode.store.models import Memo
from qualcode.tui.app import create_app
from qualcode.tui.screens.memo import MemoScreen

Drive = Any
Small = Any


def memos(small: Small) -> list[Memo]:
    with small.project.session() as s:
        return list(s.scalars(select(Memo).order_by(Memo.id)).all())


async def write_memo(pilot: Pilot[None], drive: Drive, key: str, body: str) -> None:
    app = pilot.app
    await pilot.press(key)
    await drive.until(pilot, lambda: isinstance(app.screen, MemoScreen) and app.screen.loaded)
    app.screen.query_one("#memo-body", TextArea).insert(body)
    await pilot.press("ctrl+s")
    await drive.until(pilot, lambda: not isinstance(app.screen, MemoScreen))


def test_memo_on_the_coding_at_the_cursor(small: Small, drive: Drive) -> None:
    text = small.text("P01.txt")
    start = text.index("Plea deals")

    async def scenario(pilot: Pilot[None]) -> None:
        screen = await drive.open_coding(pilot, small.docs["P01.txt"])
        screen.view.move_to(start + 2)
        await pilot.press("s")
        await drive.keys(pilot, screen, "k")
        before = screen.writes_done
        await write_memo(pilot, drive, "m", "plea deals as triage")
        await drive.until(pilot, lambda: screen.writes_done > before)
        assert screen.codings[screen.focus_coding_id].memo == "plea deals as triage"

    drive.run(create_app(small.project, "ana"), scenario)
    (coding,) = small.codings("ana")
    with small.project.session() as s:
        assert read_memo(s, "coding", coding.id, "ana") == "plea deals as triage"


def test_memo_on_the_document_and_edit_it_again(small: Small, drive: Drive) -> None:
    async def scenario(pilot: Pilot[None]) -> None:
        await drive.open_coding(pilot, small.docs["P02.txt"])
        await write_memo(pilot, drive, "M", "federal office")
        await write_memo(pilot, drive, "M", ", fast lab")

    drive.run(create_app(small.project, "ana"), scenario)
    (memo,) = memos(small)
    assert memo.document_id == small.docs["P02.txt"]
    assert memo.body == "federal office, fast lab"


def test_m_without_a_coding_writes_a_document_memo(small: Small, drive: Drive) -> None:
    async def scenario(pilot: Pilot[None]) -> None:
        await drive.open_coding(pilot, small.docs["P01.txt"])
        await write_memo(pilot, drive, "m", "first read")

    drive.run(create_app(small.project, "ana"), scenario)
    (memo,) = memos(small)
    assert (memo.document_id, memo.body) == (small.docs["P01.txt"], "first read")


def test_memo_on_the_highlighted_code(small: Small, drive: Drive) -> None:
    async def scenario(pilot: Pilot[None]) -> None:
        screen = await drive.open_coding(pilot, small.docs["P01.txt"])
        screen.code_tree.select_code(small.codes["Lab backlog"])
        await pilot.pause()
        await write_memo(pilot, drive, "ctrl+k", "state lab only")

    drive.run(create_app(small.project, "ana"), scenario)
    (memo,) = memos(small)
    assert (memo.code_id, memo.body) == (small.codes["Lab backlog"], "state lab only")


def test_escape_leaves_the_memo_unsaved(small: Small, drive: Drive) -> None:
    async def scenario(pilot: Pilot[None]) -> None:
        app = pilot.app
        await drive.open_coding(pilot, small.docs["P01.txt"])
        await pilot.press("M")
        await drive.until(pilot, lambda: isinstance(app.screen, MemoScreen) and app.screen.loaded)
        app.screen.query_one("#memo-body", TextArea).insert("never mind")
        await pilot.press("escape")
        await drive.until(pilot, lambda: not isinstance(app.screen, MemoScreen))

    drive.run(create_app(small.project, "ana"), scenario)
    assert memos(small) == []


def test_next_and_previous_coding_of_the_highlighted_code(small: Small, drive: Drive) -> None:
    text = small.text("P01.txt")
    first, second = text.index("The lab is slow"), text.index("The lab takes")
    seen: list[int] = []

    async def scenario(pilot: Pilot[None]) -> None:
        screen = await drive.open_coding(pilot, small.docs["P01.txt"])
        await pilot.press("v")  # bob's codings: two of Lab backlog
        screen.code_tree.select_code(small.codes["Lab backlog"])
        await pilot.pause()
        for key in ("n", "n", "n", "N"):
            await pilot.press(key)
            seen.append(screen.view.cursor_offset)
        assert screen.focus_coding_id is not None

    drive.run(create_app(small.project, "ana"), scenario)
    assert seen == [first, second, first, second]


def test_search_finds_the_next_match(small: Small, drive: Drive) -> None:
    text = small.text("P01.txt")
    matches = [i for i in range(len(text)) if text.lower().startswith("lab", i)]
    seen: list[tuple[int, int] | None] = []

    async def scenario(pilot: Pilot[None]) -> None:
        screen = await drive.open_coding(pilot, small.docs["P01.txt"])
        await pilot.press("slash", *"LAB", "enter")
        seen.append(screen.view.selected_span)
        await pilot.press("ctrl+g")
        seen.append(screen.view.selected_span)
        await pilot.press("slash", "enter")
        seen.append(screen.view.selected_span)

    drive.run(create_app(small.project, "ana"), scenario)
    assert seen == [(m, m + 3) for m in matches[:3]]


def test_speaker_filter_limits_selection_and_search(small: Small, drive: Drive) -> None:
    text = small.text("P01.txt")
    question = text.index("And the lab?")

    async def scenario(pilot: Pilot[None]) -> None:
        screen = await drive.open_coding(pilot, small.docs["P01.txt"])
        await pilot.press("f")
        assert screen.view.nav.speaker == "Interviewer"
        await pilot.press("slash", *"lab", "enter")
        assert screen.view.selected_span == (question + 8, question + 11)
        screen.view.move_to(text.index("About half"))
        await pilot.press("s")
        assert screen.view.selected_span == (question, question + len("And the lab?"))
        await pilot.press("f", "f")
        assert screen.view.nav.speaker is None

    drive.run(create_app(small.project, "ana"), scenario)


def test_enter_on_a_code_in_the_tree_codes_the_selection(small: Small, drive: Drive) -> None:
    text = small.text("P02.txt")
    start = text.index("It is federal.")

    async def scenario(pilot: Pilot[None]) -> None:
        screen = await drive.open_coding(pilot, small.docs["P02.txt"])
        screen.view.select_span(start, start + len("It is federal."))
        await pilot.press("ctrl+b")
        screen.code_tree.select_code(small.codes["Plea"])
        await drive.keys(pilot, screen, "enter")

    drive.run(create_app(small.project, "ana"), scenario)
    (coding,) = small.codings("ana")
    assert (coding.start, coding.code_id) == (start, small.codes["Plea"])


def test_apply_last_code_again(small: Small, drive: Drive) -> None:
    text = small.text("P02.txt")

    async def scenario(pilot: Pilot[None]) -> None:
        screen = await drive.open_coding(pilot, small.docs["P02.txt"])
        screen.view.move_to(text.index("It is"))
        await pilot.press("s")
        await drive.keys(pilot, screen, "d")
        screen.view.move_to(text.index("Rarely"))
        await pilot.press("s")
        await drive.keys(pilot, screen, "a")

    drive.run(create_app(small.project, "ana"), scenario)
    assert [c.code_id for c in small.codings("ana")] == [small.codes["Lab backlog"]] * 2
