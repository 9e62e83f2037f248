"""Interval arithmetic on character spans ``[start, end)`` with numpy, never per character.

Two spans overlap when ``a.start < b.end and b.start < a.end``: spans that only touch do not.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from qualcode.analysis.spans import Span
from qualcode.errors import QualcodeError

SpanArray = NDArray[np.int64]  # shape (n, 2): start, end
OverlapMeasure = Literal["union", "longer"]
OVERLAP_MEASURES: tuple[str, ...] = ("union", "longer")


def as_spans(spans: Iterable[Span] | SpanArray) -> SpanArray:
    """Spans as an (n, 2) array, empty spans dropped, sorted by start then end."""
    if isinstance(spans, np.ndarray):
        arr = spans.astype(np.int64, copy=False).reshape(-1, 2)
        if bool((arr[:, 1] <= arr[:, 0]).any()):
            arr = arr[arr[:, 1] > arr[:, 0]]
        starts, ends = arr[1:, 0], arr[1:, 1]
        if bool(((starts > arr[:-1, 0]) | ((starts == arr[:-1, 0]) & (ends >= arr[:-1, 1]))).all()):
            return arr  # already in order: no copy
    else:
        arr = np.asarray([s for s in spans if s[1] > s[0]], dtype=np.int64).reshape(-1, 2)
    order = np.lexsort((arr[:, 1], arr[:, 0]))
    return arr[order]


def merge(spans: Iterable[Span] | SpanArray) -> SpanArray:
    """The union of spans as sorted, disjoint, non-touching spans."""
    arr = spans if isinstance(spans, np.ndarray) else as_spans(spans)
    if len(arr) == 0:
        return arr.reshape(0, 2)
    arr = arr[np.lexsort((arr[:, 1], arr[:, 0]))]
    reach = np.maximum.accumulate(arr[:, 1])
    starts_new = np.ones(len(arr), dtype=bool)
    starts_new[1:] = arr[1:, 0] > reach[:-1]
    first = np.flatnonzero(starts_new)
    ends = np.maximum.reduceat(arr[:, 1], first)
    return np.column_stack((arr[first, 0], ends)).astype(np.int64)


def covered_length(merged: SpanArray) -> int:
    return int((merged[:, 1] - merged[:, 0]).sum()) if len(merged) else 0


def overlaps_any(merged: SpanArray, units: SpanArray) -> NDArray[np.bool_]:
    """For each unit: does any span of ``merged`` (disjoint, sorted) overlap it?"""
    if len(merged) == 0 or len(units) == 0:
        return np.zeros(len(units), dtype=bool)
    # the first merged span that ends after the unit starts; it overlaps iff it starts before
    # the unit ends (later spans start later still).
    first = np.searchsorted(merged[:, 1], units[:, 0], side="right")
    inside = first < len(merged)
    result = np.zeros(len(units), dtype=bool)
    result[inside] = merged[first[inside], 0] < units[inside, 1]
    return result


def elementary_pieces(length: int, merged_per_coder: Sequence[SpanArray]) -> SpanArray:
    """Cut ``[0, length)`` at every span boundary: inside a piece coverage never changes."""
    cuts = [np.array([0, length], dtype=np.int64)]
    cuts.extend(np.clip(m.ravel(), 0, length) for m in merged_per_coder)
    bounds = np.unique(np.concatenate(cuts))
    bounds = bounds[(bounds >= 0) & (bounds <= length)]
    return np.column_stack((bounds[:-1], bounds[1:])).astype(np.int64)


def coverage_patterns(
    length: int, merged_per_coder: Sequence[SpanArray]
) -> tuple[NDArray[np.int8], NDArray[np.float64]]:
    """Character-level coding of one document by several coders, without a per-character loop.

    Returns ``patterns`` (coders x distinct patterns, 1 = character coded) and ``weights`` (how
    many characters show each pattern); the weights add up to ``length``.
    """
    pieces = elementary_pieces(length, merged_per_coder)
    if len(pieces) == 0:
        return np.zeros((len(merged_per_coder), 0), dtype=np.int8), np.zeros(0)
    covered = np.vstack([overlaps_any(m, pieces) for m in merged_per_coder]).astype(np.int8)
    sizes = (pieces[:, 1] - pieces[:, 0]).astype(np.float64)
    patterns, inverse = np.unique(covered, axis=1, return_inverse=True)
    weights = np.bincount(inverse.ravel(), weights=sizes, minlength=patterns.shape[1])
    return patterns.astype(np.int8), weights.astype(np.float64)


def overlap_ratio(
    span: Span, others: SpanArray, measure: OverlapMeasure = "union"
) -> NDArray[np.float64]:
    """How much ``span`` and each of ``others`` overlap, from 0 to 1.

    ``union``: intersection / union (Jaccard); ``longer``: intersection / the longer span.
    """
    if len(others) == 0:
        return np.zeros(0)
    start, end = span
    inter = np.clip(np.minimum(end, others[:, 1]) - np.maximum(start, others[:, 0]), 0, None)
    own = end - start
    lengths = others[:, 1] - others[:, 0]
    if measure == "union":
        base = own + lengths - inter
    elif measure == "longer":
        base = np.maximum(own, lengths)
    else:
        raise QualcodeError(f"unknown overlap measure {measure!r}; use union or longer")
    return np.asarray(inter / np.maximum(base, 1), dtype=np.float64)
