"""The app around the coding screen: who is coding, the project screen, help, the command
palette, other screens, refreshing from a second instance."""

from __future__ import annotations

import gc
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from textual.command import CommandPalette
from textual.containers import Vertical
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Label

from qualcode.coding.document_view import document_codings
from qualcode.coding.history import History
from qualcode.store import open_project
from qualcode.store.db import Project, project_key
from qualcode.store.models import Coding, Document, Setting
from qualcode.store.settings import set_setting
from qualcode.tui import coding_service, user_settings
from qualcode.tui.app import GC_THRESHOLDS, QualcodeApp, create_app
from qualcode.tui.keys import SCREENS
from qualcode.tui.messages import OpenDocument
from qualcode.tui.screens.autocode import AutocodeScreen
from qualcode.tui.screens.coder_prompt import CoderPrompt
from qualcode.tui.screens.coding import CodingScreen
from qualcode.tui.screens.export import ExportScreen
from qualcode.tui.screens.help import HelpScreen
from qualcode.tui.screens.project import ProjectScreen
from qualcode.tui.screens.retrieval import RetrievalScreen

Drive = Any
Small = Any


def settings(config_dir: Path) -> dict[str, Any]:
    file = config_dir / "tui.json"
    return json.loads(file.read_text()) if file.exists() else {}


def remembered(project: Project, config_dir: Path) -> str | None:
    """The coder remembered for ``project`` in the user's settings file."""
    coders = settings(config_dir).get("coders", {})
    return coders.get(str(project.path))


def project_setting(project: Project) -> str | None:
    with project.session() as s:
        setting = s.get(Setting, "tui.coder")
        return setting.value if setting else None


def started_as(drive: Drive, project: Project, coder: str | None = None) -> str | None:
    """Start the app (without answering any prompt); the coder it starts as, else None."""
    seen: list[str | None] = []

    async def scenario(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, QualcodeApp)
        await drive.until(pilot, lambda: isinstance(app.screen, (ProjectScreen, CoderPrompt)))
        seen.append(app.ctx.coder if app.ctx is not None else None)

    drive.run(create_app(project, coder), scenario)
    return seen[0]


async def answer(pilot: Pilot[None], drive: Drive, name: str) -> None:
    app = pilot.app
    await drive.until(pilot, lambda: isinstance(app.screen, CoderPrompt))
    await pilot.press(*name, "enter")
    await drive.until(pilot, lambda: isinstance(app.screen, ProjectScreen))
    assert isinstance(app, QualcodeApp) and app.ctx is not None
    assert app.ctx.coder == name
    assert name in app.sub_title


def test_without_a_coder_the_app_asks_and_remembers_for_this_user(
    small: Small, drive: Drive, config_dir: Path
) -> None:
    async def first(pilot: Pilot[None]) -> None:
        await answer(pilot, drive, "zoe")
        await drive.until(pilot, lambda: remembered(small.project, config_dir) == "zoe")

    drive.run(create_app(small.project, None), first)
    assert remembered(small.project, config_dir) == "zoe"
    assert project_setting(small.project) is None  # nothing in the (shared) project
    assert started_as(drive, small.project) == "zoe"


def test_the_coder_is_remembered_per_project(
    small: Small, drive: Drive, config_dir: Path, tmp_path: Path
) -> None:
    other = open_project(tmp_path / "other.db", create=True)
    try:

        async def first(pilot: Pilot[None]) -> None:
            await answer(pilot, drive, "zoe")
            await drive.until(pilot, lambda: remembered(small.project, config_dir) == "zoe")

        drive.run(create_app(small.project, None), first)
        assert started_as(drive, other) is None  # another project: asked again

        async def second(pilot: Pilot[None]) -> None:
            await answer(pilot, drive, "yan")
            await drive.until(pilot, lambda: remembered(other, config_dir) == "yan")

        drive.run(create_app(other, None), second)
        assert settings(config_dir)["coders"] == {
            str(small.project.path): "zoe",
            str(other.path): "yan",
        }
        assert started_as(drive, small.project) == "zoe"
        assert started_as(drive, other) == "yan"
    finally:
        other.dispose()


def test_coder_option_overrides_and_leaves_the_remembered_coder(
    small: Small, drive: Drive, config_dir: Path
) -> None:
    user_settings.remember_coder(small.project.url, "zoe")
    before = (config_dir / "tui.json").read_bytes()
    assert started_as(drive, small.project, "ana") == "ana"
    assert (config_dir / "tui.json").read_bytes() == before
    assert started_as(drive, small.project) == "zoe"


def test_a_coder_left_in_the_project_by_someone_else_is_not_used(
    small: Small, drive: Drive, config_dir: Path
) -> None:
    """On a shared project the last coder to open it must not decide who I am."""
    with small.project.write() as s:
        set_setting(s, "tui.coder", "ana")
    assert started_as(drive, small.project) is None  # asked
    assert not (config_dir / "tui.json").exists()


def test_user_settings_file_location_and_project_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("QUALCODE_CONFIG_DIR")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert user_settings.settings_file() == tmp_path / "xdg" / "qualcode" / "tui.json"
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert user_settings.config_dir() == tmp_path / "home" / ".config" / "qualcode"
    monkeypatch.setenv("QUALCODE_CONFIG_DIR", str(tmp_path / "cfg"))
    url = "postgresql+psycopg://ana:s3cret@db.example.org:5432/study?sslmode=require"
    key = project_key(url)
    assert "s3cret" not in key and "ana@db.example.org:5432/study" in key
    user_settings.remember_coder(url, "ana")
    assert "s3cret" not in (tmp_path / "cfg" / "tui.json").read_text()
    # the same server and database with another password is the same project
    assert user_settings.remembered_coder(url.replace("s3cret", "other")) == "ana"
    (tmp_path / "cfg" / "tui.json").write_text("{not json")
    assert user_settings.remembered_coder(url) is None  # a broken file counts as empty
    user_settings.remember_coder(url, "ben")
    assert user_settings.remembered_coder(url) == "ben"


def test_the_prompt_explains_itself_in_full(small: Small, drive: Drive) -> None:
    """The explanation wraps inside the prompt instead of being cut off at its edge."""

    async def scenario(pilot: Pilot[None]) -> None:
        app = pilot.app
        await drive.until(pilot, lambda: isinstance(app.screen, CoderPrompt))
        await pilot.pause()
        box = app.screen.query_one("#coder-prompt", Vertical)
        hint = app.screen.query_one("#coder-hint", Label)
        assert hint.region.width <= box.content_region.width
        assert hint.region.right <= box.content_region.right
        text = str(hint.render())
        lines = hint.render_lines(hint.region.reset_offset)
        shown = " ".join("".join(seg.text for seg in line).strip() for line in lines)
        assert " ".join(shown.split()) == " ".join(text.split())

    drive.run(create_app(small.project, None), scenario)


def test_the_prompt_offers_known_coders(small: Small, drive: Drive, config_dir: Path) -> None:
    async def scenario(pilot: Pilot[None]) -> None:
        app = pilot.app
        await drive.until(pilot, lambda: isinstance(app.screen, CoderPrompt))
        await pilot.press("enter")  # empty name: refused
        assert isinstance(app.screen, CoderPrompt)
        await pilot.press("tab", "enter")  # the first known coder
        await drive.until(pilot, lambda: isinstance(app.screen, ProjectScreen))
        await drive.until(pilot, lambda: remembered(small.project, config_dir) == "bob")

    drive.run(create_app(small.project, None), scenario)
    assert remembered(small.project, config_dir) == "bob"


def test_project_screen_shows_documents_participants_and_codes(small: Small, drive: Drive) -> None:
    async def scenario(pilot: Pilot[None]) -> None:
        app = pilot.app
        await drive.until(pilot, lambda: getattr(app.screen, "loaded", False))
        docs = app.screen.query_one("#documents", DataTable)
        rows = [[str(c) for c in docs.get_row_at(i)] for i in range(docs.row_count)]
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
        assert [str(c) for c in people.get_row_at(0)] == ["P01", "P01.txt", "Ohio", "14"]
        assert [str(c) for c in people.get_row_at(1)] == ["P02", "P02.txt", "Texas", ""]
        tree = app.screen.query_one("#project-codebook")
        labels = [str(node.label) for node in tree._code_nodes.values()]
        assert any("Lab backlog  2" in label for label in labels)

    drive.run(create_app(small.project, "ana"), scenario)


def test_names_with_brackets_show_as_they_are(small: Small, drive: Drive) -> None:
    """A DataTable reads str cells as markup: "P02 [draft].txt" lost its "[draft]"."""
    with small.project.write() as s:
        doc = s.get(Document, small.docs["P02.txt"])
        assert doc is not None
        doc.name = "P02 [draft].txt"

    async def scenario(pilot: Pilot[None]) -> None:
        app = pilot.app
        await drive.until(pilot, lambda: getattr(app.screen, "loaded", False))
        docs = app.screen.query_one("#documents", DataTable)
        shown = [str(docs.get_row_at(i)[0]) for i in range(docs.row_count)]
        assert "P02 [draft].txt" in shown
        people = app.screen.query_one("#participants", DataTable)
        assert "P02 [draft].txt" in [str(people.get_row_at(i)[1]) for i in range(people.row_count)]
        rendered = app.screen.query_one("#documents", DataTable)._get_row_renderables(1)
        assert "P02 [draft].txt" in [getattr(c, "plain", c) for c in rendered.cells]

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


def test_a_hidden_screen_reloads_once_when_shown_again(small: Small, drive: Drive) -> None:
    """Coding under the project screen does not make it re-read the project per coding; going
    back shows the new counts, read once; a modal opened and closed over it reads nothing."""

    async def scenario(pilot: Pilot[None]) -> None:
        app = pilot.app
        await drive.until(pilot, lambda: getattr(app.screen, "loads_done", 0) == 1)
        project_screen = app.screen
        assert isinstance(project_screen, ProjectScreen)
        screen = await drive.open_coding(pilot, small.docs["P02.txt"])
        screen.view.move_to(small.text("P02.txt").index("Rarely"))
        await pilot.press("s")
        await drive.keys(pilot, screen, "d")
        await drive.keys(pilot, screen, "u")
        await drive.keys(pilot, screen, "ctrl+y")
        await pilot.pause(0.3)  # time enough for a (wrong) reload to show
        assert project_screen.loads_done == 1
        await pilot.press("q")
        await drive.until(pilot, lambda: project_screen.loads_done == 2)
        docs = project_screen.query_one("#documents", DataTable)
        assert docs.get_row_at(1)[3:5] == ["1", "1"]  # P02: one coding, mine
        await pilot.press("question_mark")
        await drive.until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.press("escape")
        await drive.until(pilot, lambda: app.screen is project_screen)
        await pilot.pause(0.3)
        assert project_screen.loads_done == 2

    drive.run(create_app(small.project, "ana"), scenario)


def test_the_app_collects_garbage_less_often(small: Small) -> None:
    gc.set_threshold(700, 10, 10)
    try:
        create_app(small.project, "ana")
        assert gc.get_threshold() == GC_THRESHOLDS
    finally:
        gc.set_threshold(*GC_THRESHOLDS)


def test_a_document_that_cannot_be_read_is_not_opened(small: Small, drive: Drive) -> None:
    """The document is read before the coding screen is built: a missing one leaves the user
    on the project screen with a one-line error, and the next document opens as usual."""

    async def scenario(pilot: Pilot[None]) -> None:
        app = pilot.app
        await drive.until(pilot, lambda: getattr(app.screen, "loaded", False))
        app.post_message(OpenDocument(987654))
        await drive.until(pilot, lambda: bool(app._notifications))
        (note,) = list(app._notifications)
        assert note.severity == "error" and "987654" in note.message
        assert isinstance(app.screen, ProjectScreen)
        screen = await drive.open_coding(pilot, small.docs["P02.txt"])
        assert screen.view.text == small.text("P02.txt")

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


def test_another_coders_changes_show_without_a_refresh(
    small: Small, drive: Drive, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While idle, the coding screen looks for changes another instance made to its document
    (new, removed and re-spanned codings) and shows them: it then holds what is stored. Such
    a look is not one of the user's writes."""
    monkeypatch.setattr(coding_service, "POLL_SECONDS", 0.2)
    text = small.text("P01.txt")
    other = open_project(small.project.url)
    bob = History(other, "bob")

    async def scenario(pilot: Pilot[None]) -> None:
        screen = await drive.open_coding(pilot, small.docs["P01.txt"])
        screen.view.move_to(text.index("About half"))
        await pilot.press("s")
        await drive.keys(pilot, screen, "b")
        writes = screen.writes_done
        with other.session() as s:
            bobs = s.scalars(select(Coding)).all()
            lab = next(c.id for c in bobs if text[c.start : c.end].startswith("The lab is slow"))
            takes = next(c.id for c in bobs if text[c.start : c.end].startswith("The lab takes"))
        bob.remove([lab])
        start = text.index("Nobody")
        bob.add(small.docs["P01.txt"], small.codes["Triage"], start, start + 6)
        bob.replace(takes, end=text.index("The lab takes") + len("The lab"))
        with other.session() as s:
            stored = {c.id: c for c in document_codings(s, small.docs["P01.txt"])}
        await drive.until(pilot, lambda: screen.codings == stored)
        assert len(stored) == 3
        assert screen.writes_done == writes
        await pilot.press("v")  # bob's codings, as he left them, are in the text
        assert sorted(screen.view.codings.values()) == sorted(
            (c.start, c.end, c.code_id) for c in stored.values() if c.coder == "bob"
        )

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
        assert [c.key for c in help_screen.codes if c.key] == ["1", "b", "d", "k"]
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


def test_f9_opens_the_export_screen_and_exports(
    small: Small, drive: Drive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    async def scenario(pilot: Pilot[None]) -> None:
        app = pilot.app
        await drive.until(pilot, lambda: isinstance(app.screen, ProjectScreen))
        await pilot.press("f9")
        await drive.until(pilot, lambda: isinstance(app.screen, ExportScreen))
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        path = screen.query_one("#export-path", Input)
        await drive.until(pilot, lambda: bool(path.value))
        path.value = "out/all.qdpx"
        screen.set_format(screen.format)  # unchanged
        await pilot.press("f", "f")  # csv, then qdpx (keeps the name)
        assert path.value == "out/all.qdpx"
        await pilot.press("e")
        await drive.until(pilot, lambda: screen.done is not None or screen.error is not None)
        assert screen.error is None
        await pilot.press("q")
        await drive.until(pilot, lambda: isinstance(app.screen, ProjectScreen))

    drive.run(create_app(small.project, "ana"), scenario)
    import zipfile

    with zipfile.ZipFile(tmp_path / "out" / "all.qdpx") as zf:
        assert "project.qde" in zf.namelist()
        assert len([n for n in zf.namelist() if n.startswith("sources/")]) == 2


def test_a_reader_sees_another_coders_coding_without_pressing_anything(
    small: Small, drive: Drive, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A coder who only reads a document is kept up to date from the moment it opens."""
    monkeypatch.setattr(coding_service, "POLL_SECONDS", 0.2)
    text = small.text("P02.txt")
    other = open_project(small.project.url)
    bob = History(other, "bob")

    async def scenario(pilot: Pilot[None]) -> None:
        screen = await drive.open_coding(pilot, small.docs["P02.txt"])
        start = text.index("Rarely")
        (new_id,) = bob.add(small.docs["P02.txt"], small.codes["Triage"], start, start + 6)
        await drive.until(pilot, lambda: new_id in screen.codings)
        assert screen.codings[new_id].coder == "bob"
        assert screen.writes_done == 0  # the reader made no edit
        bob.remove([new_id])
        await drive.until(pilot, lambda: new_id not in screen.codings)

    try:
        drive.run(create_app(small.project, "ana"), scenario)
    finally:
        other.dispose()


def test_retrieval_and_autocode_keep_their_query_when_closed(small: Small, drive: Drive) -> None:
    async def scenario(pilot: Pilot[None]) -> None:
        app = pilot.app
        await drive.until(pilot, lambda: isinstance(app.screen, ProjectScreen))
        await pilot.press("f6")
        await drive.until(pilot, lambda: isinstance(app.screen, AutocodeScreen))
        first = app.screen
        await pilot.press(*"plea deal", "enter")
        await drive.until(pilot, lambda: getattr(first, "preview", None) is not None)
        await pilot.press("q")
        await drive.until(pilot, lambda: isinstance(app.screen, ProjectScreen))
        await pilot.press("f6")
        await drive.until(pilot, lambda: isinstance(app.screen, AutocodeScreen))
        assert app.screen is first
        assert app.screen.query_one("#autocode-query", Input).value == "plea deal"
        await pilot.press("f3")
        await drive.until(pilot, lambda: isinstance(app.screen, RetrievalScreen))
        retrieval = app.screen
        await pilot.press("f2")
        await drive.until(pilot, lambda: isinstance(app.screen, ProjectScreen))
        await pilot.press("f3")
        await drive.until(pilot, lambda: isinstance(app.screen, RetrievalScreen))
        assert app.screen is retrieval

    drive.run(create_app(small.project, "ana"), scenario)
