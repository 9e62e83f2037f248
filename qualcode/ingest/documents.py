"""Finding an imported document by the name people use for it; renaming it; cutting its turns
again. (Deleting one, which may take its codings with it, is
:func:`qualcode.coding.document_removal.delete_document`.)"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcode.errors import NotFound, QualcodeError
from qualcode.ingest.resegment import recut_document
from qualcode.nlp.turn_finder import TurnRules
from qualcode.store.audit import audit
from qualcode.store.models import Document, Segment

MAX_NAME = 255


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
    names = s.execute(select(Document.id, Document.name)).all()  # names only, not every text
    stem_matches = [i for i, name in names if name.rsplit(".", 1)[0] == ref]
    if len(stem_matches) == 1:
        return s.get_one(Document, stem_matches[0])
    raise NotFound(f"no document {ref!r}; 'qualcode documents' lists them")


def rename_document(s: Session, ref: str | int, new_name: str, *, actor: str) -> Document:
    """Give a document another name (unique in the project); audited."""
    doc = find_document(s, ref)
    name = new_name.strip()
    if not name:
        raise QualcodeError("a document needs a name")
    if len(name) > MAX_NAME or any(ch in name for ch in "\n\r\t"):
        raise QualcodeError(f"a document name is one line of at most {MAX_NAME} characters")
    if name == doc.name:
        return doc
    if s.scalar(select(Document.id).where(Document.name == name)) is not None:
        raise QualcodeError(f"there is a document named {name!r} already")
    old = doc.name
    doc.name = name
    s.flush()
    audit(s, actor, "rename", "document", doc.id, old=old, new=name)
    return doc


@dataclass(frozen=True)
class Resegmented:
    """A document cut again: its name and how many turns it had before and has now."""

    document: str
    turns_before: int
    turns: int

    def as_json(self) -> dict[str, object]:
        return {"document": self.document, "turns_before": self.turns_before, "turns": self.turns}


def resegment_document(s: Session, ref: str | int, rules: TurnRules, *, actor: str) -> Resegmented:
    """Cut a document's turns, paragraphs and sentences again with ``rules`` (say, extra
    ``--turn-label`` patterns). Its text and codings are not touched; audited."""
    doc = find_document(s, ref)
    for label in rules.extra:
        try:
            re.compile(label)
        except re.error as exc:
            raise QualcodeError(
                f"--turn-label {label!r} is not a regular expression: {exc}"
            ) from None
    before = s.scalar(
        select(func.count())
        .select_from(Segment)
        .where(Segment.document_id == doc.id, Segment.kind == "turn")
    )
    turns = recut_document(s, doc.id, rules)
    audit(
        s,
        actor,
        "resegment",
        "document",
        doc.id,
        name=doc.name,
        turn_labels=list(rules.extra),
        allow_names=rules.allow_names,
        turns_before=before or 0,
        turns=turns,
    )
    return Resegmented(doc.name, before or 0, turns)
