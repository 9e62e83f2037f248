"""``qualcode check`` finds damage; ``qualcode copy`` copies a project exactly."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select

from qualcode.codebook import apply_codebook, parse_codebook
from qualcode.coding import add_coding, add_memo
from qualcode.errors import QualcodeError
from qualcode.ingest import import_files
from qualcode.store import Project, open_project
from qualcode.store.check import check_project
from qualcode.store.copy import copy_project, table_digest
from qualcode.store.models import Base, Coding

BOOK = "codes:\n- name: Caseload\n  key: '1'\n  children:\n  - name: Volume\n- name: Triage\n"


def small_study(path: Path | str, tmp_path: Path) -> Project:
    project = open_project(path, create=True)
    with project.write() as s:
        apply_codebook(s, parse_codebook(BOOK), actor="t")
    files = []
    for n in (1, 2):
        f = tmp_path / f"P0{n}.txt"
        f.write_text(f"Interviewer: How many?\n\nP0{n}: Too many. Café 😀 dockets.\n", "utf-8")
        files.append(f)
    import_files(project, files, actor="t")
    with project.write() as s:
        c = add_coding(s, document="P01.txt", code="Caseload/Volume", coder="ana", start=29, end=38)
        add_coding(s, document="P02.txt", code="Triage", coder="ben", start=29, end=52)
        add_memo(s, body="emoji after café", coder="ana", target="coding", ref=c.id)
    return project


def test_a_sound_project_checks_clean(tmp_path: Path) -> None:
    assert check_project(small_study(tmp_path / "p.db", tmp_path)) == []


def test_check_reports_damage(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    small_study(path, tmp_path).dispose()
    con = sqlite3.connect(path)
    con.execute("PRAGMA foreign_keys=OFF")
    con.execute('UPDATE codings SET "end" = 10000 WHERE id = 1')
    con.execute(
        'INSERT INTO codings (document_id, code_id, coder_id, start, "end", created_at, '
        "updated_at) VALUES (99, 1, 1, 0, 5, '2024-01-01', '2024-01-01')"
    )
    con.execute(
        "UPDATE document_texts SET text = text || 'x' "
        "WHERE document_id = (SELECT id FROM documents WHERE name = 'P02.txt')"
    )
    con.execute("UPDATE codes SET parent_id = 2 WHERE id = 1")
    con.commit()
    con.close()
    problems = "\n".join(check_project(open_project(path)))
    assert "outside the text" in problems
    assert "points to a missing documents row 99" in problems
    assert "P02.txt: text does not match its SHA-256" in problems
    assert "P02.txt: recorded length" in problems
    assert "cycle of parents" in problems
    assert "foreign key broken" in problems


def digests(project: Project) -> dict[str, tuple[int, str]]:
    with project.engine.connect() as conn:
        return {t.name: table_digest(conn, t) for t in Base.metadata.sorted_tables}


def test_copy_sqlite_to_another_backend_is_exact(tmp_path: Path, backend_url: str) -> None:
    src = small_study(tmp_path / "src.db", tmp_path)
    report = copy_project(str(tmp_path / "src.db"), backend_url)
    assert report.tables["codings"] == 2 and report.tables["memos"] == 1
    dest = open_project(backend_url)
    assert digests(dest) == digests(src)
    with dest.write() as s:  # ids continue after the copied ones
        add_coding(s, document="P02.txt", code="Caseload", coder="cy", start=29, end=37)
    with dest.session() as s:
        assert s.scalar(select(func.count()).select_from(Coding)) == 3
    assert check_project(dest) == []
    with pytest.raises(QualcodeError, match="already holds data"):
        copy_project(str(tmp_path / "src.db"), backend_url)
    dest.dispose()


def test_copy_and_check_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from qualcode.cli import main

    small_study(tmp_path / "a.db", tmp_path).dispose()
    with pytest.raises(SystemExit) as done:
        main(["copy", str(tmp_path / "a.db"), str(tmp_path / "b.db")])
    assert done.value.code in (0, None)
    assert "counts and hashes verified" in capsys.readouterr().out
    with pytest.raises(SystemExit) as done:
        main(["check", "--project", str(tmp_path / "b.db")])
    assert done.value.code in (0, None)
    con = sqlite3.connect(tmp_path / "b.db")
    con.execute("UPDATE document_texts SET text = 'changed'")
    con.commit()
    con.close()
    with pytest.raises(SystemExit) as done:
        main(["check", "--project", str(tmp_path / "b.db")])
    assert done.value.code == 2
    assert "problem(s) found" in capsys.readouterr().err
