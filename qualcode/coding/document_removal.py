"""Deleting a document from a project: its segments, memos and group memberships go with it,
and its codings only when asked (``with_codings``), each removed through
:func:`qualcode.coding.codings.delete_codings` so that every one is audited as any removal is.
The deletion itself is audited with what the document was (name, source, sha256, size), so a
wrongly imported transcript can be imported again afterwards."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from qualcode.coding.codings import delete_codings
from qualcode.errors import QualcodeError
from qualcode.ingest.documents import find_document
from qualcode.store.audit import audit
from qualcode.store.models import Coding, Memo


@dataclass(frozen=True)
class DeletedDocument:
    id: int
    name: str
    codings: int
    memos: int

    def as_json(self) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "codings": self.codings, "memos": self.memos}


def coding_count(s: Session, document_id: int) -> int:
    """How many codings (by any coder) a document has."""
    n = s.scalar(select(func.count()).select_from(Coding).where(Coding.document_id == document_id))
    return n or 0


def delete_document(
    s: Session, ref: str | int, *, actor: str, with_codings: bool = False
) -> DeletedDocument:
    """Delete a document. One with codings is refused unless ``with_codings``."""
    doc = find_document(s, ref)
    ids = list(s.scalars(select(Coding.id).where(Coding.document_id == doc.id)))
    if ids and not with_codings:
        raise QualcodeError(
            f"{doc.name} has {len(ids)} coding(s); delete it with its codings "
            "(--with-codings) or keep it"
        )
    delete_codings(s, ids, actor, via="document delete")
    memos = list(
        s.execute(
            select(Memo.id, Memo.body, Memo.start, Memo.end).where(Memo.document_id == doc.id)
        )
    )
    s.execute(delete(Memo).where(Memo.document_id == doc.id))
    gone = DeletedDocument(doc.id, doc.name, len(ids), len(memos))
    audit(
        s,
        actor,
        "delete",
        "document",
        doc.id,
        name=doc.name,
        source=doc.source_name,
        format=doc.source_format,
        sha256=doc.sha256,
        characters=doc.length,
        codings=len(ids),
        memos=[{"id": i, "body": b, "start": a, "end": e} for i, b, a, e in memos],
    )
    s.delete(doc)
    s.flush()
    return gone
