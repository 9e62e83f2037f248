"""A small hand-built project for the workbench tests, and helpers to drive the app with Pilot.

Two interviews (turns and sentences stored as segments), two participants with attributes, a
codebook of five codes (keys 1 b d k, one without a key) and a second coder ("bob") with codings.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import select
from textual.pilot import Pilot

from qualcode.store import open_project
from qualcode.store.db import Project
from qualcode.store.models import (
    Attribute,
    AttributeValue,
    Code,
    Coder,
    Coding,
    Participant,
)
from qualcode.tui.app import QualcodeApp
from qualcode.tui.messages import OpenDocument
from qualcode.tui.screens.coding import CodingScreen

from ..segmented_document import add_document

TEXT_1 = (
    "Interviewer: How many cases do you carry? Tell me about the volume.\n\n"
    "P01: About half of them are these cases. The lab is slow, really slow. "
    "Plea deals are common here.\n\n"
    "Interviewer: And the lab?\n\n"
    "P01: The lab takes eleven months. Nobody can wait that long for a lab."
)
TEXT_2 = (
    "Interviewer: Tell me about your office.\n\n"
    "P02: It is federal. The lab is fast here.\n\n"
    "Interviewer: Any plea deals?\n\n"
    "P02: Rarely. Maybe one plea deal a year."
)
SIZE = (140, 36)
#: how long a wait may take before the test is declared hung (not a timing requirement)
GUARD_SECONDS = 120.0


@dataclass
class Small:
    project: Project
    docs: dict[str, int] = field(default_factory=dict)
    codes: dict[str, int] = field(default_factory=dict)
    texts: dict[int, str] = field(default_factory=dict)

    def text(self, name: str) -> str:
        return self.texts[self.docs[name]]

    def codings(self, coder: str | None = "ana") -> list[Coding]:
        """The stored codings (of one coder), in offset order, read afresh from the store."""
        with self.project.session() as s:
            stmt = select(Coding).join(Coder).order_by(Coding.start, Coding.end, Coding.id)
            if coder is not None:
                stmt = stmt.where(Coder.name == coder)
            return list(s.scalars(stmt).all())


def build_small(project: Project) -> Small:
    small = Small(project)
    with project.write() as s:
        state = Attribute(name="state", kind="text")
        years = Attribute(name="years", kind="number")
        s.add_all([state, years])
        p1, p2 = Participant(label="P01"), Participant(label="P02")
        s.add_all([p1, p2])
        s.flush()
        s.add_all(
            [
                AttributeValue(participant_id=p1.id, attribute_id=state.id, text_value="Ohio"),
                AttributeValue(participant_id=p1.id, attribute_id=years.id, number_value=14),
                AttributeValue(participant_id=p2.id, attribute_id=state.id, text_value="Texas"),
            ]
        )
        d1 = add_document(s, "P01.txt", TEXT_1, p1, paragraphs=False)
        d2 = add_document(s, "P02.txt", TEXT_2, p2, paragraphs=False)
        caseload = Code(name="Caseload", colour="#e6194b", key="1", position=0, guid="g1")
        s.add(caseload)
        s.flush()
        volume = Code(name="Volume", parent_id=caseload.id, colour="#3cb44b", key="b", guid="g2")
        lab = Code(name="Lab backlog", colour="#4363d8", key="d", position=1, guid="g3")
        triage = Code(name="Triage", colour="#f58231", key="k", position=2, guid="g4")
        plea = Code(name="Plea", parent_id=None, colour="#911eb4", position=3, guid="g5")
        s.add_all([volume, lab, triage, plea])
        bob = Coder(name="bob")
        s.add(bob)
        s.flush()
        small.docs = {"P01.txt": d1.id, "P02.txt": d2.id}
        small.texts = {d1.id: TEXT_1, d2.id: TEXT_2}
        small.codes = {
            "Caseload": caseload.id,
            "Volume": volume.id,
            "Lab backlog": lab.id,
            "Triage": triage.id,
            "Plea": plea.id,
        }
        lab_at = TEXT_1.index("The lab is slow")
        s.add_all(
            [
                Coding(
                    document_id=d1.id,
                    code_id=lab.id,
                    coder_id=bob.id,
                    start=lab_at,
                    end=lab_at + len("The lab is slow, really slow."),
                ),
                Coding(
                    document_id=d1.id,
                    code_id=lab.id,
                    coder_id=bob.id,
                    start=TEXT_1.index("The lab takes"),
                    end=TEXT_1.index("The lab takes") + len("The lab takes eleven months."),
                ),
            ]
        )
    return small


@pytest.fixture(autouse=True)
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's settings (remembered coders, key bindings) live in the test's folder, never
    in the real home."""
    folder = tmp_path / "config"
    monkeypatch.setenv("QUALCODE_CONFIG_DIR", str(folder))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    return folder


@pytest.fixture
def small(tmp_path: Path) -> Iterator[Small]:
    project = open_project(tmp_path / "small.db", create=True)
    yield build_small(project)
    project.dispose()


class Drive:
    """Helpers for driving the app with Pilot (a fixture: test modules cannot import conftest)."""

    size = SIZE

    def run(
        self,
        app: QualcodeApp,
        scenario: Callable[[Pilot[None]], Awaitable[None]],
        size: tuple[int, int] = SIZE,
    ) -> None:
        """Run ``scenario`` against the app in a headless terminal (no async test plugin)."""

        async def main() -> None:
            async with app.run_test(size=size) as pilot:
                await scenario(pilot)
                await pilot.pause()  # let pending refreshes (the header's title) finish

        asyncio.run(main())

    @staticmethod
    async def until(
        pilot: Pilot[None], condition: Callable[[], bool], timeout: float = GUARD_SECONDS
    ) -> None:
        """Let the app run until ``condition()`` holds. The guard only stops a broken test
        from hanging for ever: it is far beyond what a busy machine needs."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not condition():
            if loop.time() > deadline:
                raise AssertionError("timed out waiting for the app")
            await pilot.pause(0.01)

    async def open_coding(
        self, pilot: Pilot[None], document_id: int, start: int | None = None, end: int | None = None
    ) -> CodingScreen:
        """Open a document in the coding screen and wait until it is shown."""
        app = pilot.app
        assert isinstance(app, QualcodeApp)
        await self.until(pilot, lambda: app.ctx is not None and app.screen.is_current)
        app.post_message(OpenDocument(document_id, start, end))
        await self.until(pilot, lambda: isinstance(app.screen, CodingScreen) and app.screen.loaded)
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        await pilot.pause()
        return screen

    async def keys(self, pilot: Pilot[None], screen: CodingScreen, *keys: str) -> None:
        """Press keys that make one coding change, and wait until the screen shows it."""
        before = screen.writes_done
        await pilot.press(*keys)
        await self.until(pilot, lambda: screen.writes_done > before)


@pytest.fixture
def drive() -> Drive:
    return Drive()
