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
from textual.widgets import DataTable, Label

from qualcode.agreement.adjudicate import CONSENSUS
from qualcode.agreement.project_report import agreement_report
from qualcode.store import Code, Coder, Coding, Document, Memo, Project, Segment, open_project
from qualcode.tui.context import AppContext
from qualcode.tui.messages import CodingsChanged, OpenDocument
from qualcode.tui.screens.supervisor import OVERALL_LABEL, SUPERVISOR, SupervisorScreen
from qualcode.tui.widgets.disagreement_view import DisagreementView, marked_context

# Eight ten-character sentences: sentence i is [10 i, 10 i + 10).
TEXT = "".join(f"Sentence{i}." for i in range(8))
AGREED = "Agreed"  # both coders code sentences 0 and 4: reliable
SPLIT = "Split"  # ann codes 1 and 3, ben codes 2 and 3 (sentence 3 agreed)
BOUNDS = "Bounds"  # ann codes sentence 5, ben sentences 5 and 6: different spans (build(bounds))
SIZE = (150, 40)


def build(path: Path, *, bounds: bool = False) -> Project:
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
        names = (AGREED, SPLIT, BOUNDS) if bounds else (AGREED, SPLIT)
        codes = {n: Code(name=n, guid=uuid.uuid4().hex) for n in names}
        coders = {n: Coder(name=n) for n in ("ann", "ben")}
        s.add_all([*codes.values(), *coders.values()])
        s.flush()
        for i in range(8):
            s.add(Segment(document_id=doc.id, kind="sentence", start=i * 10, end=i * 10 + 10))
        spans = [
            (AGREED, "ann", 0, 1),
            (AGREED, "ben", 0, 1),
            (AGREED, "ann", 4, 5),
            (AGREED, "ben", 4, 5),
            (SPLIT, "ann", 1, 2),
            (SPLIT, "ben", 2, 3),
            (SPLIT, "ann", 3, 4),
            (SPLIT, "ben", 3, 4),
        ]
        if bounds:
            spans += [(BOUNDS, "ann", 5, 6), (BOUNDS, "ben", 5, 7)]
        for code, coder, first, stop in spans:
            s.add(
                Coding(
                    document_id=doc.id,
                    code_id=codes[code].id,
                    coder_id=coders[coder].id,
                    start=first * 10,
                    end=stop * 10,
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
    pooled = agreement_report(sup, coders=["ann", "ben"], unit="sentence", n_boot=2)["overall"]

    async def scenario(pilot: Pilot[None], app: Harness, screen: SupervisorScreen) -> None:
        table = screen.query_one("#sup-table", DataTable)
        names = [str(cell(table, r, 0)) for r in range(table.row_count)]
        assert names == [AGREED, SPLIT, OVERALL_LABEL]
        agreed, split = cell(table, 0, 1), cell(table, 1, 1)
        assert str(agreed) == "1.000" and "green" in str(agreed.style)
        assert "red" in str(split.style)  # alpha of Split is well below .667
        assert str(cell(table, 1, 8)) == "2" and str(cell(table, 1, 9)) == "2"  # 2 open
        # the pooled row: both codes' units together, and all the progress
        assert str(cell(table, 2, 1)) == f"{pooled['krippendorff_alpha']:.3f}"
        assert str(cell(table, 2, 1)) not in (str(agreed), str(split))
        assert str(cell(table, 2, 9)) == "2"
        await pilot.press("slash", *"spl", "enter")
        names = [str(cell(table, r, 0)) for r in range(table.row_count)]
        assert names == [SPLIT, OVERALL_LABEL]  # the pooled row stays whatever the filter

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


def decision_memos(project: Project) -> list[tuple[str, str, str | None, int | None]]:
    """Every memo as (body, title, its author, the start of the coding it is on)."""
    with project.session() as s:
        rows = s.execute(
            select(Memo.body, Memo.title, Coder.name, Coding.start)
            .outerjoin(Coder, Memo.coder_id == Coder.id)
            .outerjoin(Coding, Memo.coding_id == Coding.id)
            .order_by(Memo.id)
        ).all()
    return [(body, title, who, start) for body, title, who, start in rows]


def label_text(screen: SupervisorScreen, selector: str) -> str:
    return str(screen.query_one(selector, Label).render())


def test_keep_b_on_different_spans_and_on_each_coder_alone(tmp_path: Path) -> None:
    project = build(tmp_path / "bounds.db", bounds=True)

    async def scenario(pilot: Pilot[None], app: Harness, screen: SupervisorScreen) -> None:
        table = screen.query_one("#sup-table", DataTable)
        names = [str(cell(table, r, 0)) for r in range(table.row_count)]
        assert names == [AGREED, BOUNDS, SPLIT, OVERALL_LABEL]
        await pilot.press("down", "o")
        await idle(pilot)
        view = screen.query_one("#sup-view", DisagreementView)
        assert view.review is not None and view.review.code == BOUNDS
        (item,) = view.review.items
        # ann coded sentence 5, ben sentences 5 and 6: one passage, different spans
        assert item.passage.kind == "different_spans"
        assert (item.passage.spans_a, item.passage.spans_b) == (((50, 60),), ((50, 70),))
        assert "ann and ben coded different spans" in label_text(screen, "#dv-head")
        await pilot.press("2")  # keep ben's version
        await idle(pilot)
        assert consensus(project) == [(BOUNDS, 50, 70)]
        [(body, title, who, on)] = decision_memos(project)
        assert who == "sue" and on == 50  # by the supervisor, on the consensus coding
        assert title == f"Consensus on {BOUNDS}: D1.txt 50-70"
        for line in (
            "Decision: keep ben's version.",
            "comparing ann and ben (different_spans)",
            "ann coded: 50-60.",
            "ben coded: 50-70.",
            "Consensus codes: 50-70.",
        ):
            assert line in body
        assert "{" not in body  # the decision itself is data, beside the words
        with project.session() as s:
            decision = s.scalar(select(Memo.decision).where(Memo.decision.is_not(None)))
        assert decision is not None and decision["kept_from"] == ["ben"]
        assert view.review.settled == 1 and view.review.items[0].decision is not None
        assert view.review.items[0].decision.choice == "b"
        assert "settled: keep ben's version" in label_text(screen, "#dv-decision")
        await pilot.press("escape", "down", "o")  # Split: ann alone (item 1), ben alone (item 2)
        await idle(pilot)
        assert view.review.code == SPLIT and view.index == 0
        assert view.review.items[0].passage.kind == "a_not_b"
        await pilot.press("2")  # keep ben's version of sentence 1: ben coded nothing there
        await idle(pilot)
        assert consensus(project) == [(BOUNDS, 50, 70)]  # nothing kept ...
        body, _title, who, on = decision_memos(project)[-1]
        assert who == "sue" and on is None  # ... so the memo is on the project
        assert "Decision: keep ben's version." in body and "Consensus codes: nothing." in body
        assert view.index == 1 and view.review.items[1].passage.kind == "b_not_a"
        await pilot.press("2")  # keep ben's sentence 2
        await idle(pilot)
        assert consensus(project) == [(BOUNDS, 50, 70), (SPLIT, 20, 30)]
        body, _title, who, on = decision_memos(project)[-1]
        assert on == 20 and "ben coded: 20-30." in body and "Consensus codes: 20-30." in body
        assert view.review.settled == 2 and view.review.open == 0
        assert len(decision_memos(project)) == 3

    app = run(project, scenario)
    assert app.changes == 3


def test_changing_the_unit_recounts(sup: Project) -> None:
    async def scenario(pilot: Pilot[None], app: Harness, screen: SupervisorScreen) -> None:
        await pilot.press("t", "t", "t")  # sentence -> turn -> paragraph -> character
        await idle(pilot)
        assert screen.request is not None and screen.request.unit == "character"
        table = screen.query_one("#sup-table", DataTable)
        assert str(cell(table, 1, 8)) == "2"

    run(sup, scenario)
