"""Alpha's bootstrap: each sample is alpha of resampled units (checked against the krippendorff
package), the BCa interval, clusters, and what must not change the interval."""

from __future__ import annotations

from typing import Any

import krippendorff
import numpy as np
import pytest

from qualcode import agreement as ag
from qualcode.agreement.alpha import alpha_parts
from qualcode.agreement.bootstrap import (
    acceleration,
    bca_interval,
    bootstrap_samples,
    resampling_items,
)
from qualcode.errors import QualcodeError

# Krippendorff (2011), section C: 4 observers, 12 units, one unit rated once.
C_DATA: list[list[Any]] = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]
C_ARRAY = np.array([[np.nan if v is None else v for v in row] for row in C_DATA])
PAIRABLE = C_ARRAY[:, :11]  # unit 12 is rated once


def items_of(data: Any, level: str, clusters: Any = None) -> Any:
    ratings = ag.as_ratings(data)
    parts = alpha_parts(ratings, level)
    delta2 = parts.delta2 if level != "ordinal" else np.zeros_like(parts.delta2)
    return resampling_items(ratings, level, delta2, clusters)


def kripp(data: np.ndarray, level: str) -> float:
    try:
        return float(krippendorff.alpha(reliability_data=data, level_of_measurement=level))
    except (ValueError, ZeroDivisionError):
        return 0.0


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval"])
def test_samples_follow_a_naive_unit_bootstrap_with_the_krippendorff_package(level: str) -> None:
    rng = np.random.default_rng(3)
    naive = []
    for _ in range(2000):
        picked = PAIRABLE[:, rng.integers(0, 11, size=11)]
        value = kripp(picked, level)
        naive.append(0.0 if np.isnan(value) else value)
    fast = bootstrap_samples(items_of(C_DATA, level), 20_000, np.random.default_rng(4))
    for q in (0.05, 0.25, 0.5, 0.75, 0.95):
        assert np.quantile(fast, q) == pytest.approx(np.quantile(naive, q), abs=0.03)


def test_items_add_up_to_alpha_and_the_jackknife_matches_the_krippendorff_package() -> None:
    for level in ("nominal", "ordinal", "interval", "ratio"):
        items = items_of(C_DATA, level)
        whole = items.alphas((items.counts @ items.features)[None, :])[0]
        assert whole == pytest.approx(ag.krippendorff_alpha(C_DATA, level), abs=1e-12)
        # Efron's acceleration: a = sum (mean - theta_i)^3 / (6 (sum (mean - theta_i)^2)^1.5)
        # over the 11 leave-one-unit-out alphas
        theta = np.array([kripp(np.delete(PAIRABLE, i, axis=1), level) for i in range(11)])
        spread = theta.mean() - theta
        expected = (spread**3).sum() / (6 * ((spread**2).sum()) ** 1.5)
        assert acceleration(items) == pytest.approx(expected, abs=1e-10)


def test_bca_without_bias_or_acceleration_is_the_percentile_interval() -> None:
    samples = np.linspace(-1.0, 1.0, 2001)
    low, high = bca_interval(samples, 0.0, 0.0, 0.95)
    assert (low, high) == pytest.approx(tuple(np.quantile(samples, [0.025, 0.975])))
    # half the samples below a higher estimate: z0 > 0 moves both ends up
    shifted = bca_interval(samples, 0.3, 0.0, 0.95)
    assert shifted[0] > low and shifted[1] > high


def test_clusters_resample_whole_groups() -> None:
    # Each unit repeated 20 times, as the characters of a passage: resampled as units the
    # interval shrinks as if there were 220 independent units; resampled by passage it is
    # the interval of the 11 passages.
    repeated = np.repeat(PAIRABLE, 20, axis=1)
    passage = np.repeat(np.arange(11), 20)
    as_units = ag.krippendorff_alpha_bootstrap(repeated)
    by_passage = ag.krippendorff_alpha_bootstrap(repeated, clusters=passage.tolist())
    plain = ag.krippendorff_alpha_bootstrap(PAIRABLE)
    assert as_units.alpha == by_passage.alpha  # .737: alpha's small-sample term moves
    assert by_passage.resampled == 11 and as_units.resampled == 220
    width = plain.high - plain.low
    assert by_passage.high - by_passage.low == pytest.approx(width, rel=0.1)
    assert as_units.high - as_units.low < 0.5 * width


def test_a_coder_who_rated_nothing_and_lone_units_change_nothing() -> None:
    base = ag.krippendorff_alpha_bootstrap(C_DATA)
    extra_coder = ag.krippendorff_alpha_bootstrap([*C_DATA, [None] * 12])
    assert (extra_coder.alpha, extra_coder.low, extra_coder.high) == (
        base.alpha,
        base.low,
        base.high,
    )
    without_lone_unit = ag.krippendorff_alpha_bootstrap(PAIRABLE)
    assert (without_lone_unit.low, without_lone_unit.high) == (base.low, base.high)
    assert base.resampled == 11


def test_weights_count_units_and_collapsed_data_give_the_same_interval() -> None:
    doubled = ag.krippendorff_alpha_bootstrap(np.concatenate([PAIRABLE, PAIRABLE], axis=1))
    weighted = ag.krippendorff_alpha_bootstrap(PAIRABLE, unit_weights=[2] * 11)
    assert (weighted.alpha, weighted.low, weighted.high) == pytest.approx(
        (doubled.alpha, doubled.low, doubled.high), abs=1e-12
    )
    with pytest.raises(QualcodeError, match="whole numbers"):
        ag.krippendorff_alpha_bootstrap(PAIRABLE, unit_weights=[0.5] * 11)


def test_defaults_seed_and_thresholds() -> None:
    first = ag.krippendorff_alpha_bootstrap(C_DATA, "ordinal")
    assert first == ag.krippendorff_alpha_bootstrap(C_DATA, "ordinal", n_boot=5000, seed=0)
    assert first.n_boot == 5000 and first.ci == 0.95 and "BCa" in first.method
    assert first.low < first.alpha < first.high <= 1.0
    result = ag.krippendorff_alpha_bootstrap(C_DATA, thresholds=(0.5, 0.667, 0.8, 0.9))
    qs = [result.q[t] for t in (0.5, 0.667, 0.8, 0.9)]
    assert qs == sorted(qs) and 0.0 <= qs[0] < qs[-1] <= 1.0


def test_perfect_agreement_gives_a_zero_width_interval_from_the_function() -> None:
    # Every resample of perfectly agreeing units agrees perfectly (or has one category and
    # counts as 0): the function returns what the samples say; the report does not show it.
    data = [["a", "b", "c"] * 4, ["a", "b", "c"] * 4]
    result = ag.krippendorff_alpha_bootstrap(data, n_boot=500)
    assert (result.alpha, result.low, result.high) == (1.0, 1.0, 1.0)


def test_undefined_alpha_and_bad_clusters_raise() -> None:
    with pytest.raises(ag.NotComputable):
        ag.krippendorff_alpha_bootstrap([["a", "a", "a"], ["a", "a", "a"]], n_boot=100)
    with pytest.raises(QualcodeError, match="cluster labels"):
        ag.krippendorff_alpha_bootstrap(C_DATA, clusters=[1, 2])
    with pytest.raises(ag.NotComputable, match="two clusters"):
        ag.krippendorff_alpha_bootstrap(C_DATA, clusters=["one"] * 12)
