"""Krippendorff's bootstrap of alpha (Krippendorff, *Algorithm for bootstrapping a distribution
of alpha*, 2006, revised 2011; the algorithm of Hayes' KALPHA macro, R's kripp.boot and
Stata's kalpha).

1. Keep D_e, the expected disagreement of the data, fixed.
2. Draw M pairs of values with replacement from the coincidence matrix: the cell (c, k), c <= k,
   has probability o_cc / n on the diagonal and 2 o_ck / n off it.
   M = min(25 Q, n (m - 1) / 2) with Q the number of non-empty cells of the coincidence
   matrix, n the number of pairable values and m the number of coders.
3. Each sample gives alpha* = 1 - mean(delta2 of the M pairs) / D_e, floored at -1.
4. Samples whose M pairs all fall in one diagonal cell have no variation (alpha = 0/0); as
   Krippendorff prescribes, the expected number of them, X sum_c p_cc^M, count as alpha* = 0.

The interval takes the order statistics Krippendorff uses; q is the share of alpha* below a
smallest acceptable alpha. The M pairs of a sample are drawn at once as one multinomial draw
over the cells, the same distribution as M separate draws, at a fraction of the cost.

``cap_draws=False`` drops the 25 Q cap, a practical limit on computation in Krippendorff's
text, and draws all n (m - 1) / 2 pairs. For a present/absent code Q is at most 4, so the cap
allows 100 pairs per sample however many units were coded: the interval of a code over 5,000
sentences is then as wide as over 100, and a rare code's samples often hold no disagreement
and no variation at all. A multinomial draw costs the same for any M, so the cap saves nothing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from qualcode.agreement.alpha import AlphaParts, alpha_parts
from qualcode.agreement.intervals import check_ci
from qualcode.agreement.matrix import FloatArray, as_ratings
from qualcode.agreement.pairwise import UnitWeights
from qualcode.errors import QualcodeError

DRAW_CELLS_PER_CHUNK = 1 << 20


@dataclass(frozen=True)
class AlphaInterval:
    """Alpha with its bootstrap interval and the probabilities of falling short."""

    alpha: float
    low: float
    high: float
    ci: float
    level: str
    n_boot: int
    draws: int
    q: dict[float, float] = field(default_factory=dict)


def bootstrap_draws(parts: AlphaParts, *, cap: bool = True) -> int:
    """Krippendorff's M = min(25 Q, n (m - 1) / 2), or n (m - 1) / 2 without the cap."""
    half = round(parts.pairable_values * (parts.n_coders - 1) / 2.0)
    if not cap:
        return max(1, half)
    nonempty = int((parts.coincidences > 0).sum())
    return max(1, min(25 * nonempty, half))


def bootstrap_samples(
    parts: AlphaParts,
    n_boot: int,
    rng: np.random.Generator,
    draws: int,
) -> FloatArray:
    """n_boot bootstrapped alphas, corrected (floored at -1, no-variation samples set to 0)."""
    o = parts.coincidences
    n = parts.pairable_values
    rows, cols = np.triu_indices(o.shape[0])
    p = np.where(rows == cols, o[rows, cols], 2.0 * o[rows, cols]) / n
    delta2 = parts.delta2[rows, cols]
    used = p > 0
    p, delta2 = p[used] / p[used].sum(), delta2[used]
    out = np.empty(n_boot, dtype=np.float64)
    chunk = max(1, DRAW_CELLS_PER_CHUNK // len(p))
    for start in range(0, n_boot, chunk):
        size = min(chunk, n_boot - start)
        counts = rng.multinomial(draws, p, size=size)
        out[start : start + size] = 1.0 - (counts @ delta2) / (draws * parts.expected)
    np.maximum(out, -1.0, out=out)
    diagonal = np.diag(o) / n
    ones = np.flatnonzero(out == 1.0)
    occupied = int((diagonal > 0).sum())
    if len(ones) and occupied == 1:
        out[ones] = 0.0
    elif len(ones) and occupied > 1:
        expected_flat = round(n_boot * float((diagonal[diagonal > 0] ** draws).sum()))
        out[ones[: min(expected_flat, len(ones))]] = 0.0
    return out


def interval_from_samples(samples: FloatArray, ci: float) -> tuple[float, float]:
    """Krippendorff's order statistics: the floor((1-ci)/2 X)-th and floor((1+ci)/2 X)+1-th."""
    ordered = np.sort(samples)
    count = len(ordered)
    low = max(int((1.0 - ci) / 2.0 * count), 1)
    high = min(math.floor((1.0 - (1.0 - ci) / 2.0) * count) + 1, count)
    return float(ordered[low - 1]), float(ordered[high - 1])


def bootstrap_alpha_parts(
    parts: AlphaParts,
    *,
    level: str,
    n_boot: int = 20_000,
    seed: int | None = None,
    ci: float = 0.95,
    thresholds: Sequence[float] = (0.667, 0.800),
    draws: int | None = None,
    cap_draws: bool = True,
) -> AlphaInterval:
    check_ci(ci)
    if n_boot < 2:
        raise QualcodeError("the bootstrap needs at least two samples")
    m = bootstrap_draws(parts, cap=cap_draws) if draws is None else int(draws)
    if m < 1:
        raise QualcodeError("the bootstrap needs at least one draw per sample")
    samples = bootstrap_samples(parts, n_boot, np.random.default_rng(seed), m)
    low, high = interval_from_samples(samples, ci)
    q = {float(t): float((samples < t).mean()) for t in thresholds}
    return AlphaInterval(parts.value, low, high, ci, level, n_boot, m, q)


def krippendorff_alpha_bootstrap(
    data: Any,
    level: str = "nominal",
    n_boot: int = 20_000,
    seed: int | None = None,
    ci: float = 0.95,
    thresholds: Sequence[float] = (0.667, 0.800),
    *,
    draws: int | None = None,
    cap_draws: bool = True,
    unit_weights: UnitWeights = None,
) -> AlphaInterval:
    """Krippendorff's alpha with Krippendorff's bootstrap interval.

    Returns alpha, the ``ci`` interval (low, high) and ``q[t]``: the probability that alpha
    falls below the threshold t (by default .667 and .800). ``draws`` sets M, the number of
    pairs per sample; ``cap_draws=False`` lifts Krippendorff's cap of 25 Q (see the module
    docstring). Pass ``seed`` for reproducible figures.
    """
    parts = alpha_parts(as_ratings(data, unit_weights), level)
    return bootstrap_alpha_parts(
        parts,
        level=level,
        n_boot=n_boot,
        seed=seed,
        ci=ci,
        thresholds=thresholds,
        draws=draws,
        cap_draws=cap_draws,
    )
