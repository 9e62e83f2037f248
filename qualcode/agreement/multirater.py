"""Fleiss' kappa, Conger's kappa and Gwet's AC1 for any number of coders, missing ratings allowed.

Formulas as in Gwet, *Handbook of Inter-Rater Reliability* (4th ed., 2014) and his irrCAC
package: observed agreement p_a over the units rated by two coders or more; chance agreement
from category shares pi_k = (1/n) sum_u r_uk / r_u over every unit rated at least once.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from qualcode.agreement.errors import NotComputable
from qualcode.agreement.matrix import FloatArray, Ratings, Tally, as_ratings
from qualcode.agreement.observed import chance_corrected, check_categories, observed_agreement
from qualcode.agreement.pairwise import UnitWeights


def category_shares(tally: Tally) -> FloatArray:
    """pi_k: the mean over rated units of the share of a unit's ratings in category k."""
    n = float(tally.weights.sum())
    if n <= 0:
        raise NotComputable("no unit was rated")
    return tally.category_sums(tally.weights / tally.raters) / n


def fleiss_parts(tally: Tally) -> tuple[float, float, FloatArray]:
    """(p_a, p_e, pi) of Fleiss' kappa; p_e = sum_k pi_k^2."""
    observed = observed_agreement(tally)
    shares = category_shares(tally)
    return observed, float((shares**2).sum()), shares


def gwet_parts(tally: Tally, q: int) -> tuple[float, float, FloatArray]:
    """(p_a, p_e, pi) of Gwet's AC1; p_e = sum_k pi_k (1 - pi_k) / (q - 1)."""
    observed = observed_agreement(tally)
    shares = category_shares(tally)
    return observed, float((shares * (1.0 - shares)).sum() / (q - 1)), shares


def fleiss_kappa(data: Any, *, unit_weights: UnitWeights = None) -> float:
    """Fleiss' kappa (Fleiss 1971, with Gwet's handling of missing ratings)."""
    observed, chance, _ = fleiss_parts(Tally.from_ratings(as_ratings(data, unit_weights)))
    return chance_corrected(observed, chance, "Fleiss' kappa")


def fleiss_kappa_from_counts(subject_by_category_counts: Any) -> float:
    """Fleiss' kappa from a subjects x categories table of how many coders chose each category.

    The number of coders may differ between subjects.
    """
    tally = Tally.from_counts(subject_by_category_counts)
    observed, chance, _ = fleiss_parts(tally)
    return chance_corrected(observed, chance, "Fleiss' kappa")


def gwet_ac1(
    data: Any, *, n_categories: int | None = None, unit_weights: UnitWeights = None
) -> float:
    """Gwet's AC1. q is the number of categories that occur, or ``n_categories`` if given."""
    ratings = as_ratings(data, unit_weights)
    q = check_categories(ratings.n_categories, n_categories, "Gwet's AC1")
    observed, chance, _ = gwet_parts(Tally.from_ratings(ratings), q)
    return chance_corrected(observed, chance, "Gwet's AC1")


def conger_chance(ratings: Ratings) -> float:
    """Conger's chance agreement: sum_k (mean_g p_gk^2 - s2_k / r) where p_gk is the share of
    coder g's ratings in category k and s2_k their variance across the r coders."""
    shares = []
    for row in ratings.codes:
        valid = row >= 0
        total = float(ratings.weights[valid].sum())
        if total > 0:
            counts = np.bincount(
                row[valid], weights=ratings.weights[valid], minlength=ratings.n_categories
            )
            shares.append(counts / total)
    if len(shares) < 2:
        raise NotComputable("Conger's kappa needs at least two coders who rated something")
    p = np.asarray(shares)
    mean = p.mean(axis=0)
    variance = p.var(axis=0, ddof=1)
    return float((mean**2 - variance / p.shape[0]).sum())


def conger_kappa(data: Any, *, unit_weights: UnitWeights = None) -> float:
    """Conger's kappa (1980): Fleiss' observed agreement, chance from each coder's own shares.

    Coders who rated no unit at all are left out of the chance term.
    """
    ratings = as_ratings(data, unit_weights)
    observed = observed_agreement(Tally.from_ratings(ratings))
    return chance_corrected(observed, conger_chance(ratings), "Conger's kappa")
