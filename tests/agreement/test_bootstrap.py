"""Krippendorff's bootstrap of alpha: the number of draws, the distribution, the corrections."""

from __future__ import annotations

import numpy as np
import pytest

from qualcode import agreement as ag
from qualcode.agreement.alpha import alpha_parts
from qualcode.agreement.bootstrap import bootstrap_draws, bootstrap_samples

# Krippendorff (2011), section C: 4 observers, 12 units, one unit rated once.
C_DATA = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]
BINARY = [[0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]]


def naive_bootstrap(data: list[list[int | None]], level: str, n_boot: int, seed: int) -> np.ndarray:
    """Krippendorff's algorithm step by step, as in R's kripp.boot: M uniform numbers per
    sample, each mapped to a cell (c <= k) through the cumulative probabilities."""
    parts = alpha_parts(ag.as_ratings(data), level)
    o, n = parts.coincidences, parts.pairable_values
    cells = [(c, k) for k in range(o.shape[0]) for c in range(k, o.shape[0])]
    probs = np.array([(o[c, k] if c == k else 2 * o[c, k]) / n for c, k in cells])
    cumulative = np.cumsum(probs)
    delta2 = np.array([parts.delta2[c, k] for c, k in cells])
    draws = bootstrap_draws(parts)
    rng = np.random.default_rng(seed)
    out = np.empty(n_boot)
    for b in range(n_boot):
        picked = np.searchsorted(cumulative, rng.random(draws) * cumulative[-1], side="right")
        out[b] = max(
            -1.0, 1 - delta2[np.minimum(picked, len(cells) - 1)].sum() / (draws * parts.expected)
        )
    return out


def test_number_of_draws_follows_krippendorff() -> None:
    # Binary example: o_00 = 10, o_11 = 2, o_01 = o_10 = 4 -> Q = 4 non-empty cells;
    # n = 20 pairable values, m = 2 coders: M = min(25 * 4, 20 * (2 - 1) / 2) = 10.
    parts = alpha_parts(ag.as_ratings(BINARY), "nominal")
    assert parts.coincidences.tolist() == [[10, 4], [4, 2]]
    assert bootstrap_draws(parts) == 10
    # Section C: n = 40 pairable values, m = 4 -> n (m - 1) / 2 = 60 < 25 Q.
    assert bootstrap_draws(alpha_parts(ag.as_ratings(C_DATA), "nominal")) == 60


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval"])
def test_distribution_matches_a_step_by_step_implementation(level: str) -> None:
    ours = ag.krippendorff_alpha_bootstrap(C_DATA, level, n_boot=20_000, seed=1)
    parts = alpha_parts(ag.as_ratings(C_DATA), level)
    fast = bootstrap_samples(parts, 20_000, np.random.default_rng(2), bootstrap_draws(parts))
    slow = naive_bootstrap(C_DATA, level, 6_000, seed=3)
    for q in (0.025, 0.25, 0.5, 0.75, 0.975):
        assert np.quantile(fast, q) == pytest.approx(np.quantile(slow, q), abs=0.03)
    assert ours.alpha == pytest.approx(parts.value)
    assert ours.low < ours.alpha < ours.high <= 1.0
    assert ours.low == pytest.approx(np.quantile(slow, 0.025), abs=0.03)
    assert ours.high == pytest.approx(np.quantile(slow, 0.975), abs=0.03)


def test_seed_makes_the_interval_reproducible() -> None:
    first = ag.krippendorff_alpha_bootstrap(C_DATA, "ordinal", n_boot=2000, seed=42)
    again = ag.krippendorff_alpha_bootstrap(C_DATA, "ordinal", n_boot=2000, seed=42)
    assert first == again
    assert first.draws == 60 and first.n_boot == 2000 and first.ci == 0.95


def test_q_is_the_share_of_bootstrapped_alphas_below_each_threshold() -> None:
    result = ag.krippendorff_alpha_bootstrap(
        C_DATA, "nominal", n_boot=5000, seed=5, thresholds=(0.5, 0.667, 0.8, 0.9)
    )
    qs = [result.q[t] for t in (0.5, 0.667, 0.8, 0.9)]
    assert qs == sorted(qs)
    assert 0.0 <= qs[0] < qs[-1] <= 1.0
    # alpha = .743: about half the samples fall short of .800, far fewer of .500
    assert 0.3 < result.q[0.8] < 0.9 and result.q[0.5] < 0.1


def test_perfect_agreement_gives_a_degenerate_interval_at_one() -> None:
    data = [["a", "b", "c", "a", "b", "c"], ["a", "b", "c", "a", "b", "c"]]
    result = ag.krippendorff_alpha_bootstrap(data, n_boot=500, seed=0)
    assert (result.alpha, result.low, result.high) == (1.0, 1.0, 1.0)
    # M = min(25 * 3, 12 * (2 - 1) / 2) = 6 draws over three diagonal cells of 1/3 each.
    # Krippendorff sets round(500 * 3 * (1/3)^6) = 2 samples (no variation) to alpha = 0.
    assert result.draws == 6
    assert result.q[0.8] == 2 / 500


def test_samples_without_variation_count_as_zero() -> None:
    # With M = 2 pairs a sample often lands on the diagonal only. Samples whose two pairs
    # fall in one diagonal cell (probability sum_c p_cc^2) carry no variation and are set
    # to 0; samples on two different diagonal cells keep alpha = 1.
    parts = alpha_parts(ag.as_ratings(C_DATA), "nominal")
    diagonal = np.diag(parts.coincidences) / parts.pairable_values
    samples = bootstrap_samples(parts, 40_000, np.random.default_rng(9), draws=2)
    all_diagonal = diagonal.sum() ** 2
    one_cell = (diagonal**2).sum()
    assert (samples == 1.0).mean() == pytest.approx(all_diagonal - one_cell, abs=0.01)
    assert samples.min() >= -1.0


def test_bootstrap_of_undefined_alpha_raises() -> None:
    with pytest.raises(ag.NotComputable):
        ag.krippendorff_alpha_bootstrap([["a", "a", "a"], ["a", "a", "a"]], n_boot=100)


def test_uncapped_draws_give_an_interval_that_shrinks_with_the_data() -> None:
    # 3,000 units of a rare present/absent code: Krippendorff's cap allows 25 * 4 = 100 pairs
    # per sample whatever the size; without it all n (m - 1) / 2 = 3,000 pairs are drawn and
    # the interval agrees with Cohen's asymptotic one (alpha ~ kappa with two coders).
    rng = np.random.default_rng(4)
    truth = rng.random(3000) < 0.05
    coders = [np.where(rng.random(3000) < 0.97, truth, ~truth).astype(int) for _ in range(2)]
    capped = ag.krippendorff_alpha_bootstrap(coders, n_boot=4000, seed=1)
    uncapped = ag.krippendorff_alpha_bootstrap(coders, n_boot=4000, seed=1, cap_draws=False)
    cohen = ag.cohen_kappa_se(coders)
    assert capped.draws == 100 and uncapped.draws == 3000
    assert uncapped.low == pytest.approx(cohen.low, abs=0.02)
    assert uncapped.high == pytest.approx(cohen.high, abs=0.02)
    assert capped.high - capped.low > 2 * (uncapped.high - uncapped.low)
