"""The app around the coding screen: who is coding, the project screen, help, the command
palette, other screens, refreshing from a second instance."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from qualcode.coding.history import History
from qualcode.store import open_project
from qualcode.store.models import Coding, Setting
from qualcode.tui.app import QualcodeApp, create_app
from qualcode.tui.keys import SCREENS
from qualcode.tui.screens.coder_prompt import CoderPrompt
from qualcode.tui.screens.coding import CodingScreen
from qualcode.tui.screens.help import HelpScreen
from qualcode.tui.screens.project import ProjectScreen

Drive = Any
Small = Any


def remembered(small: Small) -> str | None:
    with small.project.session() as s:
        setting = s.get(Setting, "tui.coder")
        return setting.value if setting else None


def test_without_a_coder_the_app_asks_and_remembers(small: Small, drive: Drive) -> None:
    async def first(pilot: Pilot[None]) -> None:
        app = pilot.app
        await drive.until(pilot, lambda: isinstance(app.screen, CoderPrompt))
        await pilot.press(*"zoe", "enter")
        await drive.until(pilot, lambda: isinstance(app.screen, ProjectScreen))
        assert isinstance(app, QualcodeApp) and app.ctx is not None
        assert app.ctx.coder == "zoe"
        assert "zoe" in app.sub_title

    drive.run(create_app(small.project, None), first)
    assert remembered(small) == "zoe"
    seen: list[Any] = []

    async def second(pilot: Pilot[None]) -> None:
        app = pilot.app
        await drive.until(pilot, lambda: isinstance(app.screen, ProjectScreen))
        assert isinstance(app, QualcodeApp) and app.ctx is not None
        seen.append(app.ctx.coder)

    drive.run(create_app(small.project, None), second)
    assert seen == ["zoe"]


def test_the_prompt_offers_known_coders(small: Small, drive: Drive) -> None:
    async def scenario(pilot: Pilot[None]) -> None:
        app = pilot.app
        await drive.until(pilot, lambda: isinstance(app.screen, CoderPrompt))
        await pilot.press("enter")  # empty name: refused
        assert isinstance(app.screen, CoderPrompt)
        await pilot.press("tab", "enter")  # the first known coder
        await drive.until(pilot, lambda: isinstance(app.screen, ProjectScreen))

    drive.run(create_app(small.project, None), scenario)
    assert remembered(small) == "bob"


def test_project_screen_shows_documents_participants_and_codes(small: Small, drive: Drive) -> None:
    async def scenario(pilot: Pilot[None]) -> None:
        app = pilot.app
        await drive.until(pilot, lambda: getattr(app.screen, "loaded", False))
        docs = app.screen.query_one("#documents", DataTable)
        rows = [docs.get_row_at(i) for i in range(docs.row_count)]
        text = small.text("P01.txt")
        coded = len("The lab is slow, really slow.") + len("The lab takes eleven months.")
        assert rows[0] == ["P01.txt", "P01", f"{len(text):,}", "2", "0", f"{coded / len(text):.0%}"]
        assert rows[1][:5] == ["P02.txt", "P02", f"{len(small.text('P02.txt')):,}", "0", "0"]
        people = app.screen.query_one("#participants", DataTable)
        assert [str(c.label) for c in people.columns.values()] == [
            "Participant",
            "Documents",
            "state",
            "years",
        ]
        assert people.get_row_at(0) == ["P01", "P01.txt", "Ohio", "14"]
        assert people.get_row_at(1) == ["P02", "P02.txt", "Texas", ""]
        tree = app.screen.query_one("#project-codebook")
        labels = [str(node.label) for node in tree._code_nodes.values()]
        assert any("Lab backlog  2" in label for label in labels)

    drive.run(create_app(small.project, "ana"), scenario)


def test_enter_opens_a_document_and_q_goes_back(small: Small, drive: Drive) -> None:
    async def scenario(pilot: Pilot[None]) -> None:
        app = pilot.app
        await drive.until(pilot, lambda: getattr(app.screen, "loaded", False))
        await pilot.press("down", "enter")
        await drive.until(pilot, lambda: isinstance(app.screen, CodingScreen) and app.screen.loaded)
        assert app.screen.doc.name == "P02.txt"
        assert app.screen.view.text == small.text("P02.txt")
        await pilot.press("q")
        await drive.until(pilot, lambda: isinstance(app.screen, ProjectScreen))

    drive.run(create_app(small.project, "ana"), scenario)


def test_open_document_message_selects_a_span(small: Small, drive: Drive) -> None:
    async def scenario(pilot: Pilot[None]) -> None:
        screen = await drive.open_coding(pilot, small.docs["P01.txt"], 10, 20)
        assert screen.view.selected_span == (10, 20)
        screen2 = await drive.open_coding(pilot, small.docs["P02.txt"], 5, 9)
        assert screen2 is screen  # the same coding screen shows the other document
        assert screen.view.text == small.text("P02.txt")
        assert screen.view.selected_span == (5, 9)

    drive.run(create_app(small.project, "ana"), scenario)


def test_codings_are_committed_before_the_screen_shows_them(small: Small, drive: Drive) -> None:
    """What is on screen is in the store: another connection sees it at once (kill -9 safe)."""
    other = open_project(small.project.url)
    found: list[int] = []

    async def scenario(pilot: Pilot[None]) -> None:
        screen = await drive.open_coding(pilot, small.docs["P02.txt"])
        screen.view.move_to(small.text("P02.txt").index("Rarely"))
        await pilot.press("s")
        await drive.keys(pilot, screen, "d")
        shown = [cid for cid, span in screen.view.codings.items()]
        with other.session() as s:
            stored = s.scalars(select(Coding.id).where(Coding.id.in_(shown))).all()
        found.extend(stored)
        assert sorted(stored) == sorted(shown)

    try:
        drive.run(create_app(small.project, "ana"), scenario)
    finally:
        other.dispose()
    assert len(found) == 1


def test_refresh_shows_a_second_instances_codings(small: Small, drive: Drive) -> None:
    text = small.text("P01.txt")
    start = text.index("About half")
    other = open_project(small.project.url)
    history = History(other, "ana")

    async def scenario(pilot: Pilot[None]) -> None:
        screen = await drive.open_coding(pilot, small.docs["P01.txt"])
        assert screen.view.codings == {}
        history.add(small.docs["P01.txt"], small.codes["Triage"], start, start + 10)
        await drive.keys(pilot, screen, "ctrl+r")
        assert list(screen.view.codings.values()) == [(start, start + 10, small.codes["Triage"])]
        history.undo()
        await drive.keys(pilot, screen, "f5")
        assert screen.view.codings == {}

    try:
        drive.run(create_app(small.project, "ana"), scenario)
    finally:
        other.dispose()


def test_help_lists_the_key_map_and_the_codes(small: Small, drive: Drive) -> None:
    async def scenario(pilot: Pilot[None]) -> None:
        app = pilot.app
        await drive.open_coding(pilot, small.docs["P01.txt"])
        await pilot.press("question_mark")
        await drive.until(pilot, lambda: isinstance(app.screen, HelpScreen))
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        titles = [g.title for g in help_screen.groups]
        assert titles[:2] == ["Coding screen", "Moving and selecting in the text"]
        assert "Everywhere" in titles
        assert [c.shortcut for c in help_screen.codes if c.shortcut] == ["1", "b", "d", "k"]
        await pilot.press("escape")
        await drive.until(pilot, lambda: isinstance(app.screen, CodingScreen))

    drive.run(create_app(small.project, "ana"), scenario)


def test_command_palette_runs_coding_actions(small: Small, drive: Drive) -> None:
    text = small.text("P02.txt")
    start = text.index("It is federal.")

    async def scenario(pilot: Pilot[None]) -> None:
        app = pilot.app
        screen = await drive.open_coding(pilot, small.docs["P02.txt"])
        screen.view.select_span(start, start + len("It is federal."))
        await pilot.press("ctrl+p")
        await drive.until(pilot, lambda: isinstance(app.screen, CommandPalette))
        app.screen.query_one(Input).value = "code selection as triage"
        await pilot.pause(0.3)
        await drive.keys(pilot, screen, "enter")
        await pilot.press("ctrl+p")
        await drive.until(pilot, lambda: isinstance(app.screen, CommandPalette))
        app.screen.query_one(Input).value = "undo the last"
        await pilot.pause(0.3)
        await drive.keys(pilot, screen, "enter")

    drive.run(create_app(small.project, "ana"), scenario)
    assert small.codings("ana") == []
    with small.project.session() as s:
        from qualcode.store.models import AuditEntry

        actions = s.scalars(select(AuditEntry.action).where(AuditEntry.entity == "coding")).all()
    assert list(actions) == ["add", "remove"]


def test_screens_open_by_function_key_or_say_they_are_missing(small: Small, drive: Drive) -> None:
    async def scenario(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, QualcodeApp)
        await drive.until(pilot, lambda: isinstance(app.screen, ProjectScreen))
        for entry in SCREENS:
            await app.run_action(f"open_screen('{entry.name}')")
            await pilot.pause()
            assert app.screen is not None  # never crashes, whether the screen exists or not
            while not isinstance(app.screen, ProjectScreen):
                app.pop_screen()
                await pilot.pause()
        await pilot.press("f2")
        assert isinstance(app.screen, ProjectScreen)

    drive.run(create_app(small.project, "ana"), scenario)
