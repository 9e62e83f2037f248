"""The auto-code screen, driven with Pilot on a tiny test app; effects checked in the store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Label, Select

from qualcode.tui.messages import CodingsChanged, OpenDocument
from qualcode.tui.screens.autocode import AutocodeScreen
from qualcode.tui.screens.codebook_editor import ConfirmScreen

from .screen_harness import Harness, Proj, build_project, run, settle


@pytest.fixture
def proj(tmp_path: Path) -> Iterator[Proj]:
    built = build_project(tmp_path / "p.db")
    yield built
    built.project.dispose()


def summary(app: Harness) -> str:
    return str(app.screen.query_one("#autocode-summary", Label).render())


def test_search_preview_apply_and_one_undo(proj: Proj) -> None:
    before = proj.codings()
    lab = proj.codes["Lab backlog"]
    expected = [
        (proj.docs["P01.txt"], lab, *proj.span("P01.txt", "The lab is slow."), "ana"),
        (proj.docs["P02.txt"], lab, *proj.span("P02.txt", "The lab is fast here."), "ana"),
    ]

    async def scenario(pilot: Pilot[None], app: Harness) -> None:
        await pilot.press(*"lab", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AutocodeScreen)
        assert screen.preview is not None
        assert [(i.document, i.text) for i in screen.preview.items] == [
            ("P01.txt", "The lab is slow."),
            ("P02.txt", "The lab is fast here."),
        ]
        assert "2 hit(s) → 2 sentence(s)" in summary(app)
        assert proj.codings() == before  # a preview writes nothing
        await pilot.press("a")  # no code yet: nothing happens
        assert not isinstance(app.screen, ConfirmScreen)
        await pilot.press("c", *"lab", "enter")
        await settle(pilot)
        assert "1 not yet coded" in summary(app)  # ana coded the P01 sentence already
        await pilot.press("a")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert proj.codings() == sorted([*before, expected[1]])
        assert "0 not yet coded" in summary(app)
        assert app.ctx.history.can_undo
        await pilot.press("u")
        await settle(pilot)
        assert proj.codings() == before

    app = run(proj, AutocodeScreen, scenario)
    changed = app.of(CodingsChanged)
    assert len(changed) == 2
    assert isinstance(changed[0], CodingsChanged)
    assert changed[0].document_ids == frozenset({proj.docs["P02.txt"]})


def test_speaker_turns_batch_undone_from_the_shared_history(proj: Proj) -> None:
    before = proj.codings()
    triage = proj.codes["Triage"]

    def make(ctx):  # type: ignore[no-untyped-def]
        return AutocodeScreen(ctx, code_id=triage, document_id=proj.docs["P01.txt"])

    async def scenario(pilot: Pilot[None], app: Harness) -> None:
        screen = app.screen
        screen.query_one("#autocode-kind", Select).value = "speaker"
        screen.query_one("#autocode-speaker", Select).value = "P01"
        screen.query_one("#autocode-unit", Select).value = "turn"
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(screen, AutocodeScreen) and screen.preview is not None
        assert len(screen.preview.items) == 2
        await pilot.press("a", "y")
        await settle(pilot)
        await pilot.press("escape", "enter")  # to the preview list; open the first turn

    app = run(proj, make, scenario, coder="cleo")
    turns = [
        proj.span("P01.txt", "P01: About half. The lab is slow. Plea deals are common."),
        proj.span("P01.txt", "P01: A plea bargain saves time. We plead out most cases."),
    ]
    added = [(proj.docs["P01.txt"], triage, a, b, "cleo") for a, b in turns]
    assert proj.codings() == sorted([*before, *added])
    (opened,) = app.of(OpenDocument)
    assert isinstance(opened, OpenDocument)
    assert (opened.start, opened.end) == turns[0]
    # The coding screen shares the history: one undo there reverts the whole batch.
    assert app.ctx.history.undo() is not None
    assert proj.codings() == before


def test_bad_regex_is_shown_not_raised(proj: Proj) -> None:
    async def scenario(pilot: Pilot[None], app: Harness) -> None:
        app.screen.query_one("#autocode-kind", Select).value = "regex"
        await pilot.press(*"(x", "enter")
        await settle(pilot)
        assert "bad regular expression" in summary(app)

    run(proj, AutocodeScreen, scenario)


def test_a_false_hit_is_excluded_and_esc_keeps_the_preview(proj: Proj) -> None:
    """x leaves the highlighted unit out of the run; Esc from the preview goes back to the
    search box instead of closing the screen."""
    before = proj.codings()
    triage = proj.codes["Triage"]
    units: list[tuple[int, int, int]] = []

    def make(ctx):  # type: ignore[no-untyped-def]
        return AutocodeScreen(ctx, code_id=triage)

    async def scenario(pilot: Pilot[None], app: Harness) -> None:
        await pilot.press(*"plea", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AutocodeScreen) and screen.preview is not None
        assert screen.preview.items[1].text == "And plea bargains?"
        units.extend((i.document_id, i.start, i.end) for i in screen.preview.items)
        await pilot.press("down", "x")  # the second unit is a false hit
        assert "1 excluded" in summary(app)
        await pilot.press("escape")  # back to the search, the screen stays
        assert app.screen is screen and screen.focused is screen.query_one("#autocode-query")
        await pilot.press("escape", "escape")  # to the preview and back again: still here
        assert app.screen is screen
        await pilot.press("escape", "a", "y")  # from the preview: apply
        await settle(pilot)

    run(proj, make, scenario, coder="cleo")
    added = sorted(set(proj.codings()) - set(before))
    assert len(units) >= 3
    assert added == sorted(
        (doc, triage, a, b, "cleo") for doc, a, b in units if units[1] != (doc, a, b)
    )
