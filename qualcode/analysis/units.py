"""Units of text that codes can share: sentences, turns, paragraphs or whole documents.

Units come from the document's stored segments (made at import). A document without stored
segments of that kind (e.g. added by a script) is cut on the fly with the importer's rules.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.analysis.spans import Span
from qualcode.errors import QualcodeError
from qualcode.ingest.documents import find_document
from qualcode.ingest.readers import RawTranscript
from qualcode.ingest.segment import SegmentRow, with_sentences
from qualcode.store.models import Document, Segment

UNIT_KINDS = ("overlap", "sentence", "turn", "paragraph", "document")
SEGMENT_UNITS = ("sentence", "turn", "paragraph")


@dataclass(frozen=True)
class Unit:
    """One unit of a document: its span, its text and the speaker of the turn it is in."""

    start: int
    end: int
    text: str
    speaker: str | None

    def as_json(self) -> dict[str, object]:
        return {"start": self.start, "end": self.end, "text": self.text, "speaker": self.speaker}


def list_units(s: Session, document: str | int, unit: str) -> list[Unit]:
    """A document's sentences, turns or paragraphs in order, as stored (cut on the fly when the
    document has none stored). A document without turns has no turn units."""
    unit = unit.strip().lower()
    if unit not in SEGMENT_UNITS:
        raise QualcodeError(f"unknown unit {unit!r}; use one of {', '.join(SEGMENT_UNITS)}")
    doc = find_document(s, document)
    stored = s.execute(
        select(Segment.start, Segment.end, Segment.speaker)
        .where(Segment.document_id == doc.id, Segment.kind == unit)
        .order_by(Segment.start, Segment.end)
    ).all()
    spans = [(a, b, spk) for a, b, spk in stored]
    if not spans and s.scalar(select(Segment.id).where(Segment.document_id == doc.id)) is None:
        spans = [(r.start, r.end, r.speaker) for r in _cut_all(doc.text) if r.kind == unit]
    return [Unit(a, b, doc.text[a:b], spk) for a, b, spk in spans]


def _cut_all(text: str) -> list[SegmentRow]:
    """Every segment of a text, cut as the importer cuts it."""
    raw = RawTranscript(text=text, format="txt")
    return next(iter(with_sentences([(raw, 0)])))[0]


def check_unit(unit: str) -> str:
    unit = unit.strip().lower()
    if unit not in UNIT_KINDS:
        raise QualcodeError(f"unknown unit {unit!r}; use one of {', '.join(UNIT_KINDS)}")
    return unit


def document_units(s: Session, kind: str, doc_ids: set[int]) -> dict[int, list[Span]]:
    """Document id -> its units of ``kind`` as sorted (start, end) spans."""
    doc_ids = {int(d) for d in doc_ids}
    if not doc_ids:
        return {}
    rows = s.execute(select(Document.id, Document.text).where(Document.id.in_(doc_ids)))
    texts = {doc_id: text for doc_id, text in rows}
    if kind == "document":
        return {d: [(0, len(t))] for d, t in texts.items()}
    stored: dict[int, list[Span]] = {d: [] for d in texts}
    segments = s.execute(
        select(Segment.document_id, Segment.start, Segment.end).where(
            Segment.kind == kind, Segment.document_id.in_(doc_ids)
        )
    )
    for doc_id, start, end in segments:
        stored[doc_id].append((start, end))
    missing = [d for d, spans in stored.items() if not spans]
    items = ((RawTranscript(text=texts[d], format="txt"), d) for d in missing)
    # (spaCy loads only when a document has to be cut on the fly)
    for cut, doc_id in with_sentences(items) if missing else ():
        stored[doc_id] = [(r.start, r.end) for r in cut if r.kind == kind]
        if kind == "turn" and not stored[doc_id]:
            stored[doc_id] = [(0, len(texts[doc_id]))]
    for doc_id in stored:
        stored[doc_id].sort()
    return stored


def units_touched(units: list[Span], starts: list[int], span: Span) -> list[int]:
    """Indices of the sorted ``units`` (whose starts are ``starts``) that share at least one
    character with ``span``."""
    i = max(bisect_right(starts, span[0]) - 1, 0)
    hits: list[int] = []
    while i < len(units) and units[i][0] < span[1]:
        if units[i][1] > span[0]:
            hits.append(i)
        i += 1
    return hits
