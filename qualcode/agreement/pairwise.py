"""Percent agreement, Cohen's kappa (plain and weighted), Scott's pi, Brennan-Prediger.

Cohen's kappa and Scott's pi compare exactly two coders over the units both rated (listwise
deletion). Percent agreement and Brennan-Prediger take any number of coders with Gwet's
multi-rater observed agreement (mean share of agreeing coder pairs per unit).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np

from qualcode.agreement.errors import NotComputable
from qualcode.agreement.matrix import FloatArray, Ratings, Tally, as_ratings
from qualcode.agreement.observed import chance_corrected, check_categories, observed_agreement
from qualcode.errors import QualcodeError

KappaWeights = Literal["linear", "quadratic"] | None
UnitWeights = Sequence[float] | FloatArray | None


def percent_agreement(data: Any, *, unit_weights: UnitWeights = None) -> float:
    """Share of agreeing coder pairs, averaged over units rated by two coders or more.

    For two coders: the proportion of jointly rated units on which they agree. For more:
    Gwet's raw agreement (mean pairwise agreement per unit).
    """
    return observed_agreement(Tally.from_ratings(as_ratings(data, unit_weights)))


def agreement_weights(n_categories: int, weights: KappaWeights) -> FloatArray:
    """Agreement weights w_ij on category ranks: identity, linear or quadratic."""
    if weights not in (None, "linear", "quadratic"):
        raise QualcodeError(f"unknown kappa weights {weights!r}; use linear or quadratic")
    k = n_categories
    if weights is None or k < 2:
        return np.eye(k, dtype=np.float64)
    ranks = np.arange(k, dtype=np.float64)
    distance = np.abs(ranks[:, None] - ranks[None, :]) / (k - 1)
    return 1.0 - (distance if weights == "linear" else distance**2)


def contingency_table(
    data: Any,
    *,
    unit_weights: UnitWeights = None,
    name: str = "Cohen's kappa",
    categories: Sequence[Any] | None = None,
) -> tuple[FloatArray, tuple[Any, ...]]:
    """Coder 1 x coder 2 counts over the units both rated, and the categories in rank order.

    Without ``categories`` only the categories that occur in those units are kept, in sorted
    order (numeric order for numbers), like scikit-learn. ``categories`` gives the whole
    scale in its order, unused points included (scikit-learn's ``labels``): weighted kappa
    scores a category by its position on that scale.
    """
    ratings = as_ratings(data, unit_weights, categories=categories)
    if ratings.n_coders != 2:
        raise NotComputable(
            f"{name} compares exactly two coders, not {ratings.n_coders}; "
            "use fleiss_kappa, conger_kappa or krippendorff_alpha"
        )
    return _paired_table(ratings, keep_all=categories is not None)


def _paired_table(ratings: Ratings, *, keep_all: bool) -> tuple[FloatArray, tuple[Any, ...]]:
    first, second = ratings.codes[0], ratings.codes[1]
    both = (first >= 0) & (second >= 0)
    a, b = first[both], second[both]
    used = np.arange(ratings.n_categories) if keep_all else np.union1d(a, b)
    rank = np.full(max(ratings.n_categories, 1), -1, dtype=np.intp)
    rank[used] = np.arange(len(used))
    k = len(used)
    flat: FloatArray = np.bincount(
        rank[a] * k + rank[b], weights=ratings.weights[both], minlength=k * k
    ).astype(np.float64)
    return flat.reshape(k, k), tuple(ratings.categories[i] for i in used)


def check_table(table: Any) -> FloatArray:
    arr = np.asarray(table, dtype=np.float64)
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1]:
        raise QualcodeError(f"a contingency table must be square, not of shape {arr.shape}")
    if not np.all(np.isfinite(arr)) or bool((arr < 0).any()):
        raise QualcodeError("contingency table counts must be finite and not negative")
    return arr


def table_proportions(table: FloatArray, name: str) -> tuple[float, FloatArray]:
    n = float(table.sum())
    if n < 2:
        raise NotComputable(f"{name} needs at least two units rated by both coders ({n:g})")
    return n, table / n


def kappa_parts(table: FloatArray, weights: KappaWeights) -> tuple[float, float, FloatArray]:
    """(p_o, p_e, agreement weights) of Cohen's kappa for a contingency table."""
    _, p = table_proportions(table, "Cohen's kappa")
    w = agreement_weights(table.shape[0], weights)
    observed = float((w * p).sum())
    chance = float((w * np.outer(p.sum(axis=1), p.sum(axis=0))).sum())
    return observed, chance, w


def cohen_kappa_from_table(table: Any, weights: KappaWeights = None) -> float:
    """Cohen's kappa from a contingency table (rows: coder 1, columns: coder 2).

    ``weights``: None, "linear" (Cicchetti-Allison) or "quadratic" (Fleiss-Cohen), on the
    categories' positions in the table.
    """
    observed, chance, _ = kappa_parts(check_table(table), weights)
    return chance_corrected(observed, chance, "Cohen's kappa")


def cohen_kappa(
    data: Any,
    weights: KappaWeights = None,
    *,
    categories: Sequence[Any] | None = None,
    unit_weights: UnitWeights = None,
) -> float:
    """Cohen's kappa for two coders over the units both rated (see cohen_kappa_from_table).

    ``categories``: the scale in its order, unused points included; the weights of a weighted
    kappa then follow the positions on that scale (see contingency_table).
    """
    table, _ = contingency_table(data, unit_weights=unit_weights, categories=categories)
    return cohen_kappa_from_table(table, weights)


def scott_pi(data: Any, *, unit_weights: UnitWeights = None) -> float:
    """Scott's pi for two coders: chance agreement from the pooled category shares."""
    table, _ = contingency_table(data, unit_weights=unit_weights, name="Scott's pi")
    _, p = table_proportions(table, "Scott's pi")
    pooled = (p.sum(axis=0) + p.sum(axis=1)) / 2.0
    return chance_corrected(float(np.trace(p)), float((pooled**2).sum()), "Scott's pi")


def brennan_prediger(
    data: Any, *, n_categories: int | None = None, unit_weights: UnitWeights = None
) -> float:
    """Brennan and Prediger's coefficient: chance agreement 1/q for q categories.

    q is the number of categories that occur unless ``n_categories`` gives the number of
    possible categories. Any number of coders (Gwet's multi-rater observed agreement).
    """
    ratings = as_ratings(data, unit_weights)
    q = check_categories(ratings.n_categories, n_categories, "Brennan-Prediger")
    observed = observed_agreement(Tally.from_ratings(ratings))
    return chance_corrected(observed, 1.0 / q, "Brennan-Prediger")
