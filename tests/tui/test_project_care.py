"""The project screen renames, deletes and re-cuts documents and edits participants'
attributes; each change is checked in the store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from qualcode.store.models import (
    Attribute,
    AttributeValue,
    AuditEntry,
    Coding,
    Document,
    Participant,
    Segment,
)
from qualcode.tui.app import QualcodeApp, create_app
from qualcode.tui.screens.project import ProjectScreen
from qualcode.tui.screens.text_prompt import TextPrompt

Drive = Any
Small = Any


@pytest.fixture(autouse=True)
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "config"
    monkeypatch.setenv("QUALCODE_CONFIG_DIR", str(folder))
    return folder


async def project_screen(pilot: Pilot[None], drive: Drive) -> ProjectScreen:
    app = pilot.app
    assert isinstance(app, QualcodeApp)
    await drive.until(pilot, lambda: isinstance(app.screen, ProjectScreen) and app.screen.loaded)
    screen = app.screen
    assert isinstance(screen, ProjectScreen)
    return screen


def point_at(screen: ProjectScreen, table: str, key: str) -> None:
    grid = screen.query_one(table, DataTable)
    grid.move_cursor(row=grid.get_row_index(key))


async def answer(
    pilot: Pilot[None], drive: Drive, screen: ProjectScreen, key: str, text: str
) -> str:
    """Press ``key``, answer its question with ``text``; wait for the change (or the refusal).
    Returns the question's starting value."""
    app = pilot.app
    before, loads = screen.changes_done, screen.loads_done
    notes = len(app._notifications)
    await pilot.press(key)
    await drive.until(pilot, lambda: isinstance(app.screen, TextPrompt))
    field = app.screen.query_one("#prompt-input", Input)
    start = field.value
    field.value = text
    await pilot.press("enter")
    await drive.until(
        pilot,
        lambda: (
            (screen.changes_done > before and screen.loads_done > loads)
            or len(app._notifications) > notes
        ),
    )
    await drive.until(pilot, lambda: app.screen is screen)
    return start


def test_rename_delete_and_recut_documents(small: Small, drive: Drive) -> None:
    p01, p02 = small.docs["P01.txt"], small.docs["P02.txt"]

    async def scenario(pilot: Pilot[None]) -> None:
        screen = await project_screen(pilot, drive)
        point_at(screen, "#documents", str(p01))
        assert await answer(pilot, drive, screen, "r", "Interview [1].txt") == "P01.txt"
        with small.project.session() as s:
            assert s.get(Document, p01).name == "Interview [1].txt"  # type: ignore[union-attr]
        assert screen.documents[p01].name == "Interview [1].txt"

        # P01 has two codings (bob's): anything but yes keeps it
        point_at(screen, "#documents", str(p01))
        await answer(pilot, drive, screen, "d", "no")
        with small.project.session() as s:
            assert s.get(Document, p01) is not None
        point_at(screen, "#documents", str(p01))
        await answer(pilot, drive, screen, "d", "yes")
        with small.project.session() as s:
            assert s.get(Document, p01) is None
            assert s.scalars(select(Coding).where(Coding.document_id == p01)).all() == []
            removed = s.scalars(
                select(AuditEntry).where(
                    AuditEntry.entity == "coding", AuditEntry.action == "remove"
                )
            ).all()
            assert len(removed) == 2 and all(e.actor == "ana" for e in removed)
            assert (
                s.scalar(
                    select(AuditEntry.entity_id).where(
                        AuditEntry.entity == "document", AuditEntry.action == "delete"
                    )
                )
                == p01
            )
        assert list(screen.documents) == [p02]

        # re-cut P02's turns: a bad pattern changes nothing, a good one cuts them
        point_at(screen, "#documents", str(p02))
        with small.project.session() as s:
            segments_before = s.scalars(select(Segment.id).where(Segment.document_id == p02)).all()
        await answer(pilot, drive, screen, "t", "(")
        with small.project.session() as s:
            assert s.scalars(select(Segment.id).where(Segment.document_id == p02)).all() == (
                segments_before
            )
        await answer(pilot, drive, screen, "t", r"P\d\d")
        with small.project.session() as s:
            text = s.get(Document, p02).text  # type: ignore[union-attr]
            turns = s.execute(
                select(Segment.speaker, Segment.start)
                .where(Segment.document_id == p02, Segment.kind == "turn")
                .order_by(Segment.start)
            ).all()
            assert [spk for spk, _ in turns] == ["Interviewer", "P02", "Interviewer", "P02"]
            assert [text[a : a + 4] for _, a in turns] == ["Inte", "P02:", "Inte", "P02:"]
            entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "resegment"))
            assert entry is not None and entry.detail["turn_labels"] == [r"P\d\d"]  # type: ignore[index]

    drive.run(create_app(small.project, "ana"), scenario, size=(80, 24))


def test_edit_attributes_and_add_a_participant(small: Small, drive: Drive) -> None:
    def values(label: str) -> dict[str, object]:
        with small.project.session() as s:
            rows = s.execute(
                select(Attribute.name, AttributeValue)
                .join(AttributeValue, AttributeValue.attribute_id == Attribute.id)
                .join(Participant)
                .where(Participant.label == label)
            ).all()
            return {name: v.value for name, v in rows}

    async def scenario(pilot: Pilot[None]) -> None:
        screen = await project_screen(pilot, drive)
        point_at(screen, "#participants", "P01")
        start = await answer(pilot, drive, screen, "e", "state='New York' years=6")
        assert start == "state=Ohio years=14"
        assert values("P01") == {"state": "New York", "years": 6.0}
        # a word for a number is refused; nothing changes
        await answer(pilot, drive, screen, "e", "state=Ohio years=six")
        assert values("P01") == {"state": "New York", "years": 6.0}
        await answer(pilot, drive, screen, "e", "years=")
        assert values("P01") == {"state": "New York"}
        await answer(pilot, drive, screen, "n", "P09 state=Ohio years=3")
        assert values("P09") == {"state": "Ohio", "years": 3.0}
        assert "P09" in screen.participants

    drive.run(create_app(small.project, "ana"), scenario, size=(80, 24))
