"""Memos on the project, a document (or a passage of it: an annotation), a code or a coding.

The ``memos`` table is the one home of every memo, a coding's included; every face reads and
writes them here. A coding's memos travel with the coding (see :mod:`qualcode.coding.codings`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.coding.coders import get_or_create_coder
from qualcode.coding.codes import code_paths, find_code
from qualcode.coding.codings import CodingDescriber, audit_codings, join_memos, specs_of
from qualcode.errors import NotFound, QualcodeError
from qualcode.ingest.documents import find_document
from qualcode.store.audit import audit
from qualcode.store.models import Code, Coder, Coding, Document, Memo

TARGETS = ("project", "document", "annotation", "code", "coding")
#: the targets a coder's own memo can be edited on in the workbench
MEMO_TARGETS = ("document", "code", "coding")


def add_memo(
    s: Session,
    *,
    body: str,
    coder: str,
    target: str = "project",
    ref: str | int | None = None,
    title: str = "",
    start: int | None = None,
    end: int | None = None,
) -> Memo:
    """Write a memo. ``ref`` names the document, code (path) or coding id for that target; an
    annotation is a memo on ``[start, end)`` of a document."""
    if target not in TARGETS:
        raise QualcodeError(f"a memo goes on one of {', '.join(TARGETS)}, not {target!r}")
    if not body.strip():
        raise QualcodeError("a memo needs some text")
    if target != "project" and ref is None:
        raise QualcodeError(f"say which {target} the memo is on")
    memo = Memo(title=title, body=body, coder_id=get_or_create_coder(s, coder).id)
    if target in ("document", "annotation"):
        doc = find_document(s, ref if ref is not None else "")
        memo.document_id = doc.id
        if target == "annotation":
            if start is None or end is None or not 0 <= start < end <= doc.length:
                raise QualcodeError(
                    f"an annotation needs a passage inside {doc.name} (0-{doc.length})"
                )
            memo.start, memo.end = start, end
    elif target == "code":
        memo.code_id = find_code(s, str(ref)).id
    elif target == "coding":
        coding = s.get(Coding, int(str(ref)))
        if coding is None:
            raise NotFound(f"no coding with id {ref}")
        memo.coding_id = coding.id
    s.add(memo)
    s.flush()
    audit(s, coder, "add", "memo", memo.id, target=target, body=body, ref=ref)
    return memo


@dataclass(frozen=True)
class MemoRow:
    """A memo as listings and exports show it: what it is on, named."""

    id: int
    target: str
    target_id: int | None
    about: str
    coder: str | None
    title: str
    body: str
    created_at: dt.datetime
    updated_at: dt.datetime
    document: str | None = None
    code: str | None = None
    coding_id: int | None = None
    start: int | None = None
    end: int | None = None
    #: the document the memo is on, or its coding's document
    document_id: int | None = None
    #: the code the memo is on, or its coding's code
    code_id: int | None = None

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "on": self.target,
            "target_id": self.target_id,
            "about": self.about,
            "coder": self.coder,
            "title": self.title,
            "body": self.body,
            "document": self.document,
            "code": self.code,
            "coding_id": self.coding_id,
            "start": self.start,
            "end": self.end,
            "created_at": self.created_at.isoformat(timespec="seconds"),
            "updated_at": self.updated_at.isoformat(timespec="seconds"),
        }


def memo_rows(s: Session, target: str | None = None) -> list[MemoRow]:
    """Every memo (or those on one kind of target), oldest first, with its target named."""
    if target is not None and target not in TARGETS:
        raise QualcodeError(f"memo targets are {', '.join(TARGETS)}, not {target!r}")
    paths = code_paths(s)
    docs = dict(s.execute(select(Document.id, Document.name)).all())
    coders = dict(s.execute(select(Coder.id, Coder.name)).all())
    on_coding = {
        cid: (doc, code, start, end)
        for cid, doc, code, start, end in s.execute(
            select(Coding.id, Coding.document_id, Coding.code_id, Coding.start, Coding.end).where(
                Coding.id.in_(select(Memo.coding_id).where(Memo.coding_id.is_not(None)))
            )
        )
    }
    out = []
    for m in s.scalars(select(Memo).order_by(Memo.created_at, Memo.id)):
        kind = m.target
        if target is not None and kind != target:
            continue
        document = code = None
        doc_id, code_id = m.document_id, m.code_id
        start, end = m.start, m.end
        if m.document_id is not None:
            document = docs.get(m.document_id)
            about = document or ""
            if start is not None:
                about = f"{about} {start}-{end}"
        elif m.code_id is not None:
            code = paths.get(m.code_id)
            about = code or ""
        elif m.coding_id is not None:
            doc_id, code_id, start, end = on_coding[m.coding_id]
            document, code = docs.get(doc_id), paths.get(code_id)
            about = f"coding {m.coding_id}: {code} in {document} {start}-{end}"
        else:
            about = "project"
        out.append(
            MemoRow(
                id=m.id,
                target=kind,
                target_id=m.document_id or m.code_id or m.coding_id,
                about=about,
                coder=coders.get(m.coder_id) if m.coder_id is not None else None,
                title=m.title,
                body=m.body,
                created_at=m.created_at,
                updated_at=m.updated_at,
                document=document,
                code=code,
                coding_id=m.coding_id,
                start=start,
                end=end,
                document_id=doc_id,
                code_id=code_id,
            )
        )
    return out


def filter_memos(
    rows: list[MemoRow],
    *,
    text: str = "",
    coder: str | None = None,
    target: str | None = None,
) -> list[MemoRow]:
    """The memos whose title, text or target holds every word of ``text`` (any case), by
    ``coder`` (None: anyone's) and on one kind of ``target`` (None: any)."""
    words = text.casefold().split()
    out = []
    for row in rows:
        if coder is not None and row.coder != coder:
            continue
        if target is not None and row.target != target:
            continue
        haystack = f"{row.title}\n{row.body}\n{row.about}".casefold()
        if all(w in haystack for w in words):
            out.append(row)
    return out


def list_memos(s: Session, target: str | None = None) -> list[Memo]:
    memos = s.scalars(select(Memo).order_by(Memo.created_at, Memo.id)).all()
    return [m for m in memos if target is None or m.target == target]


# -- a coder's own memo on a target, as the workbench edits it ------------------------------------
def _own_memos(s: Session, target: str, target_id: int, coder_id: int) -> list[Memo]:
    if target not in MEMO_TARGETS:
        raise QualcodeError(f"a memo goes on one of {', '.join(MEMO_TARGETS)}, not {target!r}")
    column = {"document": Memo.document_id, "code": Memo.code_id, "coding": Memo.coding_id}
    stmt = select(Memo).where(column[target] == target_id, Memo.coder_id == coder_id)
    if target == "document":
        stmt = stmt.where(Memo.start.is_(None))
    return list(s.scalars(stmt.order_by(Memo.created_at, Memo.id)).all())


def set_coding_memo(s: Session, coding_id: int, body: str, *, coder: str) -> tuple[str, str]:
    """Set the coder's memo on a coding (an empty text removes it); others' memos on it stay.

    Returns (the coder's memo before, after). Audited with the coding and both texts."""
    if s.get(Coding, coding_id) is None:
        raise NotFound(f"no coding with id {coding_id}; it may have been removed")
    coder_id = get_or_create_coder(s, coder).id
    mine = _own_memos(s, "coding", coding_id, coder_id)
    old = join_memos(m.body for m in mine) or ""
    new = body.strip()
    if new == old:
        return old, new
    for extra in mine[1:]:
        s.delete(extra)
    if mine and new:
        mine[0].body = new
    elif mine:
        s.delete(mine[0])
    else:
        s.add(Memo(body=new, coding_id=coding_id, coder_id=coder_id))
    s.flush()
    spec = specs_of(s, [coding_id])[coding_id]
    detail = CodingDescriber(s)(spec) | {"memo_before": old or None}
    audit_codings(s, coder, "memo", [(coding_id, detail)])
    return old, new


def read_memo(s: Session, target: str, target_id: int, coder: str) -> str:
    """The coder's memo on a document, code or coding (several are joined), or ''."""
    coder_id = s.scalar(select(Coder.id).where(Coder.name == coder))
    if coder_id is None:
        return ""
    if target == "coding":
        return join_memos(m.body for m in _own_memos(s, target, target_id, coder_id)) or ""
    mine = _own_memos(s, target, target_id, coder_id)
    return mine[-1].body if mine else ""


def attach_coding_memos(s: Session, memos: Iterable[tuple[int, str, str]]) -> int:
    """Add memos ``(coding id, coder, text)`` to codings, each unless that coder already wrote
    this text on it (so importing one file twice adds it once); the coders' other memos stay.
    One query finds the memos already there. Returns how many were added."""
    wanted = [(cid, coder, text.strip()) for cid, coder, text in memos if text.strip()]
    if not wanted:
        return 0
    coder_ids = {name: get_or_create_coder(s, name).id for name in {w[1] for w in wanted}}
    stmt = select(Memo.coding_id, Memo.coder_id, Memo.body).where(
        Memo.coding_id.in_(sorted({w[0] for w in wanted}))
    )
    have = {(cid, coder_id, body.strip()) for cid, coder_id, body in s.execute(stmt)}
    added: list[tuple[Memo, str]] = []
    for cid, coder, text in wanted:
        key = (cid, coder_ids[coder], text)
        if key not in have:
            have.add(key)
            memo = Memo(body=text, coding_id=cid, coder_id=key[1])
            s.add(memo)
            added.append((memo, coder))
    if added:
        s.flush()
    for memo, coder in added:
        audit(s, coder, "add", "memo", memo.id, target="coding", body=memo.body, ref=memo.coding_id)
    return len(added)


def save_memo(s: Session, target: str, target_id: int, coder: str, body: str) -> None:
    """Write the coder's memo on a document, code or coding; an empty text removes it."""
    if target == "coding":
        set_coding_memo(s, target_id, body, coder=coder)
        return
    coder_id = get_or_create_coder(s, coder).id
    mine = _own_memos(s, target, target_id, coder_id)
    memo = mine[-1] if mine else None
    body = body.strip()
    if memo is not None:
        if body:
            memo.body = body
            audit(s, coder, "edit", "memo", memo.id, target=target, body=body)
        else:
            audit(s, coder, "remove", "memo", memo.id, target=target, body=memo.body)
            s.delete(memo)
        return
    if not body:
        return
    new = Memo(body=body, coder_id=coder_id)
    if target == "document":
        if s.get(Document, target_id) is None:
            raise NotFound(f"no document with id {target_id}")
        new.document_id = target_id
    else:
        if s.get(Code, target_id) is None:
            raise NotFound(f"no code with id {target_id}")
        new.code_id = target_id
    s.add(new)
    s.flush()
    audit(s, coder, "add", "memo", new.id, target=target, body=body)
