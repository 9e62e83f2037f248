"""Standard errors and confidence intervals of the kappa-type coefficients.

* Cohen's kappa (plain or weighted): the large-sample variance of Fleiss, Cohen and Everitt
  (1969), the ASE that SAS PROC FREQ prints, plus the variance under the null hypothesis
  kappa = 0 (``se_null``, for a test of no agreement beyond chance).
* Fleiss' kappa, Gwet's AC1 and Brennan-Prediger: Gwet's linearised variance (Gwet 2008,
  *Handbook of Inter-Rater Reliability* 4th ed., as in his irrCAC package) with no finite
  population correction; it allows missing ratings and a varying number of coders per unit.

Intervals are value +/- z * se with the normal quantile z (irrCAC uses Student's t with n - 1
degrees of freedom, slightly wider for small n), clipped to [-1, 1]. Krippendorff's alpha gets
a bootstrap interval instead (see bootstrap.py).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any

import numpy as np

from qualcode.agreement.errors import NotComputable
from qualcode.agreement.matrix import FloatArray, Tally, as_ratings
from qualcode.agreement.multirater import fleiss_parts, gwet_parts
from qualcode.agreement.observed import (
    chance_corrected,
    check_categories,
    observed_agreement,
    per_unit_agreement,
)
from qualcode.agreement.pairwise import (
    KappaWeights,
    UnitWeights,
    check_table,
    contingency_table,
    kappa_parts,
)
from qualcode.errors import QualcodeError


@dataclass(frozen=True)
class Estimate:
    """A coefficient with its standard error and a two-sided confidence interval."""

    value: float
    se: float
    low: float
    high: float
    ci: float
    method: str
    se_null: float | None = None


def check_ci(ci: float) -> float:
    if not 0.0 < ci < 1.0:
        raise QualcodeError(f"the confidence level must lie between 0 and 1, not {ci}")
    return ci


def make_estimate(
    value: float, se: float, ci: float, method: str, se_null: float | None = None
) -> Estimate:
    z = NormalDist().inv_cdf(0.5 + check_ci(ci) / 2.0)
    return Estimate(
        value=value,
        se=se,
        low=max(-1.0, value - z * se),
        high=min(1.0, value + z * se),
        ci=ci,
        method=method,
        se_null=se_null,
    )


COHEN_METHOD = "Fleiss, Cohen & Everitt (1969) large-sample variance"


def cohen_kappa_se_from_table(
    table: Any, weights: KappaWeights = None, *, ci: float = 0.95
) -> Estimate:
    """Cohen's kappa with the Fleiss-Cohen-Everitt (1969) standard error."""
    arr = check_table(table)
    observed, chance, w = kappa_parts(arr, weights)
    kappa = chance_corrected(observed, chance, "Cohen's kappa")
    n = float(arr.sum())
    p = arr / n
    rows, cols = p.sum(axis=1), p.sum(axis=0)
    row_mean = w @ cols  # w-bar_i. = sum_j p_.j w_ij
    col_mean = w.T @ rows  # w-bar_.j = sum_i p_i. w_ij
    spread = row_mean[:, None] + col_mean[None, :]
    scale = n * (1.0 - chance) ** 2
    big = float((p * (w - spread * (1.0 - kappa)) ** 2).sum())
    var = (big - (kappa - chance * (1.0 - kappa)) ** 2) / scale
    null = (float((np.outer(rows, cols) * (w - spread) ** 2).sum()) - chance**2) / scale
    return make_estimate(
        kappa, math.sqrt(max(var, 0.0)), ci, COHEN_METHOD, se_null=math.sqrt(max(null, 0.0))
    )


def cohen_kappa_se(
    data: Any,
    weights: KappaWeights = None,
    *,
    ci: float = 0.95,
    categories: Sequence[Any] | None = None,
    unit_weights: UnitWeights = None,
) -> Estimate:
    """Cohen's kappa of two coders with its standard error (see cohen_kappa_se_from_table)."""
    table, _ = contingency_table(data, unit_weights=unit_weights, categories=categories)
    return cohen_kappa_se_from_table(table, weights, ci=ci)


def gwet_variance(tally: Tally, value: float, chance: float, chance_per_unit: FloatArray) -> float:
    """Gwet's linearised variance of a coefficient (p_a - p_e) / (1 - p_e).

    kappa_u = (n / n2) (p_a|u - p_e [r_u >= 2]) / (1 - p_e), corrected for the estimated chance
    agreement: kappa*_u = kappa_u - 2 (1 - kappa) (p_e|u - p_e) / (1 - p_e);
    var = sum_u (kappa*_u - kappa)^2 / (n (n - 1)).
    """
    w = tally.weights
    n = float(w.sum())
    n2 = float(w[tally.pairable].sum())
    if n < 2 or n2 <= 0:
        raise NotComputable("a standard error needs at least two rated units")
    unit_value = (n / n2) * (per_unit_agreement(tally) - chance * tally.pairable) / (1.0 - chance)
    corrected = unit_value - 2.0 * (1.0 - value) * (chance_per_unit - chance) / (1.0 - chance)
    return float((w * (corrected - value) ** 2).sum()) / (n * (n - 1.0))


GWET_METHOD = "Gwet's linearised variance (irrCAC), no finite-population correction"


def _fleiss_estimate(tally: Tally, ci: float) -> Estimate:
    observed, chance, shares = fleiss_parts(tally)
    kappa = chance_corrected(observed, chance, "Fleiss' kappa")
    per_unit = tally.dot(shares) / tally.raters
    var = gwet_variance(tally, kappa, chance, per_unit)
    return make_estimate(kappa, math.sqrt(max(var, 0.0)), ci, GWET_METHOD)


def fleiss_kappa_se(data: Any, *, ci: float = 0.95, unit_weights: UnitWeights = None) -> Estimate:
    """Fleiss' kappa with Gwet's standard error (missing ratings allowed)."""
    return _fleiss_estimate(Tally.from_ratings(as_ratings(data, unit_weights)), ci)


def fleiss_kappa_se_from_counts(subject_by_category_counts: Any, *, ci: float = 0.95) -> Estimate:
    """Fleiss' kappa with Gwet's standard error from subject x category counts."""
    return _fleiss_estimate(Tally.from_counts(subject_by_category_counts), ci)


def gwet_ac1_se(
    data: Any,
    *,
    n_categories: int | None = None,
    ci: float = 0.95,
    unit_weights: UnitWeights = None,
) -> Estimate:
    """Gwet's AC1 with Gwet's standard error."""
    ratings = as_ratings(data, unit_weights)
    q = check_categories(ratings.n_categories, n_categories, "Gwet's AC1")
    tally = Tally.from_ratings(ratings)
    observed, chance, shares = gwet_parts(tally, q)
    ac1 = chance_corrected(observed, chance, "Gwet's AC1")
    per_unit = tally.dot(1.0 - shares) / ((q - 1) * tally.raters)
    var = gwet_variance(tally, ac1, chance, per_unit)
    return make_estimate(ac1, math.sqrt(max(var, 0.0)), ci, GWET_METHOD)


def brennan_prediger_se(
    data: Any,
    *,
    n_categories: int | None = None,
    ci: float = 0.95,
    unit_weights: UnitWeights = None,
) -> Estimate:
    """Brennan-Prediger with Gwet's standard error (its chance term is fixed at 1/q)."""
    ratings = as_ratings(data, unit_weights)
    q = check_categories(ratings.n_categories, n_categories, "Brennan-Prediger")
    tally = Tally.from_ratings(ratings)
    chance = 1.0 / q
    value = chance_corrected(observed_agreement(tally), chance, "Brennan-Prediger")
    per_unit = np.full(tally.raters.shape, chance)
    var = gwet_variance(tally, value, chance, per_unit)
    return make_estimate(value, math.sqrt(max(var, 0.0)), ci, GWET_METHOD)
