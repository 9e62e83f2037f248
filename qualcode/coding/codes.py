"""Codes named by path: parent and child joined by ``/`` (``Triage/Plea bargaining``).

A name is stored exactly as given, whatever characters it holds. In a path, a ``/`` that belongs
to a name is written ``\\/`` and a backslash ``\\\\`` (``Attitudes/trust\\/distrust`` is the code
``trust/distrust`` under ``Attitudes``); :func:`join_path` and :func:`split_path` are the one
place paths are built and read.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from qualcode.errors import NotFound
from qualcode.store.audit import audit_many
from qualcode.store.models import Code

SEP = "/"
ESCAPE = "\\"


def escape_name(name: str) -> str:
    """A code's name as it appears in a path (``/`` and ``\\`` escaped)."""
    return name.replace(ESCAPE, ESCAPE * 2).replace(SEP, ESCAPE + SEP)


def join_path(names: Iterable[str]) -> str:
    """The path of a code from its own and its ancestors' names, top first."""
    return SEP.join(escape_name(n) for n in names)


def split_path(path: str) -> list[str]:
    """The names a path is made of (the inverse of :func:`join_path`)."""
    names: list[str] = []
    current: list[str] = []
    chars = iter(path)
    for ch in chars:
        if ch == ESCAPE:
            current.append(next(chars, ESCAPE))
        elif ch == SEP:
            names.append("".join(current))
            current = []
        else:
            current.append(ch)
    names.append("".join(current))
    return names


def new_guid() -> str:
    """A GUID for a code created here (codes keep theirs through REFI-QDA and merges)."""
    return str(uuid.uuid4())


#: The most codes a codebook (a .qdc, a .qdpx, a YAML file) may bring in one import.
MAX_IMPORTED_CODES = 50_000

NewCode = tuple[str, str | None, dict[str, Any]]  # path, parent's path, column values


def insert_codes(
    s: Session, new: Iterable[NewCode], ids: dict[str, int], *, actor: str, **detail: Any
) -> None:
    """Add codes given parents before children, with their audit entries (``path`` and
    ``detail``), in a few statements whatever their number (a flush per code made a
    100,000-code import run for minutes): one INSERT of them all, in the order given (so ids
    follow it, as one by one), under the parents that exist already; then one UPDATE sets
    the parents that are new too. Every code's values include its unique ``guid``. ``ids``
    maps the paths of existing codes to their ids; it gets the new codes' ids."""
    items = list(new)
    if not items:
        return
    rows = [
        {**values, "parent_id": ids.get(parent) if parent is not None else None}
        for _path, parent, values in items
    ]
    s.execute(insert(Code), rows)
    id_of: dict[str, int] = {g: i for g, i in s.execute(select(Code.guid, Code.id))}
    entries: list[tuple[int | None, dict[str, Any]]] = []
    for path, _parent, values in items:
        ids[path] = id_of[values["guid"]]
        entries.append((ids[path], {"path": path, **detail}))
    later = [
        {"id": ids[path], "parent_id": ids[parent]}
        for (path, parent, _v), row in zip(items, rows, strict=True)
        if parent is not None and row["parent_id"] is None
    ]
    if later:
        s.execute(update(Code), later)
    audit_many(s, actor, "add", "code", entries)


def code_paths(s: Session, only: Iterable[int] | None = None) -> dict[int, str]:
    """Every code's id mapped to its full path; with ``only``, just those codes' paths (their
    ancestors are read, one query per level, and nothing else)."""
    columns = select(Code.id, Code.parent_id, Code.name)
    wanted = None if only is None else list(dict.fromkeys(only))
    if wanted is None:
        rows = list(s.execute(columns).all())
    else:
        rows = []
        level_ids, read = set(wanted), set()
        while level_ids:
            level = s.execute(columns.where(Code.id.in_(list(level_ids)))).all()
            rows.extend(level)
            read |= level_ids
            level_ids = {r.parent_id for r in level if r.parent_id is not None} - read
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
        paths[cid] = join_path(reversed(parts))
        return paths[cid]

    for cid in name if wanted is None else [c for c in wanted if c in name]:
        path(cid)
    return paths


def code_path(s: Session, code: Code) -> str:
    parts = [code.name]
    cur = code.parent
    while cur is not None:
        parts.append(cur.name)
        cur = cur.parent
    return join_path(reversed(parts))


def find_code(s: Session, ref: str) -> Code:
    """A code by its path (``A/B``), or by its name or key when that is unambiguous."""
    ref = ref.strip()
    by_path = {p: cid for cid, p in code_paths(s).items()}
    if ref in by_path:
        return s.get_one(Code, by_path[ref])
    names = split_path(ref)
    name = names[0] if len(names) == 1 else ref  # 'trust\\/distrust' names 'trust/distrust'
    named = s.scalars(select(Code).where(Code.name == name)).all()
    if not named and name != ref:
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
