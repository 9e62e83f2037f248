"""Memos on the project, a document, a code or a coding."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.coding.coders import get_or_create_coder
from qualcode.coding.codes import find_code
from qualcode.coding.codings import find_document
from qualcode.errors import NotFound, QualcodeError
from qualcode.store.audit import audit
from qualcode.store.models import Coding, Memo

TARGETS = ("project", "document", "code", "coding")


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
