"""The supervisor screen on a tiny test app: the agreement table, settling with keys, undo.

Every test checks the store: the consensus codings and the memos the keys wrote.
"""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from rich.text import Text
from sqlalchemy import select
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable

from qualcode.agreement.adjudicate import CONSENSUS
from qualcode.store import Code, Coder, Coding, Document, Memo, Project, Segment, open_project
from qualcode.tui.context import AppContext
from qualcode.tui.messages import CodingsChanged, OpenDocument
from qualcode.tui.screens.supervisor import SUPERVISOR, SupervisorScreen
from qualcode.tui.widgets.disagreement_view import DisagreementView, marked_context

# Eight ten-character sentences: sentence i is [10 i, 10 i + 10).
TEXT = "".join(f"Sentence{i}." for i in range(8))
AGREED = "Agreed"  # both coders code sentences 0 and 4: reliable
SPLIT = "Split"  # ann codes 1 and 3, ben codes 2 and 3 (sentence 3 agreed)
SIZE = (150, 40)


def build(path: Path) -> Project:
    project = open_project(path, create=True)
    with project.write() as s:
        doc = Document(
            name="D1.txt",
            text=TEXT,
            sha256=hashlib.sha256(TEXT.encode()).hexdigest(),
            source_name="D1.txt",
            source_format="txt",
        )
        s.add(doc)
        codes = {n: Code(name=n, guid=uuid.uuid4().hex) for n in (AGREED, SPLIT)}
        coders = {n: Coder(name=n) for n in ("ann", "ben")}
        s.add_all([*codes.values(), *coders.values()])
        s.flush()
        for i in range(8):
            s.add(Segment(document_id=doc.id, kind="sentence", start=i * 10, end=i * 10 + 10))
        for code, coder, sentence in [
            (AGREED, "ann", 0),
            (AGREED, "ben", 0),
            (AGREED, "ann", 4),
            (AGREED, "ben", 4),
            (SPLIT, "ann", 1),
            (SPLIT, "ben", 2),
            (SPLIT, "ann", 3),
            (SPLIT, "ben", 3),
        ]:
            s.add(
                Coding(
                    document_id=doc.id,
                    code_id=codes[code].id,
                    coder_id=coders[coder].id,
                    start=sentence * 10,
                    end=sentence * 10 + 10,
                )
            )
    return project


class Harness(App[None]):
    """Pushes the screen and records what it posts upwards."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.opened: list[tuple[int, int | None, int | None]] = []
        self.changes = 0

    def on_mount(self) -> None:
        self.push_screen(SupervisorScreen(self.ctx))

    def on_open_document(self, message: OpenDocument) -> None:
        self.opened.append((message.document_id, message.start, message.end))

    def on_codings_changed(self, message: CodingsChanged) -> None:
        self.changes += 1


async def idle(pilot: Pilot[None]) -> None:
    """Until the workers are done and their messages handled."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


Scenario = Callable[[Pilot[None], Harness, SupervisorScreen], Awaitable[None]]


def run(project: Project, scenario: Scenario) -> Harness:
    app = Harness(AppContext.create(project, "sue"))

    async def go() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await idle(pilot)
            screen = app.screen
            assert isinstance(screen, SupervisorScreen)
            await scenario(pilot, app, screen)

    asyncio.run(go())
    return app


@pytest.fixture
def sup(tmp_path: Path) -> Project:
    return build(tmp_path / "sup.db")


def consensus(project: Project) -> list[tuple[str, int, int]]:
    with project.session() as s:
        rows = s.execute(
            select(Code.name, Coding.start, Coding.end)
            .join(Code, Coding.code_id == Code.id)
            .join(Coder, Coding.coder_id == Coder.id)
            .where(Coder.name == CONSENSUS)
            .order_by(Code.name, Coding.start)
        ).all()
    return [(n, st, en) for n, st, en in rows]


def memo_bodies(project: Project) -> list[str]:
    with project.session() as s:
        return list(s.scalars(select(Memo.body).order_by(Memo.id)))


def cell(table: DataTable[object], row: int, column: int) -> Text:
    value = table.get_row_at(row)[column]
    return value if isinstance(value, Text) else Text(str(value))


def test_every_binding_has_an_id_and_a_description() -> None:
    for key in SUPERVISOR.keys:
        assert key.id.startswith("supervisor.") and key.description
    assert not any("q" in key.keys.split(",") for key in SUPERVISOR.keys)


def test_marked_context_dims_outside_and_marks_the_spans() -> None:
    text = marked_context("0123456789", 100, (102, 108), [(104, 106)], "bold")
    styles = {(sp.start, sp.end, str(sp.style)) for sp in text.spans}
    assert styles == {(0, 2, "dim"), (8, 10, "dim"), (4, 6, "bold")}


def test_table_colours_alpha_by_verdict(sup: Project) -> None:
    async def scenario(pilot: Pilot[None], app: Harness, screen: SupervisorScreen) -> None:
        table = screen.query_one("#sup-table", DataTable)
        assert [str(cell(table, r, 0)) for r in range(table.row_count)] == [AGREED, SPLIT]
        agreed, split = cell(table, 0, 1), cell(table, 1, 1)
        assert str(agreed) == "1.000" and "green" in str(agreed.style)
        assert "red" in str(split.style)  # alpha of Split is well below .667
        assert str(cell(table, 1, 8)) == "2" and str(cell(table, 1, 9)) == "2"  # 2 open
        await pilot.press("slash", *"spl", "enter")
        assert [str(cell(table, r, 0)) for r in range(table.row_count)] == [SPLIT]

    run(sup, scenario)


def test_keys_settle_into_consensus_and_undo(sup: Project) -> None:
    async def scenario(pilot: Pilot[None], app: Harness, screen: SupervisorScreen) -> None:
        await pilot.press("down", "o")
        await idle(pilot)
        view = screen.query_one("#sup-view", DisagreementView)
        assert screen.mode == "review" and view.review is not None
        assert view.review.code == SPLIT and len(view.review.items) == 2
        await pilot.press("1")  # keep ann's sentence 1
        await idle(pilot)
        assert consensus(sup) == [(SPLIT, 10, 20)]
        (body,) = memo_bodies(sup)
        assert "keep ann's version" in body and "Decided by sue" in body
        assert view.index == 1  # moved on to the open one
        await pilot.press("d")  # drop ben's sentence 2
        await idle(pilot)
        assert consensus(sup) == [(SPLIT, 10, 20)] and len(memo_bodies(sup)) == 2
        assert view.review.settled == 2
        await pilot.press("u")
        await idle(pilot)
        assert len(memo_bodies(sup)) == 1 and view.review.settled == 1
        await pilot.press("U")
        await idle(pilot)
        assert len(memo_bodies(sup)) == 2
        await pilot.press("p", "b")  # item 1 again: keep both replaces keep ann's
        await idle(pilot)
        assert consensus(sup) == [(SPLIT, 10, 20)]  # sentence 1 is all either coded there
        assert "keep both" in memo_bodies(sup)[-1]
        await pilot.press("o")
        await pilot.press("escape")
        assert screen.mode == "table"

    app = run(sup, scenario)
    assert app.opened == [(1, 10, 20)]
    assert app.changes == 5


def test_accept_agreements_from_the_table(sup: Project) -> None:
    async def scenario(pilot: Pilot[None], app: Harness, screen: SupervisorScreen) -> None:
        await pilot.press("a")  # Agreed is highlighted
        await idle(pilot)
        assert consensus(sup) == [(AGREED, 0, 10), (AGREED, 40, 50)]
        table = screen.query_one("#sup-table", DataTable)
        assert str(cell(table, 0, 11)) == "2/2"
        await pilot.press("down", "a")
        await idle(pilot)
        assert (SPLIT, 30, 40) in consensus(sup)
        await pilot.press("u")  # undoes the second accept only
        await idle(pilot)
        assert consensus(sup) == [(AGREED, 0, 10), (AGREED, 40, 50)]
        await pilot.press("u")  # and then the first
        await idle(pilot)

    run(sup, scenario)
    assert consensus(sup) == []


def test_changing_the_unit_recounts(sup: Project) -> None:
    async def scenario(pilot: Pilot[None], app: Harness, screen: SupervisorScreen) -> None:
        await pilot.press("t", "t", "t")  # sentence -> turn -> paragraph -> character
        await idle(pilot)
        assert screen.request is not None and screen.request.unit == "character"
        table = screen.query_one("#sup-table", DataTable)
        assert str(cell(table, 1, 8)) == "2"

    run(sup, scenario)
