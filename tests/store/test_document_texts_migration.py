"""Migration 0005: documents' texts move into ``document_texts``, byte for byte, and
``documents.length`` records each text's length in code points."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

from alembic import command
from sqlalchemy import func, inspect, select, text

from qualcode.store import Document, Project, open_project
from qualcode.store.migrate import alembic_config, current_revision, head_revision

FIXTURE = Path(__file__).parent / "fixtures" / "release-0.1.0-rev0002.sqlite"
# astral characters (one code point, two UTF-16 units), a combining accent, CRLF
ODD = "Speaker 1: 👩‍⚖️ said “no”.\r\nSpeaker 2: cafe\u0301 done 𝔘.\n"


def test_every_text_of_a_previous_release_survives_byte_for_byte(tmp_path: Path) -> None:
    path = tmp_path / "study.db"
    shutil.copy(FIXTURE, path)
    con = sqlite3.connect(path)
    try:
        before = dict(con.execute("SELECT id, CAST(text AS BLOB) FROM documents").fetchall())
        hashes = dict(con.execute("SELECT id, sha256 FROM documents").fetchall())
    finally:
        con.close()
    assert len(before) == 2 and all(len(b) > 1000 for b in before.values())

    project = open_project(path)
    try:
        assert current_revision(project.engine) == head_revision()
        columns = {c["name"] for c in inspect(project.engine).get_columns("documents")}
        assert "text" not in columns and "length" in columns
        with project.session() as s:
            after = dict(
                s.execute(text("SELECT document_id, CAST(text AS BLOB) FROM document_texts")).all()
            )
            lengths = dict(s.execute(select(Document.id, Document.length)).all())
            docs = {d.id: d.text for d in s.scalars(select(Document))}
    finally:
        project.dispose()
    assert after == before
    for doc_id, body in before.items():
        assert hashlib.sha256(body).hexdigest() == hashes[doc_id]
        assert docs[doc_id].encode("utf-8") == body
        assert lengths[doc_id] == len(body.decode("utf-8"))


def test_down_to_0004_and_up_again_keeps_every_text(backend_url: str) -> None:
    project = open_project(backend_url, create=True)
    texts = {"odd.txt": ODD, "long.txt": "word " * 50_000, "empty-ish.txt": "x"}
    if project.is_sqlite:  # SQLite keeps a NUL (and its length() would stop there)
        texts["nul.txt"] = "before \x00 after"
    with project.write() as s:
        for name, body in texts.items():
            s.add(
                Document(
                    name=name,
                    text=body,
                    sha256=hashlib.sha256(body.encode("utf-8")).hexdigest(),
                    source_name=name,
                    source_format="txt",
                )
            )
    command.downgrade(alembic_config(project.engine), "0004")
    with project.engine.connect() as conn:
        old = dict(conn.execute(text("SELECT name, text FROM documents")).all())
        assert not inspect(conn).has_table("document_texts")
    assert old == texts
    command.upgrade(alembic_config(project.engine), "head")
    try:
        with project.session() as s:
            rows = s.execute(select(Document.name, Document.text, Document.length)).all()
            assert {name: body for name, body, _ in rows} == texts
            assert {name: n for name, _, n in rows} == {k: len(v) for k, v in texts.items()}
            assert len(ODD) != len(ODD.encode("utf-16-le")) // 2  # the length is code points
    finally:
        project.dispose()


def test_document_text_reads_like_a_column(any_project: Project) -> None:
    """Code that reads Document.text in a query, or doc.text, keeps working."""
    texts = {"a.txt": ODD, "b.txt": "plain"}
    with any_project.write() as s:
        for name, body in texts.items():
            s.add(
                Document(
                    name=name,
                    text=body,
                    sha256=hashlib.sha256(body.encode()).hexdigest(),
                    source_name=name,
                    source_format="txt",
                )
            )
    with any_project.session() as s:
        assert sorted(s.scalars(select(Document.text)).all()) == sorted(texts.values())
        rows = s.execute(select(Document.name, Document.text).order_by(Document.name)).all()
        assert [(r.name, r.text) for r in rows] == sorted(texts.items())
        lengths = dict(s.execute(select(Document.name, func.length(Document.text))).all())
        assert lengths == {"a.txt": len(ODD), "b.txt": 5}
        docs = s.scalars(select(Document).order_by(Document.name)).all()
        assert [d.text for d in docs] == [ODD, "plain"]
