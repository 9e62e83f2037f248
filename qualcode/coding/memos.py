"""Memos on the project, a document, a code or a coding."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.coding.coders import get_or_create_coder
from qualcode.coding.codes import find_code
from qualcode.coding.codings import find_document
from qualcode.errors import NotFound, QualcodeError
from qualcode.store.audit import audit
from qualcode.store.models import Code, Coder, Coding, Document, Memo

TARGETS = ("project", "document", "code", "coding")
#: what a coder's own memo can be on (the workbench's memo screen)
MEMO_TARGETS = ("document", "code", "coding")


def add_memo(
    s: Session,
    *,
    body: str,
    coder: str,
    target: str = "project",
    ref: str | int | None = None,
    title: str = "",
) -> Memo:
    """Write a memo. ``ref`` names the document, code (path) or coding id for that target."""
    if target not in TARGETS:
        raise QualcodeError(f"a memo goes on one of {', '.join(TARGETS)}, not {target!r}")
    if not body.strip():
        raise QualcodeError("a memo needs some text")
    memo = Memo(title=title, body=body, coder_id=get_or_create_coder(s, coder).id)
    if target != "project" and ref is None:
        raise QualcodeError(f"say which {target} the memo is on")
    if target == "document":
        memo.document_id = find_document(s, str(ref)).id
    elif target == "code":
        memo.code_id = find_code(s, str(ref)).id
    elif target == "coding":
        coding = s.get(Coding, int(str(ref)))
        if coding is None:
            raise NotFound(f"no coding with id {ref}")
        memo.coding_id = coding.id
    s.add(memo)
    s.flush()
    audit(s, coder, "add", "memo", memo.id, target=target)
    return memo


def list_memos(s: Session, target: str | None = None) -> list[Memo]:
    memos = s.scalars(select(Memo).order_by(Memo.created_at, Memo.id)).all()
    return [m for m in memos if target is None or m.target == target]


# -- memos ----------------------------------------------------------------------------------------
def set_coding_memo(s: Session, coding_id: int, memo: str, *, actor: str) -> None:
    """Set (or with an empty text, clear) a coding's own memo."""
    coding = s.get(Coding, coding_id)
    if coding is None:
        raise NotFound(f"no coding with id {coding_id}; it may have been removed")
    coding.memo = memo.strip() or None
    audit(s, actor, "memo", "coding", coding_id, memo=coding.memo)


def _find_memo(s: Session, target: str, target_id: int, coder_id: int) -> Memo | None:
    if target not in MEMO_TARGETS:
        raise QualcodeError(f"a memo goes on one of {', '.join(MEMO_TARGETS)}, not {target!r}")
    column = {"document": Memo.document_id, "code": Memo.code_id, "coding": Memo.coding_id}
    return s.scalars(
        select(Memo)
        .where(column[target] == target_id, Memo.coder_id == coder_id)
        .order_by(Memo.updated_at.desc(), Memo.id.desc())
    ).first()


def read_memo(s: Session, target: str, target_id: int, coder: str) -> str:
    """The coder's memo on a document or code (the coding's own memo for a coding)."""
    if target == "coding":
        coding = s.get(Coding, target_id)
        return (coding.memo or "") if coding is not None else ""
    coder_id = s.scalar(select(Coder.id).where(Coder.name == coder))
    if coder_id is None:
        return ""
    memo = _find_memo(s, target, target_id, coder_id)
    return memo.body if memo is not None else ""


def save_memo(s: Session, target: str, target_id: int, coder: str, body: str) -> None:
    """Write the coder's memo on a document, code or coding; an empty text removes it."""
    if target == "coding":
        set_coding_memo(s, target_id, body, actor=coder)
        return
    coder_id = get_or_create_coder(s, coder).id
    memo = _find_memo(s, target, target_id, coder_id)
    body = body.strip()
    if memo is not None:
        if body:
            memo.body = body
            audit(s, coder, "edit", "memo", memo.id, target=target)
        else:
            audit(s, coder, "remove", "memo", memo.id, target=target)
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
    audit(s, coder, "add", "memo", new.id, target=target)
