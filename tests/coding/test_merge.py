"""Merging separately coded copies of a project."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from qualcode.codebook import apply_codebook, parse_codebook
from qualcode.coding import add_coding, add_memo, list_codings
from qualcode.coding import merge as merge_module
from qualcode.coding.merge import merge_projects
from qualcode.errors import QualcodeError
from qualcode.ingest import import_files
from qualcode.store import Project, open_project
from qualcode.store.models import Code, Coding, Memo

BOOK = "codes:\n- name: Caseload\n  children:\n  - name: Volume of cases\n- name: Triage\n"


def copy_of_study(path: Path | str, files: list[Path]) -> Project:
    project = open_project(path, create=True)
    with project.write() as s:
        apply_codebook(s, parse_codebook(BOOK), actor="t")
    import_files(project, files, actor="t")
    return project


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    out = []
    for n, body in enumerate(["Too many cases. Far too many.", "We plead most of them out."], 1):
        path = tmp_path / f"P0{n}.txt"
        path.write_text(f"Interviewer: Tell me.\n\nP0{n}: {body}\n", encoding="utf-8")
        out.append(path)
    return out


def rows(project: Project) -> list[tuple[str, str, str, int, int]]:
    with project.session() as s:
        return sorted((r.document, r.code, r.coder, r.start, r.end) for r in list_codings(s))


def test_two_coders_copies_merge_and_merging_twice_is_harmless(
    backend_url: str, tmp_path: Path, files: list[Path]
) -> None:
    mine = copy_of_study(backend_url, files)
    theirs = copy_of_study(tmp_path / "theirs.db", files)
    extra = tmp_path / "P09.txt"
    extra.write_text("Interviewer: Only in the other copy.\n\nP09: Yes.\n", encoding="utf-8")
    import_files(theirs, [extra], actor="t")
    with mine.write() as s:
        add_coding(
            s, document="P01.txt", code="Caseload/Volume of cases", coder="ana", start=27, end=42
        )
    with theirs.write() as s:
        s.add(Code(name="Understaffing", parent_id=None, guid="g-under"))
        s.flush()
        c = add_coding(
            s, document="P01.txt", code="Caseload/Volume of cases", coder="ben", start=27, end=56
        )
        add_coding(s, document="P02.txt", code="Understaffing", coder="ben", start=27, end=53)
        add_coding(s, document="P09.txt", code="Triage", coder="ben", start=42, end=46)
        add_memo(s, body="boundary: whole turn?", coder="ben", target="coding", ref=c.id)
        add_memo(s, body="P02 is terse", coder="ben", target="document", ref="P02.txt")
    report = merge_projects(mine, tmp_path / "theirs.db", actor="lead")
    assert report.codings_added == 2
    assert report.codes_added == ["Understaffing"]
    assert report.unmatched_documents == [("P09.txt", 1)]
    assert report.memos_added == 2
    assert rows(mine) == [
        ("P01.txt", "Caseload/Volume of cases", "ana", 27, 42),
        ("P01.txt", "Caseload/Volume of cases", "ben", 27, 56),
        ("P02.txt", "Understaffing", "ben", 27, 53),
    ]
    with mine.session() as s:
        memo = s.scalar(select(Memo).where(Memo.coding_id.is_not(None)))
        assert memo is not None and memo.body == "boundary: whole turn?"
        coded = s.get_one(Coding, memo.coding_id)
        assert (coded.start, coded.end) == (27, 56)
    again = merge_projects(mine, tmp_path / "theirs.db", actor="lead")
    assert (again.codings_added, again.memos_added, again.codes_added) == (0, 0, [])
    assert again.codings_already_there == 2
    assert len(rows(mine)) == 3
    mine.dispose()


def test_a_failed_merge_changes_nothing(
    project: Project, tmp_path: Path, files: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    with project.write() as s:
        apply_codebook(s, parse_codebook(BOOK), actor="t")
    import_files(project, files, actor="t")
    theirs = copy_of_study(tmp_path / "theirs.db", files)
    with theirs.write() as s:
        add_coding(s, document="P01.txt", code="Triage", coder="ben", start=27, end=42)
        add_memo(s, body="x", coder="ben")

    def broken(*_args: object, **_kw: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(merge_module, "_merge_memos", broken)
    with pytest.raises(RuntimeError):
        merge_projects(project, tmp_path / "theirs.db", actor="lead")
    with project.session() as s:
        assert s.scalar(select(func.count()).select_from(Coding)) == 0


def test_merge_refuses_itself_and_missing_projects(project: Project, tmp_path: Path) -> None:
    assert project.path is not None
    with pytest.raises(QualcodeError, match="into itself"):
        merge_projects(project, project.path, actor="t")
    with pytest.raises(QualcodeError, match="no project at"):
        merge_projects(project, tmp_path / "nope.db", actor="t")


def test_merge_command(
    tmp_path: Path, files: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    from qualcode.cli import main

    copy_of_study(tmp_path / "a.db", files).dispose()
    theirs = copy_of_study(tmp_path / "b.db", files)
    with theirs.write() as s:
        add_coding(s, document="P02.txt", code="Triage", coder="ben", start=27, end=53)
    with pytest.raises(SystemExit) as done:
        main(["merge", str(tmp_path / "b.db"), "--json", "--project", str(tmp_path / "a.db")])
    assert done.value.code in (0, None)
    out = json.loads(capsys.readouterr().out)
    assert out["codings_added"] == 1 and out["coders"] == ["ben"]
