"""One row of the agreement report: the statistics of one present/absent variable.

A row holds the units compared (rated by two coders or more; characters at the character
unit), percent agreement, Cohen's kappa (two coders) or Fleiss' kappa (three or more) with its
standard error and interval, Krippendorff's alpha with its bootstrap interval and the shares
of bootstrapped alphas below .667 and .800, and a verdict on alpha: reliable (>= .800),
tentative (>= .667), unreliable (below). A figure that is undefined, or that would claim more
than the data can show, is null and ``not_computable`` gives the reason.

Units rated by fewer than two coders (in documents only one coder coded) are dropped before
anything is computed: they add no agreement, and Fleiss' chance term would otherwise count
them.

Which units are independent. The kappa's standard error (Fleiss-Cohen-Everitt for Cohen's,
Gwet's for Fleiss') takes every unit as independent, and so does a bootstrap of units. That
holds for segments and documents of one code, not for the characters of a passage nor for the
codes of one segment. So rows over characters resample whole documents, rows that pool the
codes resample whole segments (whole documents at the document and character units), and such
rows get no kappa standard error. An interval from fewer than ``MIN_RESAMPLED`` resampled
units (documents, segments) is withheld, and so is one of zero width (perfect agreement on
every unit gives [1, 1]; a coder who used one category gives Cohen's kappa [0, 0]): a finite
sample never shows certainty.

At the overlap unit every unit is a coding, so "coded by neither" never occurs: chance-
corrected coefficients are 0 or below there by construction (0/0 when every coding matches).
Such rows report matched codings over all codings (MAXQDA's segment agreement) and nothing
chance-corrected.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from qualcode.agreement.alpha import alpha_parts
from qualcode.agreement.bootstrap import (
    DEFAULT_SAMPLES,
    DEFAULT_SEED,
    DEFAULT_THRESHOLDS,
    bootstrap_alpha,
)
from qualcode.agreement.errors import NotComputable
from qualcode.agreement.intervals import (
    COHEN_METHOD,
    GWET_METHOD,
    Estimate,
    cohen_kappa_se_from_table,
    fleiss_kappa_se,
)
from qualcode.agreement.matrix import Ratings
from qualcode.agreement.pairwise import contingency_table, percent_agreement
from qualcode.agreement.units import MISSING, PRESENT, SEGMENT_KINDS, Variable

RELIABLE = 0.800
TENTATIVE = 0.667
VERDICTS = ("reliable", "tentative", "unreliable")
MIN_RESAMPLED = 10
KAPPA_SE_METHODS = {"cohen_kappa": COHEN_METHOD, "fleiss_kappa": GWET_METHOD}

ONE_CATEGORY = (
    "no standard error: one coder used a single category (never or always coded it), so "
    "Cohen's kappa is 0 whatever the other coder did and its large-sample variance is 0"
)
KAPPA_ZERO_WIDTH = (
    "no interval: the standard error is 0 (as with perfect agreement), and an interval of "
    "zero width would claim a certainty that a finite sample cannot give"
)
ALPHA_ZERO_WIDTH = (
    "no interval: every bootstrap sample gives the same alpha (as with perfect agreement on "
    "every unit), and an interval of zero width would claim a certainty that a finite sample "
    "cannot give"
)
OVERLAP = (
    "not computed at the overlap unit: every unit is a coding, so the cell 'coded by neither "
    "coder' never occurs, and a chance-corrected coefficient is then 0 or below whatever the "
    "coders did (0/0 when every coding matches). Percent agreement here is matched codings / "
    "all codings, as in MAXQDA"
)


@dataclass(frozen=True)
class ReportOptions:
    n_boot: int = DEFAULT_SAMPLES
    seed: int | None = DEFAULT_SEED
    ci: float = 0.95
    thresholds: tuple[float, ...] = DEFAULT_THRESHOLDS


def verdict(alpha: float | None) -> str | None:
    """reliable (alpha >= .800), tentative (.667 to .800), unreliable; None if undefined."""
    if alpha is None:
        return None
    if alpha >= RELIABLE:
        return "reliable"
    if alpha >= TENTATIVE:
        return "tentative"
    return "unreliable"


def kappa_name(n_coders: int) -> str:
    return "cohen_kappa" if n_coders == 2 else "fleiss_kappa"


def number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def attempt(key: str, func: Callable[[], float], reasons: dict[str, str]) -> float | None:
    try:
        return func()
    except NotComputable as exc:
        reasons[key] = str(exc)
        return None


def resampled_as(unit: str, pooled: bool) -> str:
    """What a row's interval resamples (see the module docstring)."""
    if unit == "character" or (pooled and unit == "document"):
        return "documents"
    if pooled:
        return f"{unit}s, each with all its codes"
    return f"{unit}s"


def resampling_groups(variable: Variable, unit: str, pooled: bool) -> NDArray[np.intp] | None:
    """The cluster of each unit, or None where the units themselves are resampled."""
    if unit == "character" or (pooled and unit == "document"):
        return variable.document
    if pooled and unit in SEGMENT_KINDS:
        key = variable.document.astype(np.int64) * (int(variable.position.max(initial=0)) + 1)
        return np.asarray(key + variable.position, dtype=np.intp)
    return None


def kappa_fields(
    ratings: Ratings,
    kappa_key: str,
    ci: float,
    reasons: dict[str, str],
    dependent: str | None = None,
) -> dict[str, float | None]:
    """The kappa with its standard error and interval, or nulls and the reason.

    ``dependent`` names what the row's interval resamples when its units are not independent:
    the kappa then gets no standard error.
    """
    empty: dict[str, float | None] = {"kappa_se": None, "kappa_low": None, "kappa_high": None}
    one_sided = False
    est: Estimate
    try:
        if kappa_key == "cohen_kappa":
            table, _ = contingency_table(ratings)
            est = cohen_kappa_se_from_table(table, ci=ci)
            one_sided = bool((table.sum(axis=0) == 0).any() or (table.sum(axis=1) == 0).any())
        else:
            est = fleiss_kappa_se(ratings, ci=ci)
    except NotComputable as exc:
        reasons[kappa_key] = reasons["kappa_se"] = str(exc)
        return {kappa_key: None, **empty}
    if one_sided:
        reasons["kappa_se"] = ONE_CATEGORY
    elif dependent is not None:
        reasons["kappa_se"] = (
            "no standard error: its formula takes every unit as independent, which "
            "neighbouring characters and the codes of one segment are not; alpha's interval "
            f"resamples whole {dependent} instead"
        )
    elif est.low == est.high:
        reasons["kappa_se"] = KAPPA_ZERO_WIDTH
    else:
        return {
            kappa_key: est.value,
            "kappa_se": est.se,
            "kappa_low": est.low,
            "kappa_high": est.high,
        }
    return {kappa_key: est.value, **empty}


def alpha_fields(
    ratings: Ratings,
    resampled: Ratings,
    groups: NDArray[np.intp] | None,
    what: str,
    options: ReportOptions,
    reasons: dict[str, str],
) -> dict[str, Any]:
    """Alpha (of ``ratings``) with its bootstrap interval and q, or nulls and the reasons.

    ``resampled``: the same data with every unit of every cluster ``groups`` names (the
    collapsed ``ratings`` have merged units of different clusters).
    """
    out: dict[str, Any] = {
        "krippendorff_alpha": None,
        "alpha_low": None,
        "alpha_high": None,
        "alpha_q": None,
    }
    try:
        parts = alpha_parts(ratings, "nominal")
    except NotComputable as exc:
        reasons["krippendorff_alpha"] = str(exc)
        return out
    out["krippendorff_alpha"] = parts.value
    try:
        interval = bootstrap_alpha(
            resampled,
            "nominal",
            parts=parts,
            n_boot=options.n_boot,
            seed=options.seed,
            ci=options.ci,
            thresholds=options.thresholds,
            clusters=groups,
            what=what,
        )
    except NotComputable as exc:
        reasons["alpha_interval"] = f"no interval: {exc}"
        return out
    if interval.resampled < MIN_RESAMPLED:
        reasons["alpha_interval"] = (
            f"no interval: only {interval.resampled} {what} to resample; a bootstrap of fewer "
            f"than {MIN_RESAMPLED} cannot show the uncertainty"
        )
    elif interval.low == interval.high:
        reasons["alpha_interval"] = ALPHA_ZERO_WIDTH
    else:
        out["alpha_low"], out["alpha_high"] = interval.low, interval.high
        out["alpha_q"] = {f"{t:g}": p for t, p in interval.q.items()}
    return out


def overlap_row(variable: Variable) -> dict[str, Any]:
    """Matched codings over all codings; nothing chance-corrected (see the module docstring).

    Each coding is checked against every other coder who coded its document. With two coders
    the share of matched checks is matched codings / all codings; with more, the share of
    (coding, other coder) checks in which the other coder has a matching coding.
    """
    rated = (variable.values != MISSING).sum(axis=0).astype(np.float64)
    present = (variable.values == PRESENT).sum(axis=0).astype(np.float64)
    checks = float((variable.weights * (rated - 1.0)).sum())
    matched = float((variable.weights * (present - 1.0)).sum())
    kappa_key = kappa_name(len(variable.coders))
    reasons = {kappa_key: OVERLAP, "kappa_se": OVERLAP, "krippendorff_alpha": OVERLAP}
    if checks <= 0:
        reasons["percent_agreement"] = "no coding in a document that two coders coded"
    return {
        "units": number(float(variable.weights.sum())),
        "matched": number(matched),
        "percent_agreement": matched / checks if checks > 0 else None,
        kappa_key: None,
        "kappa_se": None,
        "kappa_low": None,
        "kappa_high": None,
        "krippendorff_alpha": None,
        "alpha_low": None,
        "alpha_high": None,
        "alpha_q": None,
        "verdict": None,
        "not_computable": reasons,
    }


def summarize(
    variable: Variable, options: ReportOptions, unit: str, *, pooled: bool = False
) -> dict[str, Any]:
    """The statistics row of one binary variable; ``pooled`` when it holds several codes
    (a single code pooled is that code's variable)."""
    variable = variable.pairable()
    if unit == "overlap":
        return overlap_row(variable)
    what = resampled_as(unit, pooled)
    groups = resampling_groups(variable, unit, pooled)
    ratings = variable.collapsed().ratings()
    reasons: dict[str, str] = {}
    kappa_key = kappa_name(ratings.n_coders)
    row: dict[str, Any] = {
        "units": number(ratings.pairable_weight()),
        "percent_agreement": attempt(
            "percent_agreement", lambda: percent_agreement(ratings), reasons
        ),
        **kappa_fields(ratings, kappa_key, options.ci, reasons, None if groups is None else what),
        **alpha_fields(
            ratings,
            ratings if groups is None else variable.ratings(),
            groups,
            what,
            options,
            reasons,
        ),
    }
    row["verdict"] = verdict(row["krippendorff_alpha"])
    row["not_computable"] = reasons
    return row
