"""Random reliability data against independent libraries: krippendorff and scikit-learn."""

from __future__ import annotations

import math
import warnings

import krippendorff
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from qualcode import agreement as ag

Matrix = np.ndarray


@st.composite
def reliability_data(draw: st.DrawFn, max_coders: int = 6) -> Matrix:
    coders = draw(st.integers(2, max_coders))
    units = draw(st.integers(2, 40))
    categories = draw(st.integers(2, 6))
    missing = draw(st.sampled_from([0.0, 0.1, 0.4]))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    truth = rng.integers(1, categories + 1, size=units)
    noise = rng.integers(1, categories + 1, size=(coders, units))
    data = np.where(rng.random((coders, units)) < 0.6, truth, noise).astype(float)
    data[rng.random(data.shape) < missing] = np.nan
    return data


def pairable_units(data: Matrix) -> int:
    return int(((~np.isnan(data)).sum(axis=0) >= 2).sum())


def reference_alpha(data: Matrix, level: str) -> float | None:
    """The krippendorff package's alpha, or None when it finds alpha undefined."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = float(krippendorff.alpha(reliability_data=data, level_of_measurement=level))
    except (ValueError, ZeroDivisionError):
        return None
    return None if math.isnan(value) else value


LEVEL_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
@LEVEL_SETTINGS
@given(data=reliability_data())
def test_alpha_matches_the_krippendorff_package(level: str, data: Matrix) -> None:
    expected = reference_alpha(data, level)
    if pairable_units(data) < 2 or expected is None:
        with pytest.raises(ag.NotComputable):
            ag.krippendorff_alpha(data, level)
        return
    rows = [[None if math.isnan(v) else int(v) for v in row] for row in data]
    assert ag.krippendorff_alpha(data, level) == pytest.approx(expected, abs=1e-9)
    assert ag.krippendorff_alpha(rows, level) == pytest.approx(expected, abs=1e-9)


@settings(max_examples=25, deadline=None)
@given(data=reliability_data(max_coders=14))
def test_alpha_with_many_coders_matches_the_krippendorff_package(data: Matrix) -> None:
    expected = reference_alpha(data, "nominal")
    if pairable_units(data) < 2 or expected is None:
        return
    assert ag.krippendorff_alpha(data) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("weights", [None, "linear", "quadratic"])
@settings(max_examples=60, deadline=None)
@given(data=reliability_data(max_coders=2))
def test_cohen_kappa_matches_scikit_learn(weights: str | None, data: Matrix) -> None:
    both = ~np.isnan(data).any(axis=0)
    a, b = data[0, both].astype(int), data[1, both].astype(int)
    if len(a) < 2 or len(set(a) | set(b)) < 2:
        with pytest.raises(ag.NotComputable):
            ag.cohen_kappa(data, weights)  # type: ignore[arg-type]
        return
    expected = cohen_kappa_score(a, b, weights=weights)
    assert ag.cohen_kappa(data, weights) == pytest.approx(expected, abs=1e-9)  # type: ignore[arg-type]


def test_large_random_data_matches_both_libraries() -> None:
    rng = np.random.default_rng(11)
    truth = rng.integers(0, 7, size=3000)
    data = np.where(rng.random((3, 3000)) < 0.7, truth, rng.integers(0, 7, size=(3, 3000)))
    data = data.astype(float)
    data[rng.random(data.shape) < 0.1] = np.nan
    for level in ("nominal", "ordinal", "interval"):
        expected = krippendorff.alpha(reliability_data=data, level_of_measurement=level)
        assert ag.krippendorff_alpha(data, level) == pytest.approx(expected, abs=1e-9)
    pair = data[:2, ~np.isnan(data[:2]).any(axis=0)].astype(int)
    for weights in (None, "linear", "quadratic"):
        expected = cohen_kappa_score(pair[0], pair[1], weights=weights)
        assert ag.cohen_kappa(data[:2], weights) == pytest.approx(expected, abs=1e-9)  # type: ignore[arg-type]
