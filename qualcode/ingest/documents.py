"""Finding an imported document by the name people use for it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.errors import NotFound
from qualcode.store.models import Document


def find_document(s: Session, ref: str | int) -> Document:
    """A document by name, by name without extension, or by numeric id."""
    if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
        doc = s.get(Document, int(ref))
        if doc is not None:
            return doc
    ref = str(ref)
    doc = s.scalar(select(Document).where(Document.name == ref))
    if doc is not None:
        return doc
    stem_matches = [d for d in s.scalars(select(Document)).all() if d.name.rsplit(".", 1)[0] == ref]
    if len(stem_matches) == 1:
        return stem_matches[0]
    raise NotFound(f"no document {ref!r}; 'qualcode documents' lists them")
