"""A small coded project of fictional prosecutor interviews with planted identifiers
(``fixtures/``: three transcripts, an attribute table, and ``planted.json``, the identifiers
that must not survive and the field's vocabulary that must), scanned and, for the share tests,
with every candidate accepted."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from qualcode.codebook.edit import add_code
from qualcode.coding.coders import get_or_create_coder
from qualcode.coding.codes import find_code
from qualcode.coding.codings import CodingSpec, insert_codings
from qualcode.coding.memos import add_memo
from qualcode.features import attribute_ranges
from qualcode.ingest.attributes import import_attributes
from qualcode.ingest.documents import find_document
from qualcode.ingest.importer import import_files
from qualcode.interop.refi.groups import merge_group
from qualcode.pseudonyms.review import set_status
from qualcode.pseudonyms.scan import scan_project
from qualcode.store import Document, Project, open_project

FIXTURES = Path(__file__).parent / "fixtures"
PLANTED = json.loads((FIXTURES / "planted.json").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Study:
    path: Path
    project: Project


def span_of(text: str, needle: str, *, skip: str = "", cut: int = 0) -> tuple[int, int]:
    """Where ``needle`` is in ``text`` (after ``skip``); ``cut`` drops its first characters."""
    start = text.index(needle, text.index(skip) if skip else 0)
    return start + cut, start + len(needle)


def build_study(path: Path | str) -> Project:
    project = open_project(path, create=True)
    import_files(project, sorted(FIXTURES.glob("P0*.txt")), actor="ana")
    import_attributes(project, FIXTURES / "attributes.csv", actor="ana", ranges=attribute_ranges())
    with project.write() as s:
        trial = add_code(s, "Trial", actor="ana", description="Mentions of Detective Kim Oduya")
        people = add_code(s, "People", actor="ana")
        evidence = add_code(s, "Evidence", actor="ana", parent="Trial")
        ana = get_or_create_coder(s, "ana").id
        bob = get_or_create_coder(s, "bob").id
        p1 = find_document(s, "P01")
        p2 = find_document(s, "P02")
        p3 = find_document(s, "P03")
        t1, t2, t3 = p1.text, p2.text, p3.text
        specs = [
            # a sentence holding names
            CodingSpec(p1.id, trial.id, ana, *span_of(t1, "Judge Harriet Marsh is strict")),
            # exactly a name inside a longer replaced form ("Detective Kim Oduya")
            CodingSpec(p1.id, people.id, ana, *span_of(t1, "Kim Oduya", skip="Detective")),
            # starting inside a name
            CodingSpec(p1.id, evidence.id, bob, *span_of(t1, "Greg Petrakis, runs", cut=5)),
            CodingSpec(p2.id, trial.id, ana, *span_of(t2, "On 6/14/2020 Judge Luis Alvarez")),
            CodingSpec(p2.id, people.id, bob, *span_of(t2, "Maria Gonzalez from the Child")),
            CodingSpec(p3.id, evidence.id, ana, *span_of(t3, "Officer Dwayne Mitchell is our")),
            CodingSpec(p3.id, trial.id, bob, 0, len(t3)),
        ]
        specs[0] = specs[0].with_memo("Kim Oduya again, see Judge Marsh")
        insert_codings(s, specs, "ana")
        add_memo(s, body="Greg Petrakis reviewed the codebook", coder="ana")
        add_memo(s, body="Tom Reyes was late", coder="bob", target="document", ref=p2.id)
        a, b = span_of(t3, "Fulton County")
        add_memo(
            s,
            body="Fulton County is small",
            coder="ana",
            target="annotation",
            ref=p3.id,
            start=a,
            end=b,
        )
        add_memo(s, body="Ask Judge Marsh", coder="ana", target="code", ref="Trial")
        merge_group(
            s,
            kind="code",
            name="Greg Petrakis's codes",
            description="by Maria Gonzalez",
            guid="",
            members=[trial.id, people.id],
        )
        merge_group(
            s, kind="document", name="Ohio", description="", guid="", members=[p1.id, p2.id]
        )
        assert find_code(s, "Trial/Evidence").id == evidence.id
    with project.write() as s:
        scan_project(s, actor="ana")
    return project


@pytest.fixture
def study(tmp_path: Path) -> Iterator[Study]:
    path = tmp_path / "study.db"
    project = build_study(path)
    try:
        yield Study(path, project)
    finally:
        project.dispose()


@pytest.fixture
def accepted(study: Study) -> Study:
    with study.project.write() as s:
        set_status(s, [], "accepted", actor="ana", every=True)
    return study


def document_texts(project: Project) -> dict[str, str]:
    with project.session() as s:
        return {n: t for n, t in s.execute(select(Document.name, Document.text))}
