"""Reading a project's coded passages takes a few statements, however many documents it has:
counting codes, retrieving one, co-occurrence and the list of codings run as many statements on
16 documents as on 4 (one query per document made counting codes several times slower than its
peers on 1,000 documents), on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, event, func, select
from sqlalchemy.orm import Session

from qualcode.analysis.tables import cooccurrence_table, frequency_table
from qualcode.coding.codings import CodingSpec, insert_codings, list_codings
from qualcode.coding.retrieval import retrieve
from qualcode.store import Code, Coder, Participant, Project, Segment, open_project
from qualcode.store.texts import FEW, SHORT, read_passages

from ..segmented_document import add_document

TEXT = (
    "Interviewer: How is the lab?\n\n"
    "P1: The lab is slow. Phones take months. Cloud returns take longer. We wait.\n\n"
    "Interviewer: And pleas?\n\n"
    "P1: Pleas end most cases. Trials are rare. Juries are hard to read. So we plead."
)
PASSAGES = ["The lab is slow.", "Phones take months.", "Pleas end most cases.", "Trials are"]


def _span(passage: str) -> tuple[int, int]:
    start = TEXT.index(passage)
    return start, start + len(passage)


def build(url: str) -> Project:
    project = open_project(url, create=True)
    with project.write() as s:
        s.add_all(
            [
                Code(name="Backlog", guid="g-backlog", position=0),
                Code(name="Triage", guid="g-triage", position=1),
                Coder(name="ana"),
            ]
        )
    return project


def grow(project: Project, documents: int) -> None:
    """Interviews up to ``documents``, each coded a few times; every fourth one coded at more
    than :data:`FEW` places (read whole) and every third one without stored segments (its
    units are cut on the fly)."""
    with project.write() as s:
        backlog = s.scalars(select(Code).where(Code.name == "Backlog")).one()
        triage = s.scalars(select(Code).where(Code.name == "Triage")).one()
        ana = s.scalars(select(Coder)).one()
        have = s.scalar(select(func.count()).select_from(Participant)) or 0
        specs = []
        for i in range(have, documents):
            doc = add_document(s, f"P{i:02}.txt", TEXT, Participant(label=f"P{i:02}"))
            if i % 3 == 2:
                s.execute(delete(Segment).where(Segment.document_id == doc.id))
            for n, passage in enumerate(PASSAGES):
                a, b = _span(passage)
                specs.append(
                    CodingSpec(doc.id, (backlog if n % 2 == 0 else triage).id, ana.id, a, b)
                )
            if i % 4 == 0:
                specs += [
                    CodingSpec(doc.id, triage.id, ana.id, a, a + 3)
                    for a in range(0, 10 * (FEW + 2), 10)
                ]
        insert_codings(s, specs, "ana")


def statements(project: Project, work: Callable[[Session], object]) -> int:
    """How many SQL statements ``work`` runs in one session (not counting BEGIN)."""
    count = 0

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        nonlocal count
        count += not statement.startswith("BEGIN")

    event.listen(project.engine, "before_cursor_execute", seen)
    try:
        with project.session() as s:
            work(s)
    finally:
        event.remove(project.engine, "before_cursor_execute", seen)
    return count


WORK: dict[str, Callable[[Session], object]] = {
    "frequencies": frequency_table,
    "frequencies by participant": lambda s: frequency_table(s, by="participant"),
    "retrieve (sentence)": lambda s: retrieve(s, codes=["Backlog"]),
    "retrieve (turn)": lambda s: retrieve(s, codes=["Triage"], context="turn"),
    "retrieve (40 characters)": lambda s: retrieve(s, codes=["Backlog"], context=40),
    "co-occurrence (sentence)": lambda s: cooccurrence_table(s, "sentence"),
    "codings": list_codings,
}


@pytest.mark.parametrize("work", list(WORK))
def test_statements_do_not_grow_with_documents(backend_url: str, work: str) -> None:
    project = build(backend_url)
    counts = []
    try:
        for n in (4, 16):
            grow(project, n)
            counts.append(statements(project, WORK[work]))
    finally:
        project.dispose()
    assert counts[0] == counts[1], (
        f"{work}: {counts[0]} statements on 4 documents, {counts[1]} on 16"
    )


def test_passages_of_many_documents_take_few_statements(tmp_path: Path) -> None:
    long = "\n\n".join([TEXT] * (SHORT // len(TEXT) + 1))  # read with substr
    project = build(str(tmp_path / "p.db"))
    with project.write() as s:
        texts = {add_document(s, f"L{i}.txt", long, None).id: long for i in range(10)}
        texts.update({add_document(s, f"S{i}.txt", TEXT, None).id: TEXT for i in range(10)})
    spans = {doc_id: [_span(p) for p in PASSAGES] for doc_id in texts}
    many = min(texts)  # read whole: more than FEW passages
    spans[many] = [(a, a + 3) for a in range(0, 10 * (FEW + 2), 10)]
    passages: dict[int, Any] = {}

    def read(s: Session) -> None:
        passages.update(read_passages(s, {**spans, 99: [(0, 5)]}))

    # the lengths, the passages of 9 long texts with substr, and 11 texts whole
    assert statements(project, read) == 3
    assert sorted(passages) == sorted(texts)  # no document 99
    for doc_id, text in texts.items():
        assert [passages[doc_id][a:b] for a, b in spans[doc_id]] == [
            text[a:b] for a, b in spans[doc_id]
        ]
    project.dispose()
