"""The caseload panel on the dashboard and the caseload review, driven with Pilot on a tiny test
app (tests/tui/screen_harness.py). Each test checks what the screen shows against the store,
and what an action leaves in the store."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from textual.pilot import Pilot
from textual.widgets import DataTable

from qualcode.caseload.faces.dashboard_panel import CASELOAD_PANEL, CaseloadPanel
from qualcode.caseload.faces.review_screen import CaseloadReviewScreen
from qualcode.store import Attribute, AttributeValue, Code, Coder, Coding, Document, Participant
from qualcode.tui.messages import CodingsChanged
from qualcode.tui.screens.dashboard import DASHBOARD, DashboardScreen
from qualcode.tui.screens.dashboard_panels import Panel
from qualcode.tui.widgets.charts import HistogramChart

from ..tui.screen_harness import Harness, Proj, build_project, run, settle, until

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


def cells(table: DataTable[object], row: str) -> list[str]:
    return [str(getattr(c, "plain", c)) for c in table.get_row(row)]


def test_the_dashboard_shows_the_caseload_panel_and_k_opens_the_review(proj: Proj) -> None:
    async def scenario(pilot: Pilot[None], app: Harness) -> None:
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        await until(pilot, lambda: screen.loads_done >= 1)
        assert next(p.id for p in screen.query(Panel)) == "dash-caseload"
        assert isinstance(screen.query_one("#dash-caseload"), CaseloadPanel)
        assert not screen.query_one("#dash-grid").has_class("-plain")
        assert screen.KEY_GROUPS == (DASHBOARD, CASELOAD_PANEL)
        summary = screen.query_one("#dash-summary", DataTable)
        assert cells(summary, "n") == ["n", "2"]
        assert cells(summary, "mean") == ["mean", "67.5"]
        histogram = screen.query_one("#dash-histogram", HistogramChart)
        assert [(a, n) for a, _b, n in histogram.bins if n] == [(40.0, 1), (90.0, 1)]
        # a share accepted elsewhere shows after a reload
        with proj.project.write() as s:
            p2 = s.scalars(select(Participant.id).where(Participant.label == "P02")).one()
            value = s.scalars(
                select(AttributeValue).where(AttributeValue.participant_id == p2).join(Attribute)
                .where(Attribute.name == "csam_share_pct")
            ).one()  # fmt: skip
            value.number_value = 60.0
        done = screen.loads_done
        screen.post_message(CodingsChanged(frozenset()))
        await until(pilot, lambda: screen.loads_done > done)
        assert cells(summary, "mean") == ["mean", "50"]
        assert len(screen.query(CaseloadPanel)) == 1  # redrawn, not mounted again
        await pilot.press("k")
        await until(pilot, lambda: isinstance(app.screen, CaseloadReviewScreen))

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


def test_every_panel_key_has_its_action() -> None:
    for key in CASELOAD_PANEL.keys:
        assert hasattr(CaseloadPanel, f"action_{key.action}"), key.id
