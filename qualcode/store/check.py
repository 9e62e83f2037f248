"""``qualcode check``: is a project consistent? Integrity, offsets, orphans, hashes, cycles."""

from __future__ import annotations

import hashlib

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from qualcode.store.db import Project
from qualcode.store.models import Base, Code, Coding, Document, DocumentText, Segment


def check_project(project: Project) -> list[str]:
    """Every problem found, one line each; an empty list means the project is consistent."""
    problems: list[str] = []
    with project.session() as s:
        if project.is_sqlite:
            conn = s.connection()
            result = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check")]
            if result != ["ok"]:
                problems.extend(f"sqlite integrity: {r}" for r in result[:20])
            for row in conn.exec_driver_sql("PRAGMA foreign_key_check").all()[:20]:
                problems.append(f"foreign key broken: table {row[0]} row {row[1]} -> {row[2]}")
        problems.extend(_spans(s))
        problems.extend(_orphans(s))
        problems.extend(_hashes(s))
        problems.extend(_cycles(s))
    return problems


def _spans(s: Session) -> list[str]:
    out: list[str] = []
    length = Document.length
    for model, name in ((Coding, "coding"), (Segment, "segment")):
        bad = s.execute(
            select(model.id, Document.name, model.start, model.end, length)
            .join(Document, model.document_id == Document.id)
            .where((model.start < 0) | (model.end > length) | (model.start > model.end))
            .limit(20)
        ).all()
        out.extend(
            f"{name} {i} on {doc}: span {a}-{b} is outside the text (0-{n})"
            for i, doc, a, b, n in bad
        )
    return out


def _orphans(s: Session) -> list[str]:
    """Rows pointing at rows that are gone (foreign keys should prevent it; this verifies)."""
    tables = Base.metadata.tables
    links = [
        ("codings", "document_id", "documents"),
        ("codings", "code_id", "codes"),
        ("codings", "coder_id", "coders"),
        ("segments", "document_id", "documents"),
        ("memos", "document_id", "documents"),
        ("memos", "code_id", "codes"),
        ("memos", "coding_id", "codings"),
    ]
    out: list[str] = []
    for own, column, target in links:
        t_own, t_target = tables[own], tables[target].alias()
        fk = t_own.c[column]
        rows = s.execute(
            select(t_own.c.id, fk)
            .outerjoin(t_target, fk == t_target.c.id)
            .where(fk.is_not(None), t_target.c.id.is_(None))
            .limit(20)
        ).all()
        out.extend(f"{own} row {i} points to a missing {target} row {ref}" for i, ref in rows)
    return out


def _hashes(s: Session) -> list[str]:
    out = []
    rows = s.execute(
        select(Document.name, DocumentText.text, Document.sha256, Document.length).outerjoin(
            DocumentText, DocumentText.document_id == Document.id
        )
    )
    for name, body, sha, length in rows:
        if body is None:
            out.append(f"document {name}: its text is missing")
            continue
        if hashlib.sha256(body.encode("utf-8")).hexdigest() != sha:
            out.append(f"document {name}: text does not match its SHA-256 (changed after import?)")
        if len(body) != length:
            out.append(f"document {name}: recorded length {length}, text length {len(body)}")
    return out


def _cycles(s: Session) -> list[str]:
    parent = dict(s.execute(select(Code.id, Code.parent_id)).all())
    out = []
    for start in parent:
        seen = set()
        cur: int | None = start
        while cur is not None:
            if cur in seen:
                out.append(f"code {start} is in a cycle of parents")
                break
            seen.add(cur)
            cur = parent.get(cur)
    return out


def sqlite_quick_check(project: Project) -> bool:
    with project.session() as s:
        return bool(s.execute(text("PRAGMA quick_check")).scalar() == "ok")
