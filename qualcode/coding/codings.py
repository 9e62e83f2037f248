"""Adding, changing, removing and listing codings. Each call is one committed unit of work
when used through ``Project.write()``; every change is written to the audit log."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.coding.coders import get_or_create_coder
from qualcode.coding.codes import code_paths, find_code, get_code
from qualcode.errors import NotFound, QualcodeError
from qualcode.store.audit import audit
from qualcode.store.models import Coder, Coding, Document, Participant


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


def check_span(doc: Document, start: int, end: int) -> None:
    if start < 0 or end > len(doc.text) or start >= end:
        raise QualcodeError(
            f"span {start}-{end} is not inside {doc.name} (0-{len(doc.text)}, start < end)"
        )


def add_coding(
    s: Session,
    *,
    document: str | int | Document,
    code: str | int,
    coder: str,
    start: int,
    end: int,
    memo: str | None = None,
) -> Coding:
    """Code ``[start, end)`` of a document. Coding the same span again returns the existing one."""
    return ensure_coding(
        s, document=document, code=code, coder=coder, start=start, end=end, memo=memo
    )[0]


def ensure_coding(
    s: Session,
    *,
    document: str | int | Document,
    code: str | int,
    coder: str,
    start: int,
    end: int,
    memo: str | None = None,
) -> tuple[Coding, bool]:
    """Like :func:`add_coding`, also saying whether the coding is new."""
    doc = document if isinstance(document, Document) else find_document(s, document)
    check_span(doc, start, end)
    code_obj = get_code(s, code)
    coder_obj = get_or_create_coder(s, coder)
    existing = s.scalar(
        select(Coding).where(
            Coding.document_id == doc.id,
            Coding.code_id == code_obj.id,
            Coding.coder_id == coder_obj.id,
            Coding.start == start,
            Coding.end == end,
        )
    )
    if existing is not None:
        return existing, False
    coding = Coding(
        document_id=doc.id,
        code_id=code_obj.id,
        coder_id=coder_obj.id,
        start=start,
        end=end,
        memo=memo or None,
    )
    s.add(coding)
    s.flush()
    audit(
        s,
        coder_obj.name,
        "add",
        "coding",
        coding.id,
        document=doc.name,
        code_id=code_obj.id,
        start=start,
        end=end,
    )
    return coding, True


def remove_coding(s: Session, coding_id: int, *, actor: str) -> None:
    coding = s.get(Coding, coding_id)
    if coding is None:
        raise NotFound(f"no coding with id {coding_id}")
    audit(
        s,
        actor,
        "remove",
        "coding",
        coding_id,
        document_id=coding.document_id,
        code_id=coding.code_id,
        coder_id=coding.coder_id,
        start=coding.start,
        end=coding.end,
        memo=coding.memo,
    )
    s.delete(coding)
    s.flush()


def update_coding_span(s: Session, coding_id: int, start: int, end: int, *, actor: str) -> Coding:
    coding = s.get(Coding, coding_id)
    if coding is None:
        raise NotFound(f"no coding with id {coding_id}")
    check_span(coding.document, start, end)
    old = (coding.start, coding.end)
    coding.start, coding.end = start, end
    s.flush()
    audit(s, actor, "resize", "coding", coding_id, old=list(old), new=[start, end])
    return coding


@dataclass(frozen=True)
class CodingRow:
    id: int
    document: str
    participant: str | None
    code: str
    coder: str
    start: int
    end: int
    text: str
    memo: str | None

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "document": self.document,
            "participant": self.participant,
            "code": self.code,
            "coder": self.coder,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "memo": self.memo,
        }


def list_codings(
    s: Session,
    *,
    document: str | None = None,
    code: str | None = None,
    coder: str | None = None,
) -> list[CodingRow]:
    """Codings with their code path and coded text, in document and offset order."""
    stmt = (
        select(Coding, Document.name, Document.text, Coder.name, Participant.label)
        .join(Document, Coding.document_id == Document.id)
        .join(Coder, Coding.coder_id == Coder.id)
        .outerjoin(Participant, Document.participant_id == Participant.id)
        .order_by(Document.name, Coding.start, Coding.end, Coding.id)
    )
    if document is not None:
        stmt = stmt.where(Coding.document_id == find_document(s, document).id)
    if code is not None:
        stmt = stmt.where(Coding.code_id == find_code(s, code).id)
    if coder is not None:
        stmt = stmt.where(Coder.name == coder)
    paths = code_paths(s)
    return [
        CodingRow(
            id=c.id,
            document=doc_name,
            participant=label,
            code=paths[c.code_id],
            coder=coder_name,
            start=c.start,
            end=c.end,
            text=text[c.start : c.end],
            memo=c.memo,
        )
        for c, doc_name, text, coder_name, label in s.execute(stmt).all()
    ]
