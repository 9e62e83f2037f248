"""Finding an imported document by the name people use for it; renaming it; cutting its turns
again. (Deleting one, which may take its codings with it, is
:func:`qualcode.coding.document_removal.delete_document`.)"""

from __future__ import annotations

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
    """The document a person or a file means by ``ref``; the one resolver of document references.

    A string is, in this order: a document's exact name (``2.txt``, or a document named ``2``);
    ``#N``, the document with id N; a name without its extension (``2`` for ``2.txt``), when one
    document has it (two are refused, both named). A bare number is a name, never an id, so
    ``2`` cannot land on document id 2 (``10.txt``). An int from Python code is an id.
    """
    if isinstance(ref, int):
        by_id = s.get(Document, ref)
        if by_id is None:
            raise NotFound(f"no document with id {ref}; 'qualcode documents' lists them")
        return by_id
    text = ref.strip()
    if not text:
        raise QualcodeError("name a document (its name, its name without extension, or #id)")
    doc = s.scalar(select(Document).where(Document.name == text))
    if doc is not None:
        return doc
    if text.startswith("#") and text[1:].isdigit() and text[1:].isascii():
        by_id = s.get(Document, int(text[1:]))
        if by_id is None:
            raise NotFound(f"no document with id {text}; 'qualcode documents' lists them")
        return by_id
    stems = [
        (doc_id, name)
        for doc_id, name in s.execute(select(Document.id, Document.name).order_by(Document.name))
        if name.rsplit(".", 1)[0] == text
    ]
    if len(stems) == 1:
        return s.get_one(Document, stems[0][0])
    if len(stems) > 1:
        shown = " and ".join(repr(name) for _, name in stems[:2])
        more = f" (and {len(stems) - 2} more)" if len(stems) > 2 else ""
        raise QualcodeError(
            f"document {text!r} is ambiguous: it could be {shown}{more}; give the full name"
        )
    hint = ""
    if text.isdigit() and text.isascii() and s.get(Document, int(text)) is not None:
        hint = f"; for the document with id {text}, write '#{text}'"
    raise NotFound(f"no document {text!r}{hint}; 'qualcode documents' lists them")


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
