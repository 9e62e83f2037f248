"""Importing into a project that already has work: documents matched by the sha256 of their
normalised text, codes by path, coders, participants and groups by name; nothing doubled."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from qualcode.codebook import apply_codebook, load_codebook
from qualcode.coding.codes import code_paths
from qualcode.demo import CODEBOOK, CORPUS, build_demo
from qualcode.ingest import import_files
from qualcode.interop.qdc import import_qdc
from qualcode.interop.refi.qdc import export_qdc
from qualcode.interop.refi.qdpx_export import export_qdpx
from qualcode.interop.refi.qdpx_import import import_qdpx
from qualcode.store import Project, open_project
from qualcode.store.models import Code, Coding, Document, Participant

from .shared_files import sample as shared_sample


def count(project: Project, model: type) -> int:
    with project.session() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture(scope="module")
def demo_qdpx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    project = open_project(folder / "demo.db", create=True)
    build_demo(project)
    export_qdpx(project, folder / "demo.qdpx")
    project.dispose()
    return folder / "demo.qdpx"


def test_importing_twice_adds_nothing_the_second_time(project: Project, demo_qdpx: Path) -> None:
    first = import_qdpx(project, demo_qdpx, actor="test")
    totals = [count(project, m) for m in (Document, Code, Coding, Participant)]
    assert first.codings_added == totals[2] > 0
    again = import_qdpx(project, demo_qdpx, actor="test")
    assert [count(project, m) for m in (Document, Code, Coding, Participant)] == totals
    assert (len(again.documents_added), len(again.documents_reused)) == (0, totals[0])
    assert (again.codes_added, again.codes_reused) == (0, totals[1])
    assert (again.codings_added, again.codings_already_there) == (0, totals[2])
    assert (again.participants_added, again.participants_reused) == (0, totals[3])
    assert again.attribute_values_set == 0


def test_merging_reuses_documents_by_text_and_codes_by_path(
    project: Project, demo_qdpx: Path, tmp_path: Path
) -> None:
    # The project already has the codebook and one transcript, under another name, with CRLF.
    with project.write() as s:
        apply_codebook(s, load_codebook(CODEBOOK), actor="test")
    copy = tmp_path / "first interview.txt"
    copy.write_bytes((CORPUS / "P01.txt").read_bytes().replace(b"\n", b"\r\n"))
    import_files(project, [copy], actor="test")
    with project.session() as s:
        codes_before = set(code_paths(s).values())
    report = import_qdpx(project, demo_qdpx, actor="test")
    assert report.documents_reused == ["P01.txt"]
    assert len(report.documents_added) == 23
    assert report.codes_added == 0 and report.codes_reused == len(codes_before)
    with project.session() as s:
        assert set(code_paths(s).values()) == codes_before
        doc = s.scalars(select(Document).where(Document.name == "first interview.txt")).one()
        coded = s.scalar(select(func.count()).where(Coding.document_id == doc.id)) or 0
        assert doc.participant is not None and doc.participant.label == "P01"
    assert coded > 0
    assert count(project, Document) == 24


def test_a_guid_taken_by_another_code_is_not_reused(project: Project, tmp_path: Path) -> None:
    with project.write() as s:
        apply_codebook(s, load_codebook(CODEBOOK), actor="test")
        first = s.scalars(select(Code).where(Code.parent_id.is_(None))).first()
        assert first is not None
        name, taken = first.name, first.guid
    export_qdc(project, tmp_path / "book.qdc")
    export_qdpx(project, tmp_path / "project.qdpx")
    for n, load in enumerate(
        (
            lambda p: import_qdc(p, tmp_path / "book.qdc", actor="test"),
            lambda p: import_qdpx(p, tmp_path / "project.qdpx", actor="test"),
        )
    ):
        other = open_project(tmp_path / f"other{n}.db", create=True)
        with other.write() as t:
            t.add(Code(name="Holder of the GUID", guid=taken, colour="#000000"))
        load(other)
        with other.session() as t:
            guids = dict(t.execute(select(Code.name, Code.guid)).all())
            assert len(guids) == count(project, Code) + 1
        assert guids["Holder of the GUID"] == taken
        assert guids[name] not in ("", taken)
        other.dispose()


def test_sample_merged_into_itself(project: Project) -> None:
    sample = shared_sample("cproctor__demo.qdpx")
    copy = Path(shutil.copy(sample, Path(project.path or ".").parent / "copy.qdpx"))
    first = import_qdpx(project, copy, actor="test")
    second = import_qdpx(project, copy, actor="test")
    assert (first.codings_added, second.codings_added) == (205, 0)
    assert second.codings_already_there == 205 and second.codes_reused == 262
    assert (count(project, Document), count(project, Code), count(project, Coding)) == (2, 262, 205)
