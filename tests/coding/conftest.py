"""A small hand-built project for retrieval and auto-code tests: two interviews with turns and
sentences stored as segments, participants with attributes, a few codes and coders."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from qualcode.store import open_project
from qualcode.store.db import Project
from qualcode.store.models import (
    Attribute,
    AttributeValue,
    Code,
    Coder,
    Coding,
    Group,
    GroupMember,
    Participant,
)

from ..segmented_document import add_document

TEXT_1 = (
    "Interviewer: How many cases do you carry?\n\n"
    "P01: About half. The lab is slow. Plea deals are common.\n\n"
    "Interviewer: And plea bargains?\n\n"
    "P01: A plea bargain saves time. We plead out most cases."
)
TEXT_2 = (
    "Interviewer: Tell me about your office.\n\n"
    "P02: It is federal. The lab is fast here. Discovery is the hard part.\n\n"
    "Interviewer: Any plea deals?\n\n"
    "P02: Rarely. Maybe one plea deal a year."
)


@dataclass
class Small:
    project: Project
    docs: dict[str, int] = field(default_factory=dict)
    codes: dict[str, int] = field(default_factory=dict)
    coders: dict[str, int] = field(default_factory=dict)

    def text(self, doc: str) -> str:
        return TEXT_1 if doc == "P01.txt" else TEXT_2


def span_of(text: str, passage: str) -> tuple[int, int]:
    start = text.index(passage)
    return start, start + len(passage)


def build_small(path: Path | str) -> Small:
    project = open_project(path, create=True)
    small = Small(project)
    with project.write() as s:
        state = Attribute(name="state", kind="text")
        office = Attribute(name="office_type", kind="text")
        years = Attribute(name="years_experience", kind="number")
        p1 = Participant(label="P01")
        p2 = Participant(label="P02")
        s.add_all([state, office, years, p1, p2])
        s.flush()
        for p, values in ((p1, ("Ohio", "county", 14.0)), (p2, ("Texas", "federal", 9.0))):
            s.add(AttributeValue(participant=p, attribute=state, text_value=values[0]))
            s.add(AttributeValue(participant=p, attribute=office, text_value=values[1]))
            s.add(AttributeValue(participant=p, attribute=years, number_value=values[2]))
        d1 = add_document(s, "P01.txt", TEXT_1, p1)
        d2 = add_document(s, "P02.txt", TEXT_2, p2)
        triage = Code(name="Triage", guid="g-triage", position=0)
        s.add(triage)
        s.flush()
        plea = Code(name="Plea bargaining", guid="g-plea", parent_id=triage.id, position=0)
        lab = Code(name="Lab backlog", guid="g-lab", position=1)
        s.add_all([plea, lab])
        ana, ben = Coder(name="ana"), Coder(name="ben")
        s.add_all([ana, ben])
        s.flush()
        group = Group(kind="code", name="Delays", guid="g-delays")
        s.add(group)
        s.flush()
        s.add(GroupMember(group_id=group.id, code_id=lab.id))
        small.docs = {"P01.txt": d1.id, "P02.txt": d2.id}
        small.codes = {"Triage": triage.id, "Plea bargaining": plea.id, "Lab backlog": lab.id}
        small.coders = {"ana": ana.id, "ben": ben.id}
    return small


def add_codings(small: Small, rows: list[tuple[str, str, str, str]]) -> None:
    """Codings as (document, code name, coder, coded passage)."""
    with small.project.write() as s:
        for doc, code, coder, passage in rows:
            start, end = span_of(small.text(doc), passage)
            s.add(
                Coding(
                    document_id=small.docs[doc],
                    code_id=small.codes[code],
                    coder_id=small.coders[coder],
                    start=start,
                    end=end,
                )
            )


@pytest.fixture
def small(tmp_path: Path) -> Iterator[Small]:
    """The small project on SQLite."""
    built = build_small(tmp_path / "p.db")
    yield built
    built.project.dispose()


@pytest.fixture
def small_any(backend_url: str) -> Iterator[Small]:
    """The small project on SQLite and on PostgreSQL (skipped when no server is reachable)."""
    built = build_small(backend_url)
    yield built
    built.project.dispose()
