"""Units of analysis: each code becomes a present/absent variable over units, per coder.

Pure functions over plain data (no database). A coder who has no coding at all in a document
is taken not to have coded that document: their ratings there are missing, not "absent".
Units rated by fewer than two coders then drop out of every statistic.

Unit kinds:

* ``sentence`` / ``turn`` / ``paragraph``: the document's segments of that kind (empty ones
  skipped). A coder codes a unit with a code when one of their codings of the code overlaps
  it (``start < seg.end and seg.start < end``).
* ``character``: NVivo's coding comparison. Every character is a unit; computed from the
  boundaries of the codings, each stretch of identically coded characters is one weighted unit.
* ``document``: is the code present anywhere in the document?
* ``overlap``: MAXQDA-style segment matching. Every coding of every coder is a unit, coded
  by its coder; another coder codes it too when one of their codings of the same code in the
  same document overlaps it by at least ``threshold`` (intersection / union of the two spans
  by default, or intersection / longer span).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal, get_args

import numpy as np
from numpy.typing import NDArray

from qualcode.agreement.matrix import Ratings, as_ratings
from qualcode.agreement.spans import (
    OverlapMeasure,
    SpanArray,
    as_spans,
    coverage_patterns,
    merge,
    overlap_ratio,
    overlaps_any,
)
from qualcode.analysis.spans import Span
from qualcode.errors import QualcodeError

UnitKind = Literal["sentence", "turn", "paragraph", "character", "document", "overlap"]
UNIT_KINDS: tuple[str, ...] = get_args(UnitKind)
SEGMENT_KINDS = ("sentence", "turn", "paragraph")
ABSENT, PRESENT, MISSING = 0, 1, -1


@dataclass(frozen=True)
class DocumentCodings:
    """One document as agreement sees it: its length, its units and every coder's spans."""

    name: str
    length: int
    coders: frozenset[str]  # the coders who coded anything in it
    spans: Mapping[tuple[str, str], Sequence[Span]] = field(default_factory=dict)  # (coder, code)
    units: Sequence[Span] | SpanArray = ()  # segments of the chosen kind (segment units only)
    text: str | None = None

    @cached_property
    def unit_spans(self) -> SpanArray:
        """``units`` as a sorted span array, made once per document (not once per code)."""
        return as_spans(self.units)


@dataclass(frozen=True)
class CodingData:
    coders: tuple[str, ...]
    codes: tuple[str, ...]
    documents: tuple[DocumentCodings, ...]


@dataclass(frozen=True)
class Variable:
    """One code over the units: ``values[coder, unit]`` is 1, 0 or -1 (missing)."""

    coders: tuple[str, ...]
    values: NDArray[np.int8]
    weights: NDArray[np.float64]
    document: NDArray[np.intp]  # index into CodingData.documents, per unit
    position: NDArray[np.intp]  # the unit's index within its document (a segment's rank)

    def ratings(self) -> Ratings:
        return as_ratings(Ratings(self.values.astype(np.int32), (ABSENT, PRESENT), self.weights))

    def where(self, keep: NDArray[np.bool_] | NDArray[np.intp]) -> Variable:
        """The units a mask or an index array picks."""
        return Variable(
            self.coders,
            self.values[:, keep],
            self.weights[keep],
            self.document[keep],
            self.position[keep],
        )

    def pairable(self) -> Variable:
        """Only the units rated by two coders or more (the others enter no statistic)."""
        keep = (self.values != MISSING).sum(axis=0) >= 2
        return self if bool(keep.all()) else self.where(keep)

    def collapsed(self) -> Variable:
        """The same data with identical units merged into one unit whose weight is their sum.

        Every statistic here weighs units (as the character unit's pieces are weighed), so
        none changes, but the work stops growing with the units: a present/absent code of
        ``m`` coders has at most 3^m distinct units. ``document`` and ``position`` are -1
        afterwards (a bootstrap that resamples documents or segments takes the variable
        before it is collapsed).
        """
        n_coders, n_units = self.values.shape
        if n_units == 0 or n_coders > 12:
            return self
        powers = 3 ** np.arange(n_coders, dtype=np.int64)
        keys = np.zeros(n_units, dtype=np.int64)
        for i, row in enumerate(self.values):  # MISSING, ABSENT, PRESENT -> 0, 1, 2
            keys += (row.astype(np.int64) + 1) * 3**i
        present = np.flatnonzero(np.bincount(keys, minlength=1))
        weights = np.bincount(keys, weights=self.weights)[present]
        values = (present[None, :] // powers[:, None]) % 3 - 1
        none = np.full(len(present), -1, dtype=np.intp)
        return Variable(self.coders, values.astype(np.int8), weights.astype(np.float64), none, none)

    def unit_keys(self, span: int) -> NDArray[np.int64]:
        """One number per unit for its document, its position (below ``span``; 0 for every
        unit when ``span`` is 1) and its values: units with the same key are identical units
        of one segment (or one document), whose weights may be added."""
        patterns = 3 ** len(self.coders)
        keys = self.document.astype(np.int64) * span
        if span > 1:
            keys += self.position
        keys *= patterns
        for i, row in enumerate(self.values):  # MISSING, ABSENT, PRESENT -> 0, 1, 2
            keys += (row.astype(np.int64) + 1) * 3**i
        return keys

    @classmethod
    def from_keys(
        cls,
        coders: tuple[str, ...],
        keys: NDArray[np.int64],
        weights: NDArray[np.float64],
        span: int,
    ) -> Variable:
        """The units that :meth:`unit_keys` numbered, back from their keys."""
        patterns = 3 ** len(coders)
        values = np.empty((len(coders), len(keys)), dtype=np.int8)
        pattern = keys % patterns
        for i in range(len(coders)):
            values[i] = pattern // 3**i % 3 - 1
        place = keys // patterns
        return cls(
            coders, values, weights, (place // span).astype(np.intp), (place % span).astype(np.intp)
        )

    def by_document(self, count: int) -> list[Variable]:
        """The variable split by document index ``0 .. count-1`` (one pass, not one per
        document)."""
        order = np.argsort(self.document, kind="stable")
        bounds = np.searchsorted(self.document[order], np.arange(count + 1))
        return [self.where(order[bounds[i] : bounds[i + 1]]) for i in range(count)]

    def with_coders(self, coders: tuple[str, ...]) -> Variable:
        """The rows of some of the coders."""
        rows = [self.coders.index(c) for c in coders]
        return Variable(coders, self.values[rows], self.weights, self.document, self.position)

    @staticmethod
    def concat(coders: tuple[str, ...], parts: Sequence[Variable]) -> Variable:
        if not parts:
            none = np.zeros(0, np.intp)
            return Variable(coders, np.zeros((len(coders), 0), np.int8), np.zeros(0), none, none)
        return Variable(
            coders,
            np.concatenate([p.values for p in parts], axis=1),
            np.concatenate([p.weights for p in parts]),
            np.concatenate([p.document for p in parts]),
            np.concatenate([p.position for p in parts]),
        )


def check_unit_and_threshold(unit: str, threshold: float) -> None:
    if unit not in UNIT_KINDS:
        raise QualcodeError(f"unknown unit {unit!r}; use one of {', '.join(UNIT_KINDS)}")
    if not 0.0 < threshold <= 1.0:
        raise QualcodeError(f"the overlap threshold must lie in (0, 1], not {threshold}")


def build_variable(
    data: CodingData,
    code: str,
    unit: str,
    *,
    coders: tuple[str, ...] | None = None,
    threshold: float = 0.9,
    measure: OverlapMeasure = "union",
) -> Variable:
    """The reliability data of one code for ``coders`` (default: all), over every document."""
    check_unit_and_threshold(unit, threshold)
    who = data.coders if coders is None else coders
    values, weights = [], []
    for doc in data.documents:
        doc_values, doc_weights = _document_values(doc, code, unit, who, threshold, measure)
        values.append(doc_values)
        weights.append(doc_weights)
    if not values:
        return Variable.concat(who, [])
    counts = np.array([len(w) for w in weights], dtype=np.intp)
    document = np.repeat(np.arange(len(counts), dtype=np.intp), counts)
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    position = np.arange(len(document), dtype=np.intp) - starts
    del starts
    return Variable(
        who,
        np.concatenate(values, axis=1),
        np.concatenate(weights).astype(np.float64, copy=False),
        document,
        position,
    )


def _document_values(
    doc: DocumentCodings,
    code: str,
    unit: str,
    coders: tuple[str, ...],
    threshold: float,
    measure: OverlapMeasure,
) -> tuple[NDArray[np.int8], NDArray[np.float64]]:
    active = [i for i, c in enumerate(coders) if c in doc.coders]
    spans = {i: as_spans(doc.spans.get((coders[i], code), ())) for i in active}
    if unit in SEGMENT_KINDS:
        units = doc.unit_spans
        values = np.full((len(coders), len(units)), MISSING, dtype=np.int8)
        for i in active:
            values[i] = overlaps_any(merge(spans[i]), units)
        return values, np.ones(len(units))
    if unit == "character":
        if not active:  # none of these coders coded the document (a pair of three coders)
            return np.zeros((len(coders), 0), dtype=np.int8), np.zeros(0)
        patterns, weights = coverage_patterns(doc.length, [merge(spans[i]) for i in active])
        values = np.full((len(coders), patterns.shape[1]), MISSING, dtype=np.int8)
        values[active] = patterns
        return values, weights
    if unit == "document":
        values = np.full((len(coders), 1), MISSING, dtype=np.int8)
        for i in active:
            values[i, 0] = PRESENT if len(spans[i]) else ABSENT
        return values, np.ones(1)
    return _overlap_values(coders, active, spans, threshold, measure)


def _overlap_values(
    coders: tuple[str, ...],
    active: list[int],
    spans: Mapping[int, NDArray[np.int64]],
    threshold: float,
    measure: OverlapMeasure,
) -> tuple[NDArray[np.int8], NDArray[np.float64]]:
    columns: list[NDArray[np.int8]] = []
    for owner in active:
        for start, end in spans[owner]:
            column = np.full(len(coders), MISSING, dtype=np.int8)
            for other in active:
                if other == owner:
                    column[other] = PRESENT
                    continue
                ratios = overlap_ratio((int(start), int(end)), spans[other], measure)
                # a small tolerance keeps a 90% overlap at 0.9 from failing on rounding
                column[other] = PRESENT if bool((ratios >= threshold - 1e-12).any()) else ABSENT
            columns.append(column)
    if not columns:
        return np.zeros((len(coders), 0), dtype=np.int8), np.zeros(0)
    return np.column_stack(columns), np.ones(len(columns))


def coded_units(variable: Variable) -> dict[str, float]:
    """Per coder: the units (weighted: characters) they coded with the code."""
    present = variable.values == PRESENT
    return {c: float(variable.weights[present[i]].sum()) for i, c in enumerate(variable.coders)}
