"""The dashboard and the caseload review, driven with Pilot on a tiny test app. Each test checks
what the screen shows against the store, and what an action leaves in the store."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from textual.pilot import Pilot
from textual.widgets import DataTable

from qualcode.store import Attribute, AttributeValue, Code, Coder, Coding, Document, Participant
from qualcode.tui.messages import CodingsChanged
from qualcode.tui.screens.caseload_review import CaseloadReviewScreen
from qualcode.tui.screens.dashboard import DashboardScreen
from qualcode.tui.widgets.charts import BarChart, HistogramChart

from .screen_harness import Harness, Proj, build_project, run, settle, until

CASELOAD_TEXT = (
    "Interviewer: Roughly what share of your caseload is CSAM work these days?\n\n"
    "P03: I'd put it at about three quarters of my docket. The rest is robbery.\n"
)


@pytest.fixture
def proj(tmp_path: Path) -> Iterator[Proj]:
    built = build_project(tmp_path / "p.db")
    with built.project.write() as s:
        share = Attribute(name="csam_share_pct", kind="number")
        s.add(share)
        s.flush()
        for label, value in (("P01", 40.0), ("P02", 95.0)):
            pid = s.scalars(select(Participant.id).where(Participant.label == label)).one()
            s.add(AttributeValue(participant_id=pid, attribute_id=share.id, number_value=value))
    yield built
    built.project.dispose()


def dashboard(app: Harness) -> DashboardScreen:
    screen = app.screen
    assert isinstance(screen, DashboardScreen)
    return screen


def cells(table: DataTable[object], row: str) -> list[str]:
    return [str(getattr(c, "plain", c)) for c in table.get_row(row)]


def test_dashboard_panels_show_the_projects_numbers(proj: Proj) -> None:
    async def scenario(pilot: Pilot[None], app: Harness) -> None:
        screen = dashboard(app)
        await until(pilot, lambda: screen.loads_done >= 1)
        summary = screen.query_one("#dash-summary", DataTable)
        assert cells(summary, "n") == ["n", "2"]
        assert cells(summary, "mean") == ["mean", "67.5"]
        histogram = screen.query_one("#dash-histogram", HistogramChart)
        assert [(a, n) for a, _b, n in histogram.bins if n] == [(40.0, 1), (90.0, 1)]
        # bars: each family, sub-codes rolled up (Triage: its own coding and two plea codings)
        bars = screen.query_one("#dash-bars", BarChart)
        assert bars.bars == [("Triage", 3.0), ("Lab backlog", 1.0)]
        matrix = screen.query_one("#dash-matrix-table", DataTable)
        assert [str(c.label) for c in matrix.columns.values()] == ["code", "Ohio", "Texas"]
        assert cells(matrix, "Triage/Plea bargaining")[1:] == ["1", "1"]
        assert cells(matrix, "Lab backlog")[1:] == ["1", "0"]
        # one family's sub-codes, then back to all families
        await pilot.press("f")
        assert bars.bars == [("(the family code itself)", 1.0), ("Plea bargaining", 2.0)]
        await pilot.press("f", "f")
        assert [label for label, _v in bars.bars] == ["Triage", "Lab backlog"]

    run(proj, DashboardScreen, scenario)


def test_dashboard_follows_new_codings_and_the_coder_filter(proj: Proj) -> None:
    async def scenario(pilot: Pilot[None], app: Harness) -> None:
        screen = dashboard(app)
        await until(pilot, lambda: screen.loads_done >= 1)
        with proj.project.write() as s:
            ana = s.scalars(select(Coder).where(Coder.name == "ana")).one()
            start, end = proj.span("P02.txt", "The lab is fast here.")
            s.add(
                Coding(
                    document_id=proj.docs["P02.txt"],
                    code_id=proj.codes["Lab backlog"],
                    coder_id=ana.id,
                    start=start,
                    end=end,
                )
            )
        done = screen.loads_done
        screen.post_message(CodingsChanged(frozenset({proj.docs["P02.txt"]})))
        await until(pilot, lambda: screen.loads_done > done)
        bars = screen.query_one("#dash-bars", BarChart)
        assert bars.bars == [("Triage", 3.0), ("Lab backlog", 2.0)]
        matrix = screen.query_one("#dash-matrix-table", DataTable)
        assert cells(matrix, "Lab backlog")[1:] == ["1", "1"]
        done = screen.loads_done
        await pilot.press("v")  # only mine (ana): one plea coding, two lab codings
        await until(pilot, lambda: screen.loads_done > done)
        assert bars.bars == [("Triage", 1.0), ("Lab backlog", 2.0)]

    run(proj, DashboardScreen, scenario)


def add_caseload_interview(proj: Proj) -> None:
    with proj.project.write() as s:
        person = Participant(label="P03")
        s.add(person)
        s.add(
            Document(
                name="P03.txt",
                text=CASELOAD_TEXT,
                sha256=hashlib.sha256(CASELOAD_TEXT.encode()).hexdigest(),
                source_name="P03.txt",
                source_format="txt",
                participant=person,
            )
        )


def share_of(proj: Proj, label: str) -> float | None:
    with proj.project.session() as s:
        return s.scalars(
            select(AttributeValue.number_value)
            .join(Attribute)
            .join(Participant)
            .where(Attribute.name == "csam_share_pct", Participant.label == label)
        ).one_or_none()


def evidence_codings(proj: Proj) -> list[tuple[str, str, str]]:
    """(document, coder, coded text) of every "Caseload share statement" coding."""
    with proj.project.session() as s:
        rows = s.execute(
            select(Document.name, Document.text, Coder.name, Coding.start, Coding.end)
            .join(Coding, Coding.document_id == Document.id)
            .join(Coder, Coding.coder_id == Coder.id)
            .join(Code, Coding.code_id == Code.id)
            .where(Code.name == "Caseload share statement")
        ).all()
    return [(doc, coder, text[a:b]) for doc, text, coder, a, b in rows]


def test_caseload_review_accepts_a_suggestion_and_codes_the_evidence(proj: Proj) -> None:
    add_caseload_interview(proj)

    async def scenario(pilot: Pilot[None], app: Harness) -> None:
        screen = app.screen
        assert isinstance(screen, CaseloadReviewScreen)
        await until(pilot, lambda: screen.loaded)
        table = screen.query_one("#review-table", DataTable)
        assert cells(table, "P03")[:3] == ["P03", "-", "75"]
        table.move_cursor(row=table.get_row_index("P03"))
        await pilot.press("enter")
        await until(pilot, lambda: screen.saves_done == 1)
        await settle(pilot)
        assert cells(table, "P03")[1] == "75"

    app = run(proj, CaseloadReviewScreen, scenario, coder="ana")
    assert share_of(proj, "P03") == 75.0
    ((doc, coder, text),) = evidence_codings(proj)
    assert (doc, coder) == ("P03.txt", "ana")
    assert "three quarters of my docket" in text
    assert app.of(CodingsChanged)


def test_caseload_review_correction_by_typing_a_number(proj: Proj) -> None:
    add_caseload_interview(proj)

    async def scenario(pilot: Pilot[None], app: Harness) -> None:
        screen = app.screen
        assert isinstance(screen, CaseloadReviewScreen)
        await until(pilot, lambda: screen.loaded)
        table = screen.query_one("#review-table", DataTable)
        table.move_cursor(row=table.get_row_index("P01"))
        await pilot.press("3", "3", "enter")  # a digit on the list opens the correction
        await until(pilot, lambda: screen.saves_done == 1)
        table.move_cursor(row=table.get_row_index("P02"))
        await pilot.press("e")
        assert screen.editing
        await pilot.press("escape")  # cancels: nothing written
        assert not screen.editing
        await settle(pilot)

    run(proj, CaseloadReviewScreen, scenario)
    assert share_of(proj, "P01") == 33.0
    assert share_of(proj, "P02") == 95.0
