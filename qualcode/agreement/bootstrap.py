"""A bootstrap interval for Krippendorff's alpha that resamples units (or whole clusters of
units), with the BCa correction.

Method. The B bootstrap samples each draw, with replacement, as many units as the data have
pairable units (units rated by two coders or more), and recompute alpha on them (the
nonparametric bootstrap of Efron & Tibshirani, *An Introduction to the Bootstrap*, 1993,
ch. 6). A unit keeps all its ratings together, so the ratings of one unit are never treated as
independent, whatever the number of coders, and coders who rated nothing change nothing. With
``clusters`` whole clusters are drawn instead (a document, or a segment with all its codes):
the right thing when neighbouring units (characters of one passage, codes of one sentence)
are not independent. The interval is the bias-corrected and accelerated (BCa) percentile
interval (Efron, "Better bootstrap confidence intervals", JASA 82, 1987; Efron & Tibshirani
1993, ch. 14.3) with the acceleration from the jackknife that leaves out one unit (cluster).
Simulations in tests/agreement/test_bootstrap_coverage.py check that a 95% interval covers the
true alpha in 93-97% of samples for 2, 3 and 5 coders, with and without missing ratings.

This replaces Krippendorff's own algorithm (2006/2011: draw pairs of values from the
coincidence matrix), which treats every pair of values in a unit as independent: an audit
found that with five coders its "95%" interval covered the true alpha in only about 70% of
samples, and with its cap of 25 Q draws per sample in 100%, twice too wide.

Samples in which every value is one category have no variation and no alpha (0/0); as in
Krippendorff's algorithm they count as alpha = 0. ``q[t]`` is the share of samples below t.

Speed. Resampled items (units or clusters) with the same contribution to alpha are merged
first, so a sample is one multinomial draw over the distinct items: a present/absent code of
m coders has at most (m + 1)(m + 2) / 2 distinct units however many units were coded.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from statistics import NormalDist
from typing import Any

import numpy as np
from numpy.typing import NDArray

from qualcode.agreement.alpha import AlphaParts, alpha_parts, ordinal_distances
from qualcode.agreement.errors import NotComputable
from qualcode.agreement.intervals import check_ci
from qualcode.agreement.matrix import FloatArray, Ratings, as_ratings, unit_counts
from qualcode.agreement.pairwise import UnitWeights
from qualcode.errors import QualcodeError

DEFAULT_SAMPLES = 5000
DEFAULT_SEED = 0
DEFAULT_THRESHOLDS = (0.667, 0.800)
CELLS_PER_CHUNK = 1 << 20
CLUSTER_CHUNK = 1 << 16  # units whose clusters are summed at once
METHOD = "BCa bootstrap, resampling {what} (Efron 1987)"


@dataclass(frozen=True)
class AlphaInterval:
    """Alpha with its bootstrap interval and the probabilities of falling short."""

    alpha: float
    low: float
    high: float
    ci: float
    level: str
    n_boot: int
    resampled: int  # units (or clusters) drawn per sample
    method: str
    q: dict[float, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Items:
    """What the bootstrap draws: distinct units or clusters, their contributions to alpha
    (``features``) and how many of each there are (``counts``).

    Features are, per item, the coincidences it adds (k x k, flattened) at the ordinal level,
    whose distances depend on the marginals of each sample; at the other levels the observed
    disagreement it adds, sum_ck o_ck delta2_ck, then its k pairable values per category.
    """

    features: FloatArray
    counts: FloatArray
    level: str
    delta2: FloatArray  # unused at the ordinal level

    @property
    def total(self) -> int:
        return round(float(self.counts.sum()))

    def alphas(self, sums: FloatArray) -> FloatArray:
        """Alpha of each row of summed features; NaN where it is 0/0."""
        k = self.delta2.shape[0]
        if self.level == "ordinal":
            o = sums.reshape(-1, k, k)
            marginals = o.sum(axis=2)
            delta2 = ordinal_distances(marginals)
            observed = (o * delta2).sum(axis=(1, 2))
            expected = np.einsum("bi,bij,bj->b", marginals, delta2, marginals)
        else:
            observed = sums[:, 0]
            marginals = sums[:, 1:]
            expected = np.einsum("bi,ij,bj->b", marginals, self.delta2, marginals)
        n = marginals.sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            value = 1.0 - (n - 1.0) * observed / expected
        return np.asarray(np.where(expected > 1e-12 * n * n, value, np.nan), dtype=np.float64)


def _unit_features(counts: FloatArray, level: str, delta2: FloatArray) -> FloatArray:
    """Per unit (rows of category counts): its features (see Items)."""
    m = counts.sum(axis=1)
    k = counts.shape[1]
    if level == "ordinal":
        outer = counts[:, :, None] * counts[:, None, :] - counts[:, :, None] * np.eye(k)
        return np.asarray((outer / (m - 1.0)[:, None, None]).reshape(len(counts), k * k))
    observed = np.einsum("ui,ij,uj->u", counts, delta2, counts) / (m - 1.0)
    return np.column_stack((observed, counts))


def _merge(features: FloatArray, counts: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Identical rows merged (their counts added), sorted by their columns (first column
    first): an order that depends on the values only, so that merged and unmerged data draw
    the same samples. A lexsort of the columns, much faster than ``np.unique(axis=0)``."""
    if len(features) == 0:
        return features, counts
    order = np.lexsort(features.T[::-1])
    ordered = features[order]
    starts = np.ones(len(ordered), dtype=bool)
    starts[1:] = np.any(ordered[1:] != ordered[:-1], axis=1)
    group = np.cumsum(starts) - 1
    merged = np.bincount(group, weights=counts[order], minlength=int(group[-1]) + 1)
    return ordered[starts], merged.astype(np.float64)


def _compact(keys: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.intp]]:
    """The distinct keys in increasing order and each key's rank among them: by counting
    when the keys are small, which needs no sort of millions of units."""
    if len(keys) == 0:
        return keys, np.zeros(0, dtype=np.intp)
    if int(keys.min()) >= 0 and int(keys.max()) < max(1 << 16, 4 * len(keys)):
        present = np.bincount(keys) > 0
        rank = np.cumsum(present) - 1
        return np.flatnonzero(present).astype(np.int64), rank[keys].astype(np.intp)
    distinct, inverse = np.unique(keys, return_inverse=True)
    return distinct.astype(np.int64), np.asarray(inverse.ravel(), dtype=np.intp)


def _distinct_rows(counts: FloatArray, n_coders: int) -> tuple[FloatArray, NDArray[np.intp]]:
    """The distinct rows of per-unit category counts (0..n_coders), and each row's index.

    Rows are read as numbers in base n_coders + 1 when that fits in 62 bits: far faster than
    ``np.unique(axis=0)`` on a million units.
    """
    k = counts.shape[1]
    if k * np.log2(n_coders + 1) < 62:
        base = (n_coders + 1) ** np.arange(k, dtype=np.int64)
        distinct, inverse = _compact(counts.astype(np.int64) @ base)
        rows = (distinct[:, None] // base[None, :]) % (n_coders + 1)
        return rows.astype(np.float64), inverse
    distinct, index = np.unique(counts, axis=0, return_inverse=True)
    return np.asarray(distinct, dtype=np.float64), np.asarray(index.ravel(), dtype=np.intp)


def resampling_items(
    ratings: Ratings, level: str, delta2: FloatArray, clusters: NDArray[np.intp] | None = None
) -> Items:
    """The distinct units (or, with ``clusters``, clusters) of the pairable units."""
    pairable = ratings.raters() >= 2
    counts = unit_counts(ratings.codes[:, pairable], ratings.n_categories)
    weights = ratings.weights[pairable]
    patterns, inverse = _distinct_rows(counts, ratings.n_coders)
    features = _unit_features(patterns, level, delta2)
    if clusters is None:
        if not np.allclose(weights, np.round(weights)):
            raise QualcodeError(
                "the bootstrap resamples units: unit weights must be whole numbers (how many "
                "identical units each stands for)"
            )
        per_pattern = np.bincount(inverse, weights=weights).astype(np.float64)
        rows, multiplicity = _merge(features, per_pattern)
        return Items(rows, multiplicity, level, delta2)
    _, group = _compact(np.asarray(clusters, dtype=np.int64)[pairable])
    del counts
    merged = [
        _cluster_rows(group[part], weights[part], features, inverse[part])
        for part in _cluster_chunks(group)
    ]
    rows, multiplicity = _merge(
        np.concatenate([m[0] for m in merged]), np.concatenate([m[1] for m in merged])
    )
    return Items(rows, multiplicity, level, delta2)


def _cluster_chunks(group: NDArray[np.intp]) -> list[slice]:
    """Slices of about CLUSTER_CHUNK units that never split a cluster, when the units come
    cluster by cluster (as the report's do); else one slice of all."""
    n = len(group)
    if n <= CLUSTER_CHUNK or bool((group[1:] < group[:-1]).any()):
        return [slice(0, n)]
    starts = np.searchsorted(group, group[::CLUSTER_CHUNK], side="left")
    bounds = [*dict.fromkeys(int(b) for b in starts), n]
    return [slice(a, b) for a, b in pairwise(bounds)]


def _cluster_rows(
    group: NDArray[np.intp], weights: FloatArray, features: FloatArray, inverse: NDArray[np.intp]
) -> tuple[FloatArray, FloatArray]:
    """The distinct summed features of the clusters of some units (each cluster whole), and
    how many clusters have each."""
    if len(group) == 0:
        return np.zeros((0, features.shape[1])), np.zeros(0)
    local = group - group.min()
    n_groups = int(local.max()) + 1
    # each cluster adds up the features of its units, one feature column at a time
    columns = [
        np.bincount(local, weights=weights * column[inverse], minlength=n_groups)
        for column in features.T
    ]
    summed = np.asarray(np.column_stack(columns), dtype=np.float64)
    present = np.bincount(local, minlength=n_groups) > 0
    return _merge(summed[present], np.ones(int(present.sum()), dtype=np.float64))


def bootstrap_samples(items: Items, n_boot: int, rng: np.random.Generator) -> FloatArray:
    """n_boot bootstrapped alphas (0 for samples without variation)."""
    total = items.total
    p = items.counts / items.counts.sum()
    out = np.empty(n_boot, dtype=np.float64)
    chunk = max(1, CELLS_PER_CHUNK // max(len(p), items.features.shape[1], 1))
    for start in range(0, n_boot, chunk):
        size = min(chunk, n_boot - start)
        draws = rng.multinomial(total, p, size=size).astype(np.float64)
        out[start : start + size] = items.alphas(draws @ items.features)
    return np.nan_to_num(out, nan=0.0)


def acceleration(items: Items) -> float:
    """BCa's acceleration from the jackknife that leaves out one unit (cluster) at a time."""
    whole = items.counts @ items.features
    values = items.alphas(whole[None, :] - items.features)
    keep = np.isfinite(values)
    if not keep.any():
        return 0.0
    weights, values = items.counts[keep], values[keep]
    spread = float((weights * values).sum() / weights.sum()) - values
    denominator = 6.0 * float((weights * spread**2).sum()) ** 1.5
    return float((weights * spread**3).sum()) / denominator if denominator > 0 else 0.0


def bca_interval(
    samples: FloatArray, estimate: float, accel: float, ci: float
) -> tuple[float, float]:
    """Efron's BCa percentile interval of ``samples`` around ``estimate``."""
    normal = NormalDist()
    count = len(samples)
    below = float((samples < estimate).sum() + 0.5 * (samples == estimate).sum()) / count
    z0 = normal.inv_cdf(min(max(below, 0.5 / count), 1.0 - 0.5 / count))
    levels = []
    for tail in ((1.0 - ci) / 2.0, (1.0 + ci) / 2.0):
        z = z0 + normal.inv_cdf(tail)
        denominator = 1.0 - accel * z
        shifted = z0 + z / denominator if denominator > 0 else np.sign(z) * np.inf
        levels.append(normal.cdf(float(shifted)) if np.isfinite(shifted) else float(z > 0))
    low, high = np.quantile(samples, levels)
    return float(low), float(high)


def bootstrap_alpha(
    ratings: Ratings,
    level: str = "nominal",
    *,
    n_boot: int = DEFAULT_SAMPLES,
    seed: int | None = DEFAULT_SEED,
    ci: float = 0.95,
    thresholds: Sequence[float] = DEFAULT_THRESHOLDS,
    clusters: NDArray[np.intp] | None = None,
    what: str = "units",
    parts: AlphaParts | None = None,
) -> AlphaInterval:
    """Alpha of coded ratings with its bootstrap interval (see the module docstring).

    ``parts``: alpha already computed on the same data (merged units give the same), so that
    a million units are not counted twice.
    """
    check_ci(ci)
    if n_boot < 2:
        raise QualcodeError("the bootstrap needs at least two samples")
    if parts is None:
        parts = alpha_parts(ratings, level)
    delta2 = parts.delta2 if level != "ordinal" else np.zeros_like(parts.delta2)
    items = resampling_items(ratings, level, delta2, clusters)
    if items.total < 2:
        raise NotComputable(
            f"a bootstrap interval needs at least two {what} to resample (found {items.total})"
        )
    samples = bootstrap_samples(items, n_boot, np.random.default_rng(seed))
    low, high = bca_interval(samples, parts.value, acceleration(items), ci)
    q = {float(t): float((samples < t).mean()) for t in thresholds}
    method = METHOD.format(what=what)
    return AlphaInterval(parts.value, low, high, ci, level, n_boot, items.total, method, q)


def krippendorff_alpha_bootstrap(
    data: Any,
    level: str = "nominal",
    n_boot: int = DEFAULT_SAMPLES,
    seed: int | None = DEFAULT_SEED,
    ci: float = 0.95,
    thresholds: Sequence[float] = DEFAULT_THRESHOLDS,
    *,
    categories: Sequence[Any] | None = None,
    unit_weights: UnitWeights = None,
    clusters: Sequence[Hashable] | None = None,
) -> AlphaInterval:
    """Krippendorff's alpha with a BCa bootstrap interval that resamples units.

    Returns alpha, the ``ci`` interval (low, high) and ``q[t]``: the share of bootstrapped
    alphas below the threshold t (by default .667 and .800). ``clusters`` (one label per unit)
    resamples whole clusters instead of units, for units that are not independent. With its
    defaults (5,000 samples, seed 0) it gives the interval of the agreement report. A unit
    weight counts a unit that many times (whole numbers).
    """
    ratings = as_ratings(data, unit_weights, categories=categories)
    groups = None
    what = "units"
    if clusters is not None:
        labels = list(clusters)
        if len(labels) != ratings.n_units:
            raise QualcodeError(f"expected {ratings.n_units} cluster labels, got {len(labels)}")
        groups = _cluster_index(labels)
        what = "clusters"
    return bootstrap_alpha(
        ratings,
        level,
        n_boot=n_boot,
        seed=seed,
        ci=ci,
        thresholds=thresholds,
        clusters=groups,
        what=what,
    )


def _cluster_index(labels: list[Hashable]) -> NDArray[np.intp]:
    index: dict[Hashable, int] = {}
    try:
        return np.asarray([index.setdefault(x, len(index)) for x in labels], dtype=np.intp)
    except TypeError:
        raise QualcodeError("cluster labels must be hashable (a document name, an id)") from None
