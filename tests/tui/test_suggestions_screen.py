"""The code suggester in the workbench, driven with Pilot; effects checked in the store: the
coding screen's layer (S shows it, A accepts, X rejects, u undoes an accept), the review
screen (code by code, best first), and "more like this" (L) from the coding at the cursor."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from sqlalchemy import select
from textual.pilot import Pilot
from textual.screen import Screen

from qualcode.store import open_project
from qualcode.store.models import AuditEntry, Coder, Coding, SuggestionRejection
from qualcode.suggest.train import train_suggester
from qualcode.tui.context import AppContext
from qualcode.tui.messages import OpenDocument
from qualcode.tui.screens.coding import CodingScreen
from qualcode.tui.screens.suggestions import (
    PassageList,
    SimilarScreen,
    SuggestionReviewScreen,
)

from ..suggest_study import Study, build_study, study_ids
from .screen_harness import Harness, settle, until


@pytest.fixture(scope="module")
def trained_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("suggest-tui") / "study.db"
    build_study(path)
    project = open_project(path)
    train_suggester(project)
    project.dispose()
    return path


@pytest.fixture
def study(trained_file: Path, tmp_path: Path) -> Study:
    path = tmp_path / "study.db"
    shutil.copy(trained_file, path)
    return study_ids(open_project(path), path)


def drive(
    study: Study,
    make: Callable[[AppContext], Screen[None]],
    scenario: Callable[[Pilot[None], Harness], Awaitable[None]],
    *,
    coder: str = "cy",
    size: tuple[int, int] = (80, 24),
) -> Harness:
    app = Harness(make, AppContext.create(study.project, coder))

    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            await scenario(pilot, app)

    asyncio.run(main())
    return app


def codings_of(study: Study, coder: str) -> list[tuple[int, int, int, int]]:
    with study.project.session() as s:
        rows = s.execute(
            select(Coding.document_id, Coding.code_id, Coding.start, Coding.end)
            .join(Coder)
            .where(Coder.name == coder)
        ).all()
    return sorted(tuple(r) for r in rows)  # type: ignore[misc]


def test_the_coding_screens_layer_accepts_undoes_and_rejects(study: Study) -> None:
    p7 = study.docs["P7.txt"]

    async def scenario(pilot: Pilot[None], app: Harness) -> None:
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        await until(pilot, lambda: screen.loaded)
        assert screen.suggested == [] and screen.view._suggested == []
        reads = screen.suggestion_reads
        await pilot.press("S")
        await until(pilot, lambda: screen.suggestion_reads > reads)
        assert screen.suggested and {r.document_id for r in screen.suggested} == {p7}
        assert screen.view._suggested == sorted({(r.start, r.end) for r in screen.suggested})
        row = screen.suggested[0]
        screen.view.move_to(row.start + 1)
        assert screen.suggestion_here() is not None
        here = screen.suggestion_here()
        assert here is not None
        writes = screen.writes_done
        await pilot.press("A")
        await until(pilot, lambda: screen.writes_done > writes)
        await settle(pilot)
        assert codings_of(study, "cy") == [(p7, here.code_id, here.start, here.end)]
        with study.project.session() as s:
            entry = s.scalars(select(AuditEntry).where(AuditEntry.entity == "coding")).one()
            assert entry.detail is not None and entry.detail["via"] == "suggestion"
        assert here.id not in {r.id for r in screen.suggested}
        writes = screen.writes_done
        await pilot.press("u")
        await until(pilot, lambda: screen.writes_done > writes)
        await settle(pilot)
        assert codings_of(study, "cy") == []
        assert here.id in {r.id for r in screen.suggested}  # open again after the undo
        screen.view.move_to(here.start + 1)
        reads = screen.suggestion_reads
        await pilot.press("X")
        await until(pilot, lambda: screen.suggestion_reads > reads)
        with study.project.session() as s:
            rejected = s.scalars(select(SuggestionRejection)).one()
            assert (rejected.document_id, rejected.start, rejected.end) == (
                p7,
                here.start,
                here.end,
            )
        assert here.id not in {r.id for r in screen.suggested}
        await pilot.press("S")
        assert screen.view._suggested == []

    drive(study, lambda ctx: CodingScreen(ctx, p7), scenario)


def test_the_review_screen_walks_code_by_code_and_accepts_through_the_service(
    study: Study,
) -> None:
    async def scenario(pilot: Pilot[None], app: Harness) -> None:
        screen = app.screen
        assert isinstance(screen, SuggestionReviewScreen)
        await until(pilot, lambda: screen.loaded)
        rows = screen.rows
        assert rows
        codes = [r.code for r in rows]
        assert codes == sorted(codes)  # code by code
        for code in set(codes):
            ps = [r.probability for r in rows if r.code == code]
            assert ps == sorted(ps, reverse=True)  # best first
        listing = screen.query_one(PassageList)
        assert listing.region.height > 3  # the list has room at 80x24
        first = screen.current()
        assert first is not None and first == rows[0]
        answers = screen.answers
        await pilot.press("a")
        await until(pilot, lambda: screen.answers > answers + 1)  # the edit, then the re-read
        assert codings_of(study, "cy") == [
            (first.document_id, first.code_id, first.start, first.end)
        ]
        assert first.id not in {r.id for r in screen.rows}
        answers = screen.answers
        await pilot.press("u")
        await until(pilot, lambda: screen.answers > answers + 1)
        assert codings_of(study, "cy") == []
        assert first.id in {r.id for r in screen.rows}
        target = screen.current()
        assert target is not None
        answers = screen.answers
        await pilot.press("x")
        await until(pilot, lambda: screen.answers > answers)
        with study.project.session() as s:
            assert s.scalars(select(SuggestionRejection.start)).all() == [target.start]
        assert target.id not in {r.id for r in screen.rows}
        await pilot.press("enter")
        await pilot.pause()

    app = drive(study, SuggestionReviewScreen, scenario)
    opened = app.of(OpenDocument)
    assert opened and isinstance(opened[-1], OpenDocument)


def test_more_like_this_from_the_coding_at_the_cursor(study: Study) -> None:
    p1 = study.docs["P1.txt"]
    with study.project.session() as s:
        lab = s.scalars(
            select(Coding)
            .join(Coder)
            .where(
                Coding.document_id == p1, Coding.code_id == study.codes["Lab"], Coder.name == "ana"
            )
            .order_by(Coding.start)
        ).first()
        assert lab is not None
        start = lab.start

    async def scenario(pilot: Pilot[None], app: Harness) -> None:
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        await until(pilot, lambda: screen.loaded)
        screen.view.move_to(start + 2)
        await pilot.pause()
        await pilot.press("L")
        await until(pilot, lambda: isinstance(app.screen, SimilarScreen))
        similar = app.screen
        assert isinstance(similar, SimilarScreen)
        await until(pilot, lambda: similar.result is not None)
        assert similar.result is not None and similar.result.code == "Lab"
        assert similar.result.passages
        top = similar.result.passages[0]
        assert "lab" in top.text.lower()
        await pilot.press("enter")
        await pilot.pause()
        opened = app.of(OpenDocument)
        assert opened
        message = opened[-1]
        assert isinstance(message, OpenDocument)
        assert (message.document_id, message.start, message.end) == (
            top.document_id,
            top.start,
            top.end,
        )

    drive(study, lambda ctx: CodingScreen(ctx, p1), scenario, coder="ana")
