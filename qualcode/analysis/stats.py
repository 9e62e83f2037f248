"""Descriptive statistics of one number per participant."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

QUARTILE_METHOD = (
    "linear interpolation between order statistics (Hyndman & Fan type 7, "
    "the pandas/numpy/R default)"
)
STAT_COLUMNS = ["n", "missing", "mean", "sd", "median", "min", "q1", "q3", "max"]

Stat = int | float | None


def _clean(value: Any) -> float | None:
    number = float(value)
    return None if math.isnan(number) else number


def describe(values: Sequence[float], missing: int) -> dict[str, Stat]:
    """n, missing, mean, sample standard deviation (ddof=1), median, min, quartiles, max.

    Statistics that need more values than there are are None (sd needs two).
    """
    import pandas as pd  # loaded here: the command line imports this module for its names

    series = pd.Series(list(values), dtype="float64")
    n = int(series.count())
    out: dict[str, Stat] = {"n": n, "missing": int(missing)}
    if n == 0:
        out.update(dict.fromkeys(STAT_COLUMNS[2:]))
        return out
    out.update(
        {
            "mean": _clean(series.mean()),
            "sd": _clean(series.std(ddof=1)) if n > 1 else None,
            "median": _clean(series.median()),
            "min": _clean(series.min()),
            "q1": _clean(series.quantile(0.25, interpolation="linear")),
            "q3": _clean(series.quantile(0.75, interpolation="linear")),
            "max": _clean(series.max()),
        }
    )
    return out
