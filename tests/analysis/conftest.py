"""A small hand-built project for the analysis tables: rows added directly to the store, with
the raw data kept for the tests' own naive counts."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from qualcode.ingest.importer import record_segmenter_version
from qualcode.store import (
    Attribute,
    AttributeValue,
    Code,
    Coder,
    Coding,
    Document,
    Participant,
    Project,
    Segment,
    open_project,
)

TEXTS = {
    "d1": "Interviewer: How is it?\n\nP1: We are slow. The lab is far behind.\n\n"
    "Interviewer: Why?\n\nP1: Phones take months. Cloud returns take longer.\n",
    "d2": "Interviewer: Tell me more.\n\nP2: Pleas end most cases. Trials are rare.\n",
    "d3": "Interviewer: And you?\n\nP3: All I do is this work. Every day.\n",
    "d4": "Notes from a meeting. Nobody owns this one. It has codes anyway.\n",
    "d5": "Interviewer: Again?\n\nP1: Second talk. Still slow.\n",
}
OWNER = {"d1": "P1", "d2": "P2", "d3": "P3", "d4": None, "d5": "P1"}
# participant -> attribute values
STATE = {"P1": "Ohio", "P2": "Ohio", "P3": "Texas"}  # P4 has none
SHARE = {"P1": 10.0, "P2": 40.0, "P3": 100.0}  # P4 has none
YEARS = {"P1": 5.0, "P2": 12.0, "P3": 5.0, "P4": 12.0}
# code name -> parent name (tree order = insertion order within each parent)
CODES = {
    "Caseload": None,
    "Volume": "Caseload",
    "Backlog": "Volume",
    "Complexity": "Caseload",
    "Triage": None,
    "Unused": None,
}


def _find(doc: str, phrase: str, nth: int = 0) -> tuple[int, int]:
    starts = [m.start() for m in re.finditer(re.escape(phrase), TEXTS[doc])]
    return starts[nth], starts[nth] + len(phrase)


def _codings() -> list[tuple[str, str, str, int, int]]:
    """(document, code, coder, start, end)."""
    out: list[tuple[str, str, str, int, int]] = []

    def add(doc: str, code: str, coder: str, phrase: str, nth: int = 0) -> None:
        start, end = _find(doc, phrase, nth)
        out.append((doc, code, coder, start, end))

    add("d1", "Caseload", "ann", "We are slow.")
    add("d1", "Volume", "ann", "We are slow. The lab")
    add("d1", "Volume", "ann", "slow. The lab is far")  # overlaps the previous Volume coding
    add("d1", "Backlog", "ann", "The lab is far behind.")
    add("d1", "Backlog", "bob", "lab is far")
    add("d1", "Complexity", "bob", "Phones take months.")
    add("d1", "Complexity", "ann", "Cloud returns take longer.")
    add("d1", "Triage", "ann", "Phones take")
    add("d2", "Triage", "ann", "Pleas end most cases.")
    add("d2", "Triage", "bob", "Pleas end most cases. Trials are rare.")
    add("d2", "Volume", "bob", "most cases")
    add("d2", "Complexity", "ann", "Trials are")
    add("d3", "Backlog", "ann", "All I do is this work.")
    add("d3", "Caseload", "ann", "this work. Every")
    add("d4", "Volume", "ann", "Nobody owns this one.")
    add("d4", "Triage", "ann", "this one. It")
    add("d5", "Backlog", "bob", "Second talk.")
    add("d5", "Backlog", "bob", "talk. Still")  # overlaps the previous, same coder
    add("d5", "Caseload", "ann", "Still slow.")
    return out


def _sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans cut by hand: after the speaker label, up to each full stop/question mark."""
    spans: list[tuple[int, int]] = []
    for para in re.finditer(r"[^\n]+", text):
        body = re.sub(r"^\w+: ", "", para.group())
        offset = para.start() + len(para.group()) - len(body)
        for m in re.finditer(r"[^.?!]+[.?!]", body):
            lead = len(m.group()) - len(m.group().lstrip())
            spans.append((offset + m.start() + lead, offset + m.end()))
    return spans


def _turns(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]


@dataclass
class Built:
    """The project and the raw data it was built from."""

    project: Project
    codings: list[tuple[str, str, str, int, int]]
    sentences: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    turns: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    participants: tuple[str, ...] = ("P1", "P2", "P3", "P4")
    texts: dict[str, str] = field(default_factory=lambda: dict(TEXTS))
    owner: dict[str, str | None] = field(default_factory=lambda: dict(OWNER))
    state: dict[str, str] = field(default_factory=lambda: dict(STATE))
    share: dict[str, float] = field(default_factory=lambda: dict(SHARE))
    years: dict[str, float] = field(default_factory=lambda: dict(YEARS))
    codes: dict[str, str | None] = field(default_factory=lambda: dict(CODES))


@pytest.fixture
def built(tmp_path: Path) -> Iterator[Built]:
    """A new SQLite project with the rows above."""
    project = open_project(tmp_path / "analysis.db", create=True)
    out = Built(project, _codings())
    with project.write() as s:
        record_segmenter_version(s)  # hand-cut segments: opening must not re-cut them
        people = {label: Participant(label=label) for label in ("P1", "P2", "P3", "P4")}
        s.add_all(people.values())
        attrs = {
            "state": Attribute(name="state", kind="text"),
            "csam_share_pct": Attribute(name="csam_share_pct", kind="number"),
            "years": Attribute(name="years", kind="number"),
        }
        s.add_all(attrs.values())
        s.flush()
        for label, value in STATE.items():
            s.add(
                AttributeValue(
                    participant=people[label], attribute=attrs["state"], text_value=value
                )
            )
        for name, table in (("csam_share_pct", SHARE), ("years", YEARS)):
            for label, number in table.items():
                s.add(
                    AttributeValue(
                        participant=people[label], attribute=attrs[name], number_value=number
                    )
                )
        docs: dict[str, Document] = {}
        for name, text in TEXTS.items():
            owner = OWNER[name]
            docs[name] = Document(
                name=name,
                text=text,
                sha256=hashlib.sha256(text.encode()).hexdigest(),
                source_name=f"{name}.txt",
                source_format="txt",
                participant=people[owner] if owner else None,
            )
        s.add_all(docs.values())
        s.flush()
        for name, text in TEXTS.items():
            out.sentences[name] = _sentences(text)
            out.turns[name] = _turns(text)
            for start, end in out.sentences[name]:
                s.add(Segment(document_id=docs[name].id, kind="sentence", start=start, end=end))
            for start, end in out.turns[name]:
                s.add(Segment(document_id=docs[name].id, kind="turn", start=start, end=end))
        codes: dict[str, Code] = {}
        for pos, (name, parent) in enumerate(CODES.items()):
            codes[name] = Code(
                name=name, parent=codes[parent] if parent else None, position=pos, guid=name
            )
            s.add(codes[name])
        coders = {n: Coder(name=n) for n in ("ann", "bob")}
        s.add_all(coders.values())
        s.flush()
        for doc, code, coder, start, end in out.codings:
            s.add(
                Coding(
                    document_id=docs[doc].id,
                    code_id=codes[code].id,
                    coder_id=coders[coder].id,
                    start=start,
                    end=end,
                )
            )
    yield out
    project.dispose()
