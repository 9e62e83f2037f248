"""Krippendorff's alpha from a coincidence matrix (Krippendorff 2011, *Computing Krippendorff's
Alpha-Reliability*).

alpha = 1 - D_o / D_e with D_o = sum_ck o_ck delta2_ck / n and
D_e = sum_ck n_c n_k delta2_ck / (n (n - 1)), where o is the coincidence matrix of the pairable
values (units rated by fewer than two coders are ignored), n_c its marginals and n their total.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args

import numpy as np

from qualcode.agreement.errors import NotComputable
from qualcode.agreement.matrix import FloatArray, Ratings, as_ratings, coincidences, is_numeric
from qualcode.agreement.pairwise import UnitWeights
from qualcode.errors import QualcodeError

Level = Literal["nominal", "ordinal", "interval", "ratio"]
LEVELS: tuple[str, ...] = get_args(Level)


@dataclass(frozen=True)
class AlphaParts:
    """Everything alpha is made of."""

    value: float
    coincidences: FloatArray
    delta2: FloatArray
    pairable_values: float
    observed: float  # D_o: mean disagreement per pairable value
    expected: float  # D_e: mean disagreement of a random pair of pairable values
    n_coders: int


def distances(level: str, categories: tuple[Any, ...], marginals: FloatArray) -> FloatArray:
    """The squared difference delta2[c, k] of Krippendorff's metrics.

    Ordinal differences use the coincidence marginals n_g of the categories in rank order:
    (sum_{g=c..k} n_g - (n_c + n_k) / 2)^2.
    """
    k = len(categories)
    if level == "nominal":
        return 1.0 - np.eye(k)
    if level == "ordinal":
        return ordinal_distances(marginals)
    if not is_numeric(categories):
        raise QualcodeError(f"the {level} level needs numeric ratings")
    values = np.asarray(categories, dtype=np.float64)
    diff = values[:, None] - values[None, :]
    if level == "interval":
        return np.asarray(diff**2)
    if bool((values < 0).any()):
        raise QualcodeError("the ratio level needs ratings of zero or more")
    total = values[:, None] + values[None, :]
    safe = np.where(total == 0, 1.0, total)
    return np.asarray(np.where(total == 0, 0.0, (diff / safe) ** 2))


def ordinal_distances(marginals: FloatArray) -> FloatArray:
    """Ordinal delta2 from marginals of shape (..., k) (a batch of samples at once)."""
    k = marginals.shape[-1]
    cum = np.cumsum(marginals, axis=-1)
    idx = np.arange(k)
    lo = np.minimum(idx[:, None], idx[None, :])
    hi = np.maximum(idx[:, None], idx[None, :])
    between = cum[..., hi] - cum[..., lo] + marginals[..., lo]
    ends = marginals[..., :, None] + marginals[..., None, :]
    return np.asarray((between - ends / 2.0) ** 2, dtype=np.float64)


def check_level(level: str) -> None:
    if level not in LEVELS:
        raise QualcodeError(f"unknown level {level!r}; use one of {', '.join(LEVELS)}")


def alpha_parts(ratings: Ratings, level: str = "nominal") -> AlphaParts:
    check_level(level)
    pairable_units = ratings.pairable_weight()
    if pairable_units < 2:
        raise NotComputable(
            f"Krippendorff's alpha needs at least two units coded by two coders or more "
            f"(found {pairable_units:g})"
        )
    o = coincidences(ratings)
    n = float(o.sum())
    marginals = o.sum(axis=0)
    delta2 = distances(level, ratings.categories, marginals)
    expected = float((np.outer(marginals, marginals) * delta2).sum()) / (n * (n - 1.0))
    if expected <= 0.0:
        raise NotComputable(
            "Krippendorff's alpha is undefined (0/0): all pairable values are the same category"
        )
    observed = float((o * delta2).sum()) / n
    return AlphaParts(
        value=1.0 - observed / expected,
        coincidences=o,
        delta2=delta2,
        pairable_values=n,
        observed=observed,
        expected=expected,
        n_coders=ratings.n_coders,
    )


def krippendorff_alpha(
    data: Any,
    level: str = "nominal",
    *,
    categories: Sequence[Any] | None = None,
    unit_weights: UnitWeights = None,
) -> float:
    """Krippendorff's alpha for any number of coders, with missing ratings.

    ``level``: "nominal", "ordinal" (ranks of the categories), "interval" or "ratio" (numeric
    ratings). ``categories`` gives the scale in its order, e.g. ["very low", "low", "high",
    "very high"]; without it the categories that occur are sorted (numbers numerically,
    words alphabetically, which is rarely the order of a worded scale). Units coded by fewer
    than two coders are ignored. Raises NotComputable when fewer than two units are pairable
    or all pairable values are one category (0/0).
    """
    return alpha_parts(as_ratings(data, unit_weights, categories=categories), level).value
