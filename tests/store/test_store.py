"""The project store on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from qualcode.coding import add_coding, add_memo, list_codings, remove_coding
from qualcode.errors import QualcodeError
from qualcode.store import Code, Coder, Coding, Document, Project, open_project
from qualcode.store.db import make_engine, resolve_url
from qualcode.store.migrate import alembic_config, current_revision, head_revision
from qualcode.store.models import AuditEntry, Memo


def add_doc(
    s, name: str = "d.txt", body: str = "Interviewer: Why?\n\nP01: Caseload.\n"
) -> Document:
    doc = Document(name=name, text=body, sha256=name * 4, source_name=name, source_format="txt")
    s.add(doc)
    s.flush()
    return doc


def add_code(s, name: str = "Caseload", parent: Code | None = None, key: str | None = None) -> Code:
    code = Code(name=name, parent_id=parent.id if parent else None, guid=f"g-{name}", key=key)
    s.add(code)
    s.flush()
    return code


def test_new_project_is_at_the_newest_schema(any_project: Project) -> None:
    assert current_revision(any_project.engine) == head_revision()


def test_codings_round_trip_with_code_paths(any_project: Project) -> None:
    with any_project.write() as s:
        doc = add_doc(s)
        parent = add_code(s, "Triage")
        add_code(s, "Plea bargaining", parent, key="k")
        add_coding(
            s, document="d.txt", code="Triage/Plea bargaining", coder="ana", start=24, end=33
        )
    with any_project.session() as s:
        rows = list_codings(s)
    assert [(r.code, r.coder, r.start, r.end, r.text) for r in rows] == [
        ("Triage/Plea bargaining", "ana", 24, 33, "Caseload.")
    ]
    assert doc.text[24:33] == "Caseload."


def test_coding_the_same_span_twice_keeps_one(any_project: Project) -> None:
    with any_project.write() as s:
        add_doc(s)
        add_code(s)
    for _ in range(2):
        with any_project.write() as s:
            add_coding(s, document="d.txt", code="Caseload", coder="ana", start=0, end=5)
    with any_project.session() as s:
        assert s.scalar(select(func.count()).select_from(Coding)) == 1


def test_foreign_keys_are_enforced(any_project: Project) -> None:
    with pytest.raises(IntegrityError), any_project.write() as s:
        s.add(Coding(document_id=999, code_id=999, coder_id=999, start=0, end=1))
    with any_project.session() as s:
        assert s.scalar(select(func.count()).select_from(Coding)) == 0


def test_span_check_rejects_empty_and_negative_spans(any_project: Project) -> None:
    with any_project.write() as s:
        doc = add_doc(s)
        code = add_code(s)
        coder = Coder(name="ana")
        s.add(coder)
    for start, end in [(5, 5), (-1, 3), (7, 2)]:
        with pytest.raises(IntegrityError), any_project.write() as s:
            s.add(
                Coding(document_id=doc.id, code_id=code.id, coder_id=coder.id, start=start, end=end)
            )


def test_span_outside_the_text_is_a_user_error(any_project: Project) -> None:
    with any_project.write() as s:
        add_doc(s)
        add_code(s)
    with pytest.raises(QualcodeError, match="not inside"), any_project.write() as s:
        add_coding(s, document="d.txt", code="Caseload", coder="ana", start=10, end=10_000)


def test_changes_are_audited_and_memos_cascade(any_project: Project) -> None:
    with any_project.write() as s:
        add_doc(s)
        add_code(s)
        coding = add_coding(s, document="d.txt", code="Caseload", coder="ana", start=0, end=5)
        add_memo(s, body="boundary unclear", coder="ana", target="coding", ref=coding.id)
        add_memo(s, body="overall impression", coder="ana")
    with any_project.write() as s:
        remove_coding(s, coding.id, actor="ana")
    with any_project.session() as s:
        actions = s.execute(
            select(AuditEntry.action, AuditEntry.entity).order_by(AuditEntry.id)
        ).all()
        memos = s.scalars(select(Memo)).all()
    assert ("add", "coding") in actions and ("remove", "coding") in actions
    assert [m.target for m in memos] == ["project"]


def test_sqlite_pragmas(tmp_path: Path) -> None:
    project = open_project(tmp_path / "p.db", create=True)
    with project.session() as s:
        conn = s.connection()
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_missing_project_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(QualcodeError, match="no project at"):
        open_project(tmp_path / "nope.db")
    assert not (tmp_path / "nope.db").exists()


def test_project_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUALCODE_PROJECT", str(tmp_path / "env.db"))
    assert resolve_url(None).endswith("env.db")
    monkeypatch.delenv("QUALCODE_PROJECT")
    monkeypatch.chdir(tmp_path)
    assert resolve_url(None) == f"sqlite:///{tmp_path / 'qualcode.db'}"


def _make_old_project(url: str) -> None:
    engine = make_engine(resolve_url(url))
    command.upgrade(alembic_config(engine), "0001")
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO coders (name, created_at) VALUES ('old', CURRENT_TIMESTAMP)")
        )
    engine.dispose()


def test_older_project_is_backed_up_then_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _make_old_project(str(path))
    project = open_project(path)
    assert current_revision(project.engine) == head_revision()
    backups = list(tmp_path.glob("old.db.backup-0001-*"))
    assert len(backups) == 1
    engine = make_engine(resolve_url(str(backups[0])))
    assert current_revision(engine) == "0001"
    with engine.connect() as conn:
        assert conn.execute(text("SELECT name FROM coders")).scalar() == "old"
    engine.dispose()
    with project.session() as s:
        assert s.scalars(select(Coder.name)).all() == ["old"]


def test_older_project_upgrades_on_postgresql(pg_url: str) -> None:
    _make_old_project(pg_url)
    project = open_project(pg_url)
    assert current_revision(project.engine) == head_revision()
    with project.session() as s:
        assert s.scalars(select(Coder.name)).all() == ["old"]
    project.dispose()


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    open_project(path, create=True).dispose()
    engine = make_engine(resolve_url(str(path)))
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(QualcodeError, match="newer than this qualcode"):
        open_project(path)


def test_a_foreign_database_is_refused(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    with pytest.raises(QualcodeError, match="not a qualcode project"):
        open_project(path)


def test_a_failed_upgrade_leaves_the_project_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _make_old_project(str(path))
    engine = make_engine(resolve_url(str(path)))
    with engine.begin() as conn:  # a table in the way makes the next migration fail
        conn.execute(text("CREATE TABLE group_members (x INTEGER)"))
    engine.dispose()

    def dump() -> list[str]:
        import sqlite3

        con = sqlite3.connect(path)
        try:
            return list(con.iterdump())
        finally:
            con.close()

    before = dump()
    with pytest.raises(QualcodeError, match="left as it was; a backup is at"):
        open_project(path)
    assert dump() == before
    engine = make_engine(resolve_url(str(path)))
    assert current_revision(engine) == "0001"
    engine.dispose()
