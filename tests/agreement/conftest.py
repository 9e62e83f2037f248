"""Agreement tests: the published reference vectors, offered as a parametrised fixture."""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from qualcode.ingest.importer import record_segmenter_version
from qualcode.store import Code, Coder, Coding, Document, Project, Segment, open_project

# ../shared next to the checkout, or QUALCODE_SHARED (a worktree lives one level deeper)
SHARED = Path(
    os.environ.get("QUALCODE_SHARED", Path(__file__).resolve().parents[2] / ".." / "shared")
)
VECTORS = SHARED / "reference" / "agreement_vectors.json"


def _cases() -> list[Any]:
    if not VECTORS.is_file():
        reason = f"reference vectors not found at {VECTORS.resolve()} (../shared is absent)"
        return [pytest.param(None, marks=pytest.mark.skip(reason=reason), id="vectors-absent")]
    vectors = json.loads(VECTORS.read_text(encoding="utf-8"))["vectors"]
    return [
        pytest.param((vector, stat), id=f"{vector['name']}-{stat}")
        for vector in vectors
        for stat in vector["statistic"].split("|")
    ]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """``reference_case``: one (vector, statistic) pair per listed statistic of each vector."""
    if "reference_case" in metafunc.fixturenames:
        metafunc.parametrize("reference_case", _cases())


Span = tuple[int, int]
DocumentSpec = tuple[str, dict[str, list[Span]]]  # text, {segment kind: spans}
CodingSpec = tuple[str, str, str, int, int]  # document, code path, coder, start, end
MakeProject = Callable[..., Project]


def _code_id(s: Session, ids: dict[str, int], path: str) -> int:
    parent: int | None = None
    so_far: list[str] = []
    for part in path.split("/"):
        so_far.append(part)
        key = "/".join(so_far)
        if key not in ids:
            code = Code(name=part, parent_id=parent, guid=uuid.uuid4().hex)
            s.add(code)
            s.flush()
            ids[key] = code.id
        parent = ids[key]
    assert parent is not None
    return parent


@pytest.fixture
def make_project(tmp_path: Path) -> Iterator[MakeProject]:
    """Build a SQLite project from documents (with segments), codings and extra codes."""
    made: list[Project] = []

    def make(
        documents: dict[str, DocumentSpec],
        codings: list[CodingSpec],
        extra_codes: tuple[str, ...] = (),
    ) -> Project:
        project = open_project(tmp_path / f"p{len(made)}.db", create=True)
        made.append(project)
        with project.write() as s:
            record_segmenter_version(s)  # hand-cut segments: opening must not re-cut them
            doc_ids: dict[str, int] = {}
            for name, (text, segments) in documents.items():
                digest = hashlib.sha256(f"{name}\0{text}".encode()).hexdigest()
                doc = Document(
                    name=name, text=text, sha256=digest, source_name=name, source_format="txt"
                )
                s.add(doc)
                s.flush()
                doc_ids[name] = doc.id
                for kind, spans in segments.items():
                    for start, end in spans:
                        s.add(Segment(document_id=doc.id, kind=kind, start=start, end=end))
            code_ids: dict[str, int] = {}
            coder_ids: dict[str, int] = {}
            for path in extra_codes:
                _code_id(s, code_ids, path)
            for doc_name, path, coder, start, end in codings:
                if coder not in coder_ids:
                    row = Coder(name=coder)
                    s.add(row)
                    s.flush()
                    coder_ids[coder] = row.id
                s.add(
                    Coding(
                        document_id=doc_ids[doc_name],
                        code_id=_code_id(s, code_ids, path),
                        coder_id=coder_ids[coder],
                        start=start,
                        end=end,
                    )
                )
        return project

    yield make
    for project in made:
        project.dispose()
