"""Units of text that codes can share: sentences, turns, paragraphs or whole documents.

Units come from the document's stored segments (made at import). A document without stored
segments of that kind (e.g. added by a script) is cut on the fly with the importer's rules.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from sqlalchemy import Subquery, and_, exists, func, select
from sqlalchemy.orm import Session, aliased

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
    lengths = dict(
        s.execute(select(Document.id, Document.length).where(Document.id.in_(doc_ids))).all()
    )
    if kind == "document":
        return {d: [(0, n)] for d, n in lengths.items()}
    stored: dict[int, list[Span]] = {d: [] for d in lengths}
    segments = s.execute(
        select(Segment.document_id, Segment.start, Segment.end).where(
            Segment.kind == kind, Segment.document_id.in_(doc_ids)
        )
    )
    for doc_id, start, end in segments:
        stored[doc_id].append((start, end))
    missing = [d for d, spans in stored.items() if not spans]
    stored.update(_cut_units(s, kind, missing, lengths))
    for doc_id in stored:
        stored[doc_id].sort()
    return stored


def _cut_units(
    s: Session, kind: str, doc_ids: list[int], lengths: dict[int, int]
) -> dict[int, list[Span]]:
    """Units of documents without stored segments of ``kind``, cut on the fly from their texts
    (read one at a time)."""
    out: dict[int, list[Span]] = {}
    if not doc_ids:
        return out
    texts = s.execute(select(Document.id, Document.text).where(Document.id.in_(doc_ids)))
    items = ((RawTranscript(text=text, format="txt"), doc_id) for doc_id, text in texts)
    for cut, doc_id in with_sentences(items):
        out[doc_id] = [(r.start, r.end) for r in cut if r.kind == kind]
        if kind == "turn" and not out[doc_id]:
            out[doc_id] = [(0, lengths[doc_id])]
    return out


def units_around(
    s: Session, kind: str, spans: Subquery
) -> dict[int, list[tuple[int, int, str | None]]]:
    """The stored units of ``kind`` that may touch each span, read without the others.

    ``spans`` has the columns ``id``, ``document_id``, ``start`` and ``end``. For each id: the
    units from the last one starting at or before ``start`` to the last one starting before
    ``end``, as (start, end, speaker) in (start, end) order: units of one kind do not overlap,
    so these are the units :func:`units_touched` finds, with at most one before them that
    ends before ``start``. Documents without stored units of ``kind`` (see
    :func:`documents_with_units`) have none here: see :func:`document_units`.
    """
    seg, prior = aliased(Segment), aliased(Segment)
    first = (
        select(func.max(prior.start))
        .where(
            prior.document_id == spans.c.document_id,
            prior.kind == kind,
            prior.start <= spans.c.start,
        )
        .scalar_subquery()
    )
    rows = s.execute(
        select(spans.c.id, seg.start, seg.end, seg.speaker)
        .join(
            seg,
            and_(
                seg.document_id == spans.c.document_id,
                seg.kind == kind,
                seg.start >= func.coalesce(first, spans.c.start),
                seg.start < spans.c.end,
            ),
        )
        .order_by(spans.c.id, seg.start, seg.end)
    )
    out: dict[int, list[tuple[int, int, str | None]]] = {}
    for span_id, start, end, speaker in rows:
        out.setdefault(span_id, []).append((start, end, speaker))
    return out


def speaker_at(turns: list[tuple[int, int, str | None]], at: int) -> str | None:
    """The speaker of the turn holding offset ``at``, from the turns :func:`units_around` read
    around a span starting at ``at`` (turns do not overlap: the last one starting at or
    before ``at``, ending last)."""
    holding = [t for t in turns if t[0] <= at]
    if holding and holding[-1][0] <= at < holding[-1][1]:
        return holding[-1][2]
    return None


def documents_with_units(s: Session, kind: str, spans: Subquery) -> set[int]:
    """The documents of ``spans`` (a subquery with a ``document_id`` column) that have stored
    units of ``kind``."""
    stored = exists().where(Segment.document_id == spans.c.document_id, Segment.kind == kind)
    return set(s.scalars(select(spans.c.document_id).where(stored).distinct()))


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
