"""Span arithmetic and unit building, without a database."""

from __future__ import annotations

import numpy as np
import pytest

from qualcode import agreement as ag
from qualcode.agreement.disagreements import find_disagreements
from qualcode.agreement.spans import (
    as_spans,
    coverage_patterns,
    merge,
    overlap_ratio,
    overlaps_any,
)
from qualcode.agreement.units import CodingData, DocumentCodings, build_variable


def test_merge_joins_overlapping_and_touching_spans() -> None:
    merged = merge([(5, 9), (0, 3), (2, 4), (9, 12), (20, 25), (21, 22), (30, 30)])
    assert merged.tolist() == [[0, 4], [5, 12], [20, 25]]
    assert merge([]).shape == (0, 2)


def test_overlap_needs_a_shared_character() -> None:
    merged = merge([(10, 20)])
    units = as_spans([(0, 10), (5, 11), (19, 25), (20, 30), (12, 13)])
    # as_spans sorts by start: (0,10) (5,11) (12,13) (19,25) (20,30)
    assert overlaps_any(merged, units).tolist() == [False, True, True, True, False]


def test_overlap_ratio_by_union_and_by_longer_span() -> None:
    others = as_spans([(0, 9), (5, 15), (20, 30)])
    # [0,10) vs [0,9): 9 / 10 both ways; vs [5,15): 5 / 15 (union) or 5 / 10 (longer)
    assert overlap_ratio((0, 10), others).tolist() == pytest.approx([0.9, 1 / 3, 0.0])
    assert overlap_ratio((0, 10), others, "longer").tolist() == pytest.approx([0.9, 0.5, 0.0])


def per_character(length: int, spans: list[list[tuple[int, int]]]) -> np.ndarray:
    out = np.zeros((len(spans), length), dtype=np.int8)
    for i, coder_spans in enumerate(spans):
        for start, end in coder_spans:
            out[i, start:end] = 1
    return out


def random_spans(rng: np.random.Generator, length: int) -> list[tuple[int, int]]:
    starts = rng.integers(0, length, size=rng.integers(0, 6))
    return [(int(s), int(min(length, s + rng.integers(1, 25)))) for s in starts]


def test_coverage_patterns_equal_a_per_character_count() -> None:
    rng = np.random.default_rng(3)
    for _ in range(50):
        length = int(rng.integers(1, 200))
        spans = [random_spans(rng, length) for _ in range(3)]
        patterns, weights = coverage_patterns(length, [merge(s) for s in spans])
        chars = per_character(length, spans)
        assert weights.sum() == length
        for column, weight in zip(patterns.T, weights, strict=True):
            assert (chars == column[:, None]).all(axis=0).sum() == weight


def test_character_units_give_the_statistics_of_one_unit_per_character() -> None:
    rng = np.random.default_rng(5)
    coders = ("a", "b", "c")
    docs = []
    expanded = []
    for d in range(4):
        length = int(rng.integers(50, 150))
        spans = {(c, "X"): random_spans(rng, length) for c in coders}
        docs.append(DocumentCodings(f"D{d}", length, frozenset(coders), spans))
        expanded.append(per_character(length, [spans[(c, "X")] for c in coders]))
    data = CodingData(coders, ("X",), tuple(docs))
    variable = build_variable(data, "X", "character")
    chars = np.concatenate(expanded, axis=1)
    ratings = variable.ratings()
    assert ag.percent_agreement(ratings) == pytest.approx(ag.percent_agreement(chars))
    assert ag.fleiss_kappa(ratings) == pytest.approx(ag.fleiss_kappa(chars))
    assert ag.krippendorff_alpha(ratings) == pytest.approx(ag.krippendorff_alpha(chars))
    pair = build_variable(data, "X", "character", coders=("a", "c")).ratings()
    assert ag.cohen_kappa(pair) == pytest.approx(ag.cohen_kappa(chars[[0, 2]]))


def test_segment_units_skip_empty_segments_and_missing_coders() -> None:
    doc = DocumentCodings(
        "D",
        30,
        frozenset({"a", "b"}),
        {("a", "X"): [(0, 5)], ("b", "X"): [(12, 14)]},
        units=[(0, 10), (10, 10), (10, 20), (20, 30)],
    )
    data = CodingData(("a", "b", "c"), ("X",), (doc,))
    variable = build_variable(data, "X", "sentence")
    # three non-empty units; c never coded D so c's ratings are missing (-1)
    assert variable.values.tolist() == [[1, 0, 0], [0, 1, 0], [-1, -1, -1]]


def test_find_disagreements_clusters_overlapping_spans() -> None:
    a = [(0, 10), (30, 40), (50, 60), (70, 75)]
    b = [(0, 10), (32, 45), (80, 90), (74, 78)]
    found = find_disagreements(a, b)
    assert [(kind, start, end) for kind, start, end, _, _ in found] == [
        ("different_spans", 30, 45),
        ("a_not_b", 50, 60),
        ("different_spans", 70, 78),
        ("b_not_a", 80, 90),
    ]
    # [30,40) vs [32,45): 8 / 15 = .53 -> the same span at a threshold of .5
    loose = find_disagreements(a, b, threshold=0.5)
    assert [kind for kind, *_ in loose] == ["a_not_b", "different_spans", "b_not_a"]
