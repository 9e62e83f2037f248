"""Helpers for the retrieval, auto-code and codebook-editor screen tests (imported explicitly by
those test modules; not a pytest conftest). Each screen runs on a tiny test app that pushes it
and records the messages it posts upwards."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session
from textual.app import App
from textual.message import Message
from textual.pilot import Pilot
from textual.screen import Screen

from qualcode.store import open_project
from qualcode.store.db import Project
from qualcode.store.models import (
    Attribute,
    AttributeValue,
    Code,
    Coder,
    Coding,
    Document,
    Participant,
)
from qualcode.tui.coding_service import WORKER_GROUP
from qualcode.tui.context import AppContext
from qualcode.tui.messages import CodebookChanged, CodingsChanged, OpenDocument

from ..segmented_document import add_document

TEXTS = {
    "P01.txt": (
        "Interviewer: How many cases do you carry?\n\n"
        "P01: About half. The lab is slow. Plea deals are common.\n\n"
        "Interviewer: And plea bargains?\n\n"
        "P01: A plea bargain saves time. We plead out most cases."
    ),
    "P02.txt": (
        "Interviewer: Tell me about your office.\n\n"
        "P02: It is federal. The lab is fast here.\n\n"
        "Interviewer: Any plea deals?\n\n"
        "P02: Rarely. Maybe one plea deal a year."
    ),
}
SIZE = (130, 40)
#: how long a wait may take before the test is declared hung (not a timing requirement)
GUARD_SECONDS = 120.0


@dataclass
class Proj:
    project: Project
    docs: dict[str, int] = field(default_factory=dict)
    codes: dict[str, int] = field(default_factory=dict)

    def span(self, doc: str, passage: str) -> tuple[int, int]:
        start = TEXTS[doc].index(passage)
        return start, start + len(passage)

    def code(self, s: Session, code_id: int) -> Code | None:
        return s.get(Code, code_id)

    def codings(self) -> list[tuple[int, int, int, int, str]]:
        """(document id, code id, start, end, coder) of every coding, sorted."""
        with self.project.session() as s:
            rows = s.execute(
                select(
                    Coding.document_id, Coding.code_id, Coding.start, Coding.end, Coder.name
                ).join(Coder)
            ).all()
        return sorted(tuple(r) for r in rows)  # type: ignore[misc]


def _add_document(s: Session, name: str, participant: Participant) -> Document:
    return add_document(s, name, TEXTS[name], participant, paragraphs=False)


def build_project(path: Path) -> Proj:
    """Two interviews; codes Triage{Plea bargaining}, Lab backlog (key d); ana's and ben's
    codings of Plea bargaining and Lab backlog."""
    proj = Proj(open_project(path, create=True))
    with proj.project.write() as s:
        state = Attribute(name="state", kind="text")
        p1, p2 = Participant(label="P01"), Participant(label="P02")
        s.add_all([state, p1, p2])
        s.flush()
        s.add(AttributeValue(participant_id=p1.id, attribute_id=state.id, text_value="Ohio"))
        s.add(AttributeValue(participant_id=p2.id, attribute_id=state.id, text_value="Texas"))
        d1, d2 = _add_document(s, "P01.txt", p1), _add_document(s, "P02.txt", p2)
        triage = Code(name="Triage", guid="g-t", colour="#d62728", position=0)
        lab = Code(name="Lab backlog", guid="g-l", colour="#1f77b4", key="d", position=1)
        s.add_all([triage, lab])
        s.flush()
        plea = Code(name="Plea bargaining", guid="g-p", parent_id=triage.id, colour="#ff9896")
        ana, ben = Coder(name="ana"), Coder(name="ben")
        s.add_all([plea, ana, ben])
        s.flush()
        proj.docs = {"P01.txt": d1.id, "P02.txt": d2.id}
        proj.codes = {"Triage": triage.id, "Plea bargaining": plea.id, "Lab backlog": lab.id}
        for doc, code, coder, passage in (
            ("P01.txt", plea, ana, "Plea deals are common."),
            ("P02.txt", plea, ben, "Maybe one plea deal a year."),
            ("P01.txt", lab, ana, "The lab is slow."),
            ("P02.txt", triage, ben, "Rarely."),
        ):
            start, end = proj.span(doc, passage)
            s.add(
                Coding(
                    document_id=proj.docs[doc],
                    code_id=code.id,
                    coder_id=coder.id,
                    start=start,
                    end=end,
                )
            )
    return proj


class Harness(App[None]):
    """Pushes one screen and records the messages that reach the app."""

    def __init__(self, make: Callable[[AppContext], Screen[None]], ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.make = make
        self.posted: list[Message] = []

    def on_mount(self) -> None:
        self.push_screen(self.make(self.ctx))

    def on_open_document(self, message: OpenDocument) -> None:
        self.posted.append(message)

    def on_codings_changed(self, message: CodingsChanged) -> None:
        self.posted.append(message)

    def on_codebook_changed(self, message: CodebookChanged) -> None:
        self.posted.append(message)

    def of(self, kind: type[Message]) -> list[Message]:
        return [m for m in self.posted if isinstance(m, kind)]


def run(
    proj: Proj,
    make: Callable[[AppContext], Screen[None]],
    scenario: Callable[[Pilot[None], Harness], Awaitable[None]],
    coder: str = "ana",
) -> Harness:
    """Run ``scenario`` on the screen in a headless terminal; returns the harness."""
    app = Harness(make, AppContext.create(proj.project, coder))

    async def main() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await scenario(pilot, app)

    asyncio.run(main())
    return app


async def settle(pilot: Pilot[None]) -> None:
    """Let workers finish (the coding service: answer what it was asked) and the messages
    they posted be handled."""
    app = pilot.app
    ctx = getattr(app, "ctx", None)
    service = ctx.coding if ctx is not None else None
    for _ in range(4):
        others = [w for w in app.workers if w.group != WORKER_GROUP]
        if others:  # (an empty list would mean every worker, the service's too)
            await app.workers.wait_for_complete(others)
        if service is not None:
            await until(pilot, lambda: not service.busy)
        await pilot.pause()


async def until(
    pilot: Pilot[None], condition: Callable[[], bool], timeout: float = GUARD_SECONDS
) -> None:
    """Let the app run until ``condition()`` holds; the guard only stops a broken test from
    hanging for ever, far beyond what a busy machine needs."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("timed out waiting for the screen")
        await pilot.pause(0.01)
