"""The retrieval screen, driven with Pilot on a tiny test app."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Label, OptionList

from qualcode.tui.messages import OpenDocument
from qualcode.tui.screens.retrieval import RetrievalScreen

from .screen_harness import Harness, Proj, build_project, run, settle


@pytest.fixture
def proj(tmp_path: Path) -> Iterator[Proj]:
    built = build_project(tmp_path / "p.db")
    yield built
    built.project.dispose()


def shown(app: Harness) -> list[tuple[str, int, int]]:
    screen = app.screen
    assert isinstance(screen, RetrievalScreen)
    assert screen.query_one("#retrieval-results", OptionList).option_count == len(screen.rows)
    return [(r.document, r.start, r.end) for r in screen.rows]


def summary(app: Harness) -> str:
    return str(app.screen.query_one("#retrieval-summary", Label).render())


def test_code_results_and_enter_opens_the_segment(proj: Proj) -> None:
    def make(ctx):  # type: ignore[no-untyped-def]
        return RetrievalScreen(ctx, code_id=proj.codes["Plea bargaining"])

    async def scenario(pilot: Pilot[None], app: Harness) -> None:
        assert shown(app) == [
            ("P01.txt", *proj.span("P01.txt", "Plea deals are common.")),
            ("P02.txt", *proj.span("P02.txt", "Maybe one plea deal a year.")),
        ]
        assert "2 segment(s) in 2 document(s)" in summary(app)
        await pilot.press("down", "enter")

    app = run(proj, make, scenario)
    (opened,) = app.of(OpenDocument)
    assert isinstance(opened, OpenDocument)
    start, end = proj.span("P02.txt", "Maybe one plea deal a year.")
    assert (opened.document_id, opened.start, opened.end) == (proj.docs["P02.txt"], start, end)


def test_pick_code_descendants_and_attribute_filter(proj: Proj) -> None:
    async def scenario(pilot: Pilot[None], app: Harness) -> None:
        assert shown(app) == []
        assert "Choose a code" in summary(app)
        await pilot.press("c", *"tri", "enter")
        await settle(pilot)
        assert shown(app) == [("P02.txt", *proj.span("P02.txt", "Rarely."))]
        await pilot.press("a")  # with sub-codes
        await settle(pilot)
        assert [d for d, _s, _e in shown(app)] == ["P01.txt", "P02.txt", "P02.txt"]
        await pilot.press("w", *"state=ohio", "enter")
        await settle(pilot)
        assert shown(app) == [("P01.txt", *proj.span("P01.txt", "Plea deals are common."))]
        assert "state=ohio" in summary(app)
        screen = app.screen
        assert isinstance(screen, RetrievalScreen)
        row = screen.rows[0]
        assert (row.before, row.after) == ("", "")  # a whole sentence in sentence context
        await pilot.press("t")  # context: speaker turn
        await settle(pilot)
        row = screen.rows[0]
        assert row.before == "P01: About half. The lab is slow. "

    run(proj, RetrievalScreen, scenario)


def test_bad_filter_is_shown_not_raised(proj: Proj) -> None:
    def make(ctx):  # type: ignore[no-untyped-def]
        return RetrievalScreen(ctx, code_id=proj.codes["Lab backlog"])

    async def scenario(pilot: Pilot[None], app: Harness) -> None:
        assert len(shown(app)) == 1
        app.screen.query_one("#retrieval-where", Input).value = "county=yes"
        await pilot.press("r")
        await settle(pilot)
        assert "no attribute 'county'" in summary(app)
        await pilot.press("q")
        assert not isinstance(app.screen, RetrievalScreen)

    run(proj, make, scenario)
