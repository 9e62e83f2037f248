"""The codebook as the faces list it: every code with its path, colour and key, in order."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcode.coding.codes import code_paths
from qualcode.store.models import Code, Coder, Coding


@dataclass(frozen=True)
class CodeEntry:
    """One code of the codebook, with its full path."""

    id: int
    parent_id: int | None
    name: str
    path: str
    colour: str
    key: str | None
    position: int
    description: str = ""


def codebook_entries(s: Session) -> list[CodeEntry]:
    """Every code, parents before children, siblings in codebook order."""
    codes = s.scalars(select(Code)).all()
    paths = code_paths(s)
    children: dict[int | None, list[Code]] = {}
    for code in codes:
        children.setdefault(code.parent_id, []).append(code)
    out: list[CodeEntry] = []
    seen: set[int] = set()

    def walk(parent: int | None) -> None:
        for code in sorted(children.get(parent, []), key=lambda c: (c.position, c.name, c.id)):
            if code.id in seen:
                continue
            seen.add(code.id)
            out.append(
                CodeEntry(
                    id=code.id,
                    parent_id=code.parent_id,
                    name=code.name,
                    path=paths[code.id],
                    colour=code.colour,
                    key=code.key,
                    position=code.position,
                    description=code.description,
                )
            )
            walk(code.id)

    walk(None)
    return out


def code_counts(
    s: Session, *, coder: str | None = None, document_id: int | None = None
) -> dict[int, int]:
    """Number of codings per code id, optionally for one coder and/or one document."""
    stmt = select(Coding.code_id, func.count()).group_by(Coding.code_id)
    if coder is not None:
        stmt = stmt.join(Coder, Coding.coder_id == Coder.id).where(Coder.name == coder)
    if document_id is not None:
        stmt = stmt.where(Coding.document_id == document_id)
    return {code_id: n for code_id, n in s.execute(stmt)}
