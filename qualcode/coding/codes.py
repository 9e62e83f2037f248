"""Codes named by path: parent and child joined by ``/`` (``Triage/Plea bargaining``)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.errors import NotFound
from qualcode.store.models import Code

SEP = "/"


def new_guid() -> str:
    """A GUID for a code created here (codes keep theirs through REFI-QDA and merges)."""
    return str(uuid.uuid4())


def code_paths(s: Session) -> dict[int, str]:
    """Every code's id mapped to its full path."""
    rows = s.execute(select(Code.id, Code.parent_id, Code.name)).all()
    parent = {r.id: r.parent_id for r in rows}
    name = {r.id: r.name for r in rows}
    paths: dict[int, str] = {}

    def path(cid: int) -> str:
        if cid in paths:
            return paths[cid]
        parts: list[str] = []
        seen: set[int] = set()
        cur: int | None = cid
        while cur is not None and cur not in seen:
            seen.add(cur)
            parts.append(name[cur])
            cur = parent[cur]
        paths[cid] = SEP.join(reversed(parts))
        return paths[cid]

    for cid in name:
        path(cid)
    return paths


def code_path(s: Session, code: Code) -> str:
    parts = [code.name]
    cur = code.parent
    while cur is not None:
        parts.append(cur.name)
        cur = cur.parent
    return SEP.join(reversed(parts))


def find_code(s: Session, ref: str) -> Code:
    """A code by its path (``A/B``), or by its name or key when that is unambiguous."""
    ref = ref.strip()
    by_path = {p: cid for cid, p in code_paths(s).items()}
    if ref in by_path:
        return s.get_one(Code, by_path[ref])
    named = s.scalars(select(Code).where(Code.name == ref)).all()
    if len(named) == 1:
        return named[0]
    if len(named) > 1:
        options = ", ".join(sorted(code_path(s, c) for c in named))
        raise NotFound(f"code name {ref!r} is ambiguous; use its path: {options}")
    keyed = s.scalar(select(Code).where(Code.key == ref))
    if keyed is not None:
        return keyed
    raise NotFound(f"no code {ref!r}; 'qualcode codebook show' lists the codes")


CodeRef = str | int | Code


def get_code(s: Session, ref: CodeRef) -> Code:
    """A code by object, id, path, name or key."""
    if isinstance(ref, Code):
        return ref
    if isinstance(ref, int):
        code = s.get(Code, ref)
        if code is None:
            raise NotFound(f"no code with id {ref}")
        return code
    return find_code(s, ref)
