"""Observed agreement and the chance correction shared by the kappa-type coefficients."""

from __future__ import annotations

import numpy as np

from qualcode.agreement.errors import NotComputable
from qualcode.agreement.matrix import FloatArray, Tally

CHANCE_EPS = 1e-12


def observed_agreement(tally: Tally) -> float:
    """Gwet's raw agreement: mean over units rated by two coders or more of the share of
    agreeing coder pairs, sum_k r_uk (r_uk - 1) / (r_u (r_u - 1)).

    With two coders it is the share of jointly rated units on which they agree.
    """
    pairable = tally.pairable
    n2 = float(tally.weights[pairable].sum())
    if n2 < 2:
        raise NotComputable(
            f"fewer than two units were rated by two coders or more ({n2:g}); agreement needs two"
        )
    r = tally.raters[pairable]
    share = tally.agree[pairable] / (r * (r - 1.0))
    return float((tally.weights[pairable] * share).sum() / n2)


def per_unit_agreement(tally: Tally) -> FloatArray:
    """The share of agreeing pairs for each unit (0 for units rated once)."""
    r = tally.raters
    denom = np.where(r >= 2, r * (r - 1.0), 1.0)
    return np.where(r >= 2, tally.agree / denom, 0.0)


def chance_corrected(observed: float, chance: float, name: str) -> float:
    """(p_o - p_e) / (1 - p_e), or NotComputable when chance agreement is 1 (0/0)."""
    if abs(1.0 - chance) <= CHANCE_EPS:
        raise NotComputable(
            f"{name} is undefined (0/0): chance agreement is 1 because every coder used "
            "one and the same category"
        )
    return (observed - chance) / (1.0 - chance)


def check_categories(observed: int, declared: int | None, name: str) -> int:
    """The number of categories q for Brennan-Prediger and Gwet's AC1."""
    q = observed if declared is None else int(declared)
    if q < observed:
        raise NotComputable(f"{name}: {observed} categories occur but n_categories is {q}")
    if q < 2:
        raise NotComputable(f"{name} needs at least two possible categories; there is {q}")
    return q
