"""Reviewing two coders' disagreements on a code: what is settled into consensus, what is open.

A review lists the passages of one code where coders A and B disagree, numbered 1, 2, ... by
document and position. Passages are clusters of overlapping spans (as in disagreements.py),
compared by ``unit``: ``character`` asks for identical spans (what ``qualcode disagreements``
lists), ``overlap`` for spans that overlap by ``threshold``, and ``sentence``/``turn``/
``paragraph`` for spans that cover the same segments (the agreement report's units). Like the
report, only documents that both coders coded are compared.

A disagreement is settled (see consensus.py) when a memo records the decision on exactly that
passage: the memo's ``decision`` holds it as data (its body says it in words). If a coder later
changes their codings there, the passage is a new one and is open again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.agreement.project_report import CONSENSUS as CONSENSUS  # re-exported
from qualcode.agreement.project_report import load_coding_data
from qualcode.agreement.spans import (
    OverlapMeasure,
    SpanArray,
    as_spans,
    merge,
    overlap_ratio,
)
from qualcode.agreement.units import SEGMENT_KINDS
from qualcode.analysis.spans import Span
from qualcode.coding.codes import code_paths
from qualcode.errors import QualcodeError
from qualcode.store import Coder, Coding, Document, Memo, Project

MATCHING_UNITS = ("sentence", "turn", "paragraph", "character", "overlap")
CONTEXT_CHARS = 240
Passages = list[tuple[str, int, int, tuple[Span, ...], tuple[Span, ...]]]


@dataclass(frozen=True)
class Decision:
    choice: str  # a, b, both or drop, relative to the review's coders
    kept: tuple[Span, ...]
    decided_by: str
    decided_at: str
    memo_id: int


@dataclass(frozen=True)
class Passage:
    document_id: int
    document: str
    kind: str  # a_not_b, b_not_a, different_spans or agreement
    start: int
    end: int
    spans_a: tuple[Span, ...]
    spans_b: tuple[Span, ...]

    def kept(self, choice: str) -> tuple[Span, ...]:
        """The spans that consensus codes when the passage is settled with ``choice``."""
        if choice == "a":
            return self.spans_a
        if choice == "b":
            return self.spans_b
        if choice == "both":
            return tuple((int(s), int(e)) for s, e in merge([*self.spans_a, *self.spans_b]))
        return ()


@dataclass(frozen=True)
class Item:
    """One disagreement of a review, with the text around it and its decision (if settled)."""

    number: int
    passage: Passage
    text: str
    context_start: int
    context: str
    decision: Decision | None = None

    def as_json(self, coder_a: str, coder_b: str) -> dict[str, Any]:
        p, d = self.passage, self.decision
        return {
            "item": self.number,
            "document": p.document,
            "document_id": p.document_id,
            "kind": p.kind,
            "coder_a": coder_a,
            "coder_b": coder_b,
            "start": p.start,
            "end": p.end,
            "spans_a": [list(s) for s in p.spans_a],
            "spans_b": [list(s) for s in p.spans_b],
            "text": self.text,
            "status": "open" if d is None else "settled",
            "decision": None
            if d is None
            else {
                "choice": d.choice,
                "kept": [list(s) for s in d.kept],
                "decided_by": d.decided_by,
                "decided_at": d.decided_at,
                "memo_id": d.memo_id,
            },
        }


@dataclass(frozen=True)
class Review:
    code: str
    code_id: int
    coder_a: str
    coder_b: str
    unit: str
    threshold: float
    items: tuple[Item, ...]
    agreements: tuple[Passage, ...] = ()
    agreements_in_consensus: int = 0

    @property
    def settled(self) -> int:
        return sum(1 for i in self.items if i.decision is not None)

    @property
    def open(self) -> int:
        return len(self.items) - self.settled

    def item(self, number: int) -> Item:
        if not 1 <= number <= len(self.items):
            raise QualcodeError(
                f"no item {number}: {self.code} has {len(self.items)} disagreement(s) "
                f"between {self.coder_a} and {self.coder_b}"
            )
        return self.items[number - 1]

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "coders": [self.coder_a, self.coder_b],
            "unit": self.unit,
            "threshold": self.threshold if self.unit == "overlap" else None,
            "disagreements": len(self.items),
            "settled": self.settled,
            "open": self.open,
            "agreements": len(self.agreements),
            "agreements_in_consensus": self.agreements_in_consensus,
            "items": [i.as_json(self.coder_a, self.coder_b) for i in self.items],
        }


# -- passages -----------------------------------------------------------------------------------
def _unit_ids(span: Span, units: SpanArray) -> list[int]:
    hits = np.flatnonzero((units[:, 0] < span[1]) & (units[:, 1] > span[0]))
    return [int(i) for i in hits]


def _snap(span: Span, units: SpanArray | None) -> Span:
    ids = _unit_ids(span, units) if units is not None and len(units) else []
    if not ids:
        return span
    assert units is not None
    return min(span[0], int(units[ids, 0].min())), max(span[1], int(units[ids, 1].max()))


def _matched(
    spans: Sequence[Span], others: Sequence[Span], threshold: float, measure: OverlapMeasure
) -> bool:
    arr = as_spans(others)
    return all(bool((overlap_ratio(s, arr, measure) >= threshold - 1e-12).any()) for s in spans)


def find_passages(
    spans_a: Sequence[Span],
    spans_b: Sequence[Span],
    *,
    units: SpanArray | None = None,
    threshold: float = 1.0,
    measure: OverlapMeasure = "union",
) -> Passages:
    """Every cluster of overlapping spans as (kind, start, end, A's spans, B's spans).

    With ``units`` (sorted segments), spans are widened to the segments they touch before
    clustering, and A and B agree when they cover the same segments; without, they agree when
    every span of each has a span of the other overlapping it by ``threshold``.
    """
    tagged = sorted(
        (*_snap((s, e), units), s, e, who)
        for who, spans in enumerate((spans_a, spans_b))
        for s, e in set(spans)
        if e > s
    )
    clusters: list[list[tuple[int, int, int, int, int]]] = []
    reach = -1
    for row in tagged:
        if clusters and row[0] < reach:
            clusters[-1].append(row)
            reach = max(reach, row[1])
        else:
            clusters.append([row])
            reach = row[1]
    out: Passages = []
    for cluster in clusters:
        a = tuple(sorted((s, e) for _, _, s, e, who in cluster if who == 0))
        b = tuple(sorted((s, e) for _, _, s, e, who in cluster if who == 1))
        low, high = min(r[2] for r in cluster), max(r[3] for r in cluster)
        if not b or not a:
            kind = "a_not_b" if not b else "b_not_a"
        elif units is not None:
            same = {u for s in a for u in _unit_ids(s, units)} == {
                u for s in b for u in _unit_ids(s, units)
            }
            kind = "agreement" if same else "different_spans"
        elif _matched(a, b, threshold, measure) and _matched(b, a, threshold, measure):
            kind = "agreement"
        else:
            kind = "different_spans"
        out.append((kind, low, high, a, b))
    return out


def context_bounds(text: str, start: int, end: int, chars: int = CONTEXT_CHARS) -> Span:
    """Up to ``chars`` characters either side of ``[start, end)``, cut at a line break if there
    is one (whole speaker turns), else at a space (whole words)."""
    low, high = max(0, start - chars), min(len(text), end + chars)
    if low > 0:
        cut = text.find("\n", low, start)
        cut = cut if cut >= 0 else text.find(" ", low, start)
        low = cut + 1 if cut >= 0 else low
        while low < start and text[low] in "\r\n":
            low += 1
    if high < len(text):
        cut = text.rfind("\n", end, high)
        cut = cut if cut >= 0 else text.rfind(" ", end, high)
        high = cut if cut >= 0 else high
    return low, high


# -- reading a review ---------------------------------------------------------------------------
def check_matching(unit: str, threshold: float | None) -> float:
    """The threshold in force for ``unit``: ``threshold`` (default .9) for overlap, else 1."""
    if unit not in MATCHING_UNITS:
        raise QualcodeError(
            f"settling compares passages by {', '.join(MATCHING_UNITS)}, not {unit!r}"
        )
    if unit != "overlap":
        return 1.0
    value = 0.9 if threshold is None else threshold
    if not 0.0 < value <= 1.0:
        raise QualcodeError(f"the overlap threshold must lie in (0, 1], not {value}")
    return value


def _check_pair(coder_a: str, coder_b: str) -> None:
    if coder_a == coder_b:
        raise QualcodeError("compare two different coders")
    if CONSENSUS in (coder_a, coder_b):
        raise QualcodeError(f"{CONSENSUS!r} holds the settled codings; compare two other coders")


Key = tuple[int, int, frozenset[tuple[str, tuple[Span, ...]]]]


def passage_key(doc_id: int, code_id: int, spans: dict[str, tuple[Span, ...]]) -> Key:
    return doc_id, code_id, frozenset(spans.items())


def decision_records(s: Session) -> list[tuple[int, dict[str, Any]]]:
    """Every decision memo: (memo id, its decision, spans as tuples)."""
    out = []
    stmt = select(Memo.id, Memo.decision).where(Memo.decision.is_not(None)).order_by(Memo.id)
    for memo_id, decision in s.execute(stmt):
        try:
            record = dict(decision)
            record["spans"] = {
                c: tuple((int(a), int(b)) for a, b in v) for c, v in record["spans"].items()
            }
            record["kept"] = tuple((int(a), int(b)) for a, b in record["kept"])
        except (ValueError, KeyError, TypeError, AttributeError):
            continue
        out.append((memo_id, record))
    return out


def decision_of(memo_id: int, record: dict[str, Any], coder_a: str, coder_b: str) -> Decision:
    kept_from = set(record.get("kept_from", ()))
    choice = {
        frozenset({coder_a}): "a",
        frozenset({coder_b}): "b",
        frozenset({coder_a, coder_b}): "both",
    }.get(frozenset(kept_from), "drop")
    return Decision(
        choice, record["kept"], str(record.get("by", "")), str(record.get("at", "")), memo_id
    )


def load_reviews(
    project: Project,
    coder_a: str,
    coder_b: str,
    *,
    codes: Sequence[str] | None = None,
    unit: str = "sentence",
    threshold: float | None = None,
    measure: OverlapMeasure = "union",
) -> list[Review]:
    """A review per code (every code either coder used, or ``codes``)."""
    _check_pair(coder_a, coder_b)
    limit = check_matching(unit, threshold)
    data = load_coding_data(
        project,
        coders=[coder_a, coder_b],
        codes=codes,
        unit=unit if unit in SEGMENT_KINDS else "document",
        with_text=True,
    )
    names = [d.name for d in data.documents]
    with project.session() as s:
        stmt = select(Document.name, Document.id).where(Document.name.in_(names))
        doc_ids = {name: doc_id for name, doc_id in s.execute(stmt)}
        code_ids = {path: cid for cid, path in code_paths(s).items()}
        records = {
            passage_key(r["document_id"], r["code_id"], r["spans"]): (i, r)
            for i, r in decision_records(s)
        }
        consensus: set[tuple[int, int, int, int]] = {
            (d, c, st, en)
            for d, c, st, en in s.execute(
                select(Coding.document_id, Coding.code_id, Coding.start, Coding.end)
                .join(Coder, Coding.coder_id == Coder.id)
                .where(Coder.name == CONSENSUS)
            )
        }
    reviews = []
    for code in data.codes:
        code_id = code_ids[code]
        items: list[Item] = []
        agreements: list[Passage] = []
        for doc in data.documents:
            if coder_a not in doc.coders or coder_b not in doc.coders:
                continue
            text, did = doc.text or "", doc_ids[doc.name]
            units = doc.unit_spans if unit in SEGMENT_KINDS else None
            found = find_passages(
                doc.spans.get((coder_a, code), ()),
                doc.spans.get((coder_b, code), ()),
                units=units,
                threshold=limit,
                measure=measure,
            )
            for kind, low, high, sa, sb in found:
                passage = Passage(did, doc.name, kind, low, high, sa, sb)
                if kind == "agreement":
                    agreements.append(passage)
                    continue
                hit = records.get(passage_key(did, code_id, {coder_a: sa, coder_b: sb}))
                cs, ce = context_bounds(text, low, high)
                items.append(
                    Item(
                        len(items) + 1,
                        passage,
                        text[low:high],
                        cs,
                        text[cs:ce],
                        None if hit is None else decision_of(*hit, coder_a, coder_b),
                    )
                )
        accepted = sum(
            all((p.document_id, code_id, st, en) in consensus for st, en in p.kept("both"))
            for p in agreements
        )
        reviews.append(
            Review(
                code,
                code_id,
                coder_a,
                coder_b,
                unit,
                limit,
                tuple(items),
                tuple(agreements),
                accepted,
            )
        )
    return reviews


def load_review(project: Project, code: str, coder_a: str, coder_b: str, **kw: Any) -> Review:
    """The review of one code (by path, name or key); see :func:`load_reviews`."""
    return load_reviews(project, coder_a, coder_b, codes=[code], **kw)[0]
