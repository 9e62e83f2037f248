"""A document as the coding screen reads it (text, turns, sentences, all coders' codings), and
the list of documents with how much of each is coded."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.analysis.coverage import merged_length
from qualcode.coding.codings import coding_memos
from qualcode.errors import NotFound
from qualcode.store.models import Coder, Coding, Document, Participant, Segment


@dataclass(frozen=True)
class CodingInfo:
    """One coding as the workbench shows it."""

    id: int
    document_id: int
    code_id: int
    coder_id: int
    coder: str
    start: int
    end: int
    memo: str | None = None

    @property
    def key(self) -> CodingKey:
        """What the coding is, short of its memo (as :func:`document_coding_keys` reads it)."""
        return (self.code_id, self.coder_id, self.start, self.end)


@dataclass(frozen=True)
class SegmentInfo:
    kind: str
    start: int
    end: int
    speaker: str | None


@dataclass(frozen=True)
class DocumentData:
    """What the coding screen needs of a document (its codings come separately)."""

    id: int
    name: str
    text: str
    participant: str | None
    turns: list[SegmentInfo] = field(default_factory=list)
    sentences: list[SegmentInfo] = field(default_factory=list)


@dataclass(frozen=True)
class DocumentRow:
    id: int
    name: str
    participant: str | None
    characters: int
    codings: int
    mine: int
    coded_share: float


def load_document(s: Session, document_id: int) -> DocumentData:
    """A document's text, participant, speaker turns and sentences."""
    doc = s.get(Document, document_id)
    if doc is None:
        raise NotFound(f"no document with id {document_id}")
    rows = s.execute(
        select(Segment.kind, Segment.start, Segment.end, Segment.speaker)
        .where(Segment.document_id == document_id, Segment.kind.in_(("turn", "sentence")))
        .order_by(Segment.start, Segment.end)
    )
    turns: list[SegmentInfo] = []
    sentences: list[SegmentInfo] = []
    for kind, start, end, speaker in rows:
        (turns if kind == "turn" else sentences).append(SegmentInfo(kind, start, end, speaker))
    return DocumentData(
        id=doc.id,
        name=doc.name,
        text=doc.text,
        participant=doc.participant.label if doc.participant else None,
        turns=turns,
        sentences=sentences,
    )


def document_codings(
    s: Session, document_id: int, ids: Collection[int] | None = None
) -> list[CodingInfo]:
    """All coders' codings of one document (or only those with these ids), in offset order."""
    stmt = (
        select(
            Coding.id,
            Coding.code_id,
            Coding.coder_id,
            Coder.name,
            Coding.start,
            Coding.end,
        )
        .join(Coder, Coding.coder_id == Coder.id)
        .where(Coding.document_id == document_id)
        .order_by(Coding.start, Coding.end, Coding.id)
    )
    if ids is not None:
        if not ids:
            return []
        stmt = stmt.where(Coding.id.in_(list(ids)))
    rows = s.execute(stmt).all()
    memos = coding_memos(s, [r[0] for r in rows])
    return [
        CodingInfo(cid, document_id, code_id, coder_id, coder, start, end, memos.get(cid))
        for cid, code_id, coder_id, coder, start, end in rows
    ]


#: what a coding is, short of its memo: (code, coder, start, end)
CodingKey = tuple[int, int, int, int]


def document_coding_keys(s: Session, document_id: int) -> dict[int, CodingKey]:
    """Id -> (code, coder, start, end) of all coders' codings of one document: a cheap way to
    see what changed (a deleted row's id can come back for a new one, so ids alone are not)."""
    stmt = select(Coding.id, Coding.code_id, Coding.coder_id, Coding.start, Coding.end).where(
        Coding.document_id == document_id
    )
    return {cid: (code, coder, start, end) for cid, code, coder, start, end in s.execute(stmt)}


def document_rows(s: Session, coder: str | None = None) -> list[DocumentRow]:
    """Per document: participant, length, codings (all and ``coder``'s), share of text coded."""
    spans: dict[int, list[tuple[int, int]]] = {}
    mine: Counter[int] = Counter()
    stmt = select(Coding.document_id, Coding.start, Coding.end, Coder.name).join(
        Coder, Coding.coder_id == Coder.id
    )
    for doc_id, start, end, name in s.execute(stmt):
        spans.setdefault(doc_id, []).append((start, end))
        if name == coder:
            mine[doc_id] += 1
    stmt2 = (
        select(Document.id, Document.name, Document.length, Participant.label)
        .outerjoin(Participant, Document.participant_id == Participant.id)
        .order_by(Document.name)
    )
    out = []
    for doc_id, name, length, label in s.execute(stmt2):
        doc_spans = spans.get(doc_id, [])
        out.append(
            DocumentRow(
                id=doc_id,
                name=name,
                participant=label,
                characters=length,
                codings=len(doc_spans),
                mine=mine[doc_id],
                coded_share=merged_length(doc_spans) / length if length else 0.0,
            )
        )
    return out
