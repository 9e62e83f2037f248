"""Units of text that codes can share: sentences, turns, paragraphs or whole documents.

Units come from the document's stored segments (made at import). A document without stored
segments of that kind (e.g. added by a script) is cut on the fly with the importer's rules.
"""

from __future__ import annotations

from bisect import bisect_right

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.analysis.spans import Span
from qualcode.errors import QualcodeError
from qualcode.nlp.sentences import sentence_spans
from qualcode.nlp.turn_finder import find_paragraphs, find_turns
from qualcode.store.models import Document, Segment

UNIT_KINDS = ("overlap", "sentence", "turn", "paragraph", "document")


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
    for doc_id in missing:
        stored[doc_id] = _cut(texts[doc_id], kind)
    for doc_id in stored:
        stored[doc_id].sort()
    if kind == "sentence" and missing:
        pairs = [(texts[d], d) for d in missing]
        for spans, doc_id in sentence_spans(pairs):
            stored[doc_id] = sorted(spans)
    return stored


def _cut(text: str, kind: str) -> list[Span]:
    if kind == "turn":
        turns = find_turns(text)
        return [(t.start, t.end) for t in turns] or [(0, len(text))]
    if kind == "paragraph":
        return find_paragraphs(text, find_turns(text))
    return []  # sentences are cut in one batch by the caller


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
