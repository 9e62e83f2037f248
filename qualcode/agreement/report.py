"""The agreement report over plain coding data: per code, pooled, per document, per coder pair.

Every code is a present/absent (nominal) variable. "Overall" pools the codes: each (unit, code)
pair is one unit of a single binary variable. A row holds the units compared (rated by two
coders or more; characters for the character unit), percent agreement, Cohen's kappa (two
coders) or Fleiss' kappa (three or more) with its standard error and confidence interval,
Krippendorff's alpha with its bootstrap interval and the probabilities that alpha falls short of
.667 and .800, and a verdict on alpha: reliable (>= .800), tentative (>= .667), unreliable
(below). A statistic that is undefined for the data is null and ``not_computable`` gives the
reason.

The kappa's standard error (``kappa_se``) is the Fleiss-Cohen-Everitt large-sample one for
Cohen's kappa and Gwet's linearised one for Fleiss' kappa (see intervals.py); the interval
(``kappa_low``, ``kappa_high``) is kappa +/- z se at the report's confidence level, clipped to
[-1, 1]. Both treat the units as independent: for the character unit every character counts
as a unit, and in the pooled rows every (unit, code) pair does, so there the interval is
narrower than the dependence between neighbouring characters or codes warrants.

Alpha's interval is Krippendorff's bootstrap without his cap on the number of pairs drawn per
sample (all n (m - 1) / 2 pairs; see bootstrap.py): with the cap, a present/absent code gets
at most 100 pairs per sample, and the interval of a code coded over thousands of units would
say nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from qualcode.agreement.alpha import alpha_parts
from qualcode.agreement.bootstrap import bootstrap_alpha_parts
from qualcode.agreement.errors import NotComputable
from qualcode.agreement.intervals import (
    COHEN_METHOD,
    GWET_METHOD,
    cohen_kappa_se_from_table,
    fleiss_kappa_se,
)
from qualcode.agreement.matrix import Ratings
from qualcode.agreement.pairwise import contingency_table, percent_agreement
from qualcode.agreement.spans import OVERLAP_MEASURES, OverlapMeasure
from qualcode.agreement.units import (
    SEGMENT_KINDS,
    CodingData,
    Variable,
    build_variable,
    check_unit_and_threshold,
    coded_units,
)
from qualcode.errors import QualcodeError

RELIABLE = 0.800
TENTATIVE = 0.667
VERDICTS = ("reliable", "tentative", "unreliable")
#: units whose per-coder values do not depend on which other coders are compared
ROW_WISE_UNITS = (*SEGMENT_KINDS, "document")


@dataclass(frozen=True)
class ReportOptions:
    n_boot: int = 5000
    seed: int | None = 0
    ci: float = 0.95
    thresholds: tuple[float, ...] = (TENTATIVE, RELIABLE)
    cap_draws: bool = False


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


KAPPA_SE_METHODS = {"cohen_kappa": COHEN_METHOD, "fleiss_kappa": GWET_METHOD}


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def _attempt(key: str, func: Callable[[], float], reasons: dict[str, str]) -> float | None:
    try:
        return func()
    except NotComputable as exc:
        reasons[key] = str(exc)
        return None


ONE_CATEGORY = (
    "no standard error: one coder used a single category (never or always coded it), so "
    "Cohen's kappa is 0 whatever the other coder did and its large-sample variance is 0"
)


def kappa_fields(
    ratings: Ratings, kappa_key: str, ci: float, reasons: dict[str, str]
) -> dict[str, float | None]:
    """The kappa with its standard error and interval, or nulls and the reason.

    Cohen's kappa of a coder who used one category only is 0 by construction, and the
    Fleiss-Cohen-Everitt variance is then exactly 0: an interval of [0, 0] would claim a
    certainty the data do not have, so the standard error is reported as not computable.
    """
    empty: dict[str, float | None] = {"kappa_se": None, "kappa_low": None, "kappa_high": None}
    one_sided = False
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
        return {kappa_key: est.value, **empty}
    return {kappa_key: est.value, "kappa_se": est.se, "kappa_low": est.low, "kappa_high": est.high}


def summarize(variable: Variable, options: ReportOptions) -> dict[str, Any]:
    """The statistics row of one binary variable."""
    ratings = variable.collapsed().ratings()
    reasons: dict[str, str] = {}
    kappa_key = kappa_name(ratings.n_coders)
    row: dict[str, Any] = {
        "units": _number(ratings.pairable_weight()),
        "percent_agreement": _attempt(
            "percent_agreement", lambda: percent_agreement(ratings), reasons
        ),
        **kappa_fields(ratings, kappa_key, options.ci, reasons),
        "krippendorff_alpha": None,
        "alpha_low": None,
        "alpha_high": None,
        "alpha_q": None,
    }
    try:
        parts = alpha_parts(ratings, "nominal")
    except NotComputable as exc:
        reasons["krippendorff_alpha"] = str(exc)
    else:
        interval = bootstrap_alpha_parts(
            parts,
            level="nominal",
            n_boot=options.n_boot,
            seed=options.seed,
            ci=options.ci,
            thresholds=options.thresholds,
            cap_draws=options.cap_draws,
        )
        row["krippendorff_alpha"] = interval.alpha
        row["alpha_low"], row["alpha_high"] = interval.low, interval.high
        row["alpha_q"] = {f"{t:g}": p for t, p in interval.q.items()}
    row["verdict"] = verdict(row["krippendorff_alpha"])
    row["not_computable"] = reasons
    return row


def usage(data: CodingData, code: str, coders: tuple[str, ...]) -> dict[str, int]:
    """How many codings of the code each coder made in the documents compared."""
    return {
        coder: sum(len(doc.spans.get((coder, code), ())) for doc in data.documents)
        for coder in coders
    }


def build_report(
    data: CodingData,
    unit: str,
    *,
    threshold: float = 0.9,
    measure: OverlapMeasure = "union",
    options: ReportOptions | None = None,
) -> dict[str, Any]:
    """The whole report as JSON-ready data."""
    check_unit_and_threshold(unit, threshold)
    if measure not in OVERLAP_MEASURES:
        raise QualcodeError(f"unknown overlap measure {measure!r}; use union or longer")
    if len(data.coders) < 2:
        raise QualcodeError("agreement needs at least two coders")
    opts = options or ReportOptions()

    def variable(code: str, coders: tuple[str, ...]) -> Variable:
        return build_variable(data, code, unit, coders=coders, threshold=threshold, measure=measure)

    per_code = {code: variable(code, data.coders) for code in data.codes}
    code_rows = [
        {
            "code": code,
            **summarize(var, opts),
            "usage": usage(data, code, data.coders),
            "coded_units": {c: _number(n) for c, n in coded_units(var).items()},
        }
        for code, var in per_code.items()
    ]
    pooled = Variable.concat(data.coders, list(per_code.values()))
    by_document = []
    parts = pooled.by_document(len(data.documents))
    for doc, part in zip(data.documents, parts, strict=True):
        coders = [c for c in data.coders if c in doc.coders]
        by_document.append({"document": doc.name, "coders": coders, **summarize(part, opts)})

    def pair_variable(code: str, pair: tuple[str, ...]) -> Variable:
        if unit in ROW_WISE_UNITS:
            # each coder's row is independent of the others': take the pair's rows
            full = per_code[code]
            rows = [data.coders.index(c) for c in pair]
            return Variable(pair, full.values[rows], full.weights, full.document)
        return variable(code, pair)

    by_pair = []
    for pair in combinations(data.coders, 2):
        pair_var = Variable.concat(pair, [pair_variable(code, pair) for code in data.codes])
        by_pair.append({"coders": list(pair), **summarize(pair_var, opts)})
    return {
        "unit": unit,
        "coders": list(data.coders),
        "kappa": kappa_name(len(data.coders)),
        "threshold": threshold if unit == "overlap" else None,
        "overlap_measure": measure if unit == "overlap" else None,
        "documents": len(data.documents),
        "single_coder_documents": [
            row["document"] for row in by_document if len(row["coders"]) < 2
        ],
        "kappa_interval": {
            "ci": opts.ci,
            "methods": {
                name: KAPPA_SE_METHODS[name]
                for name in dict.fromkeys([kappa_name(len(data.coders)), "cohen_kappa"])
            },
        },
        "bootstrap": {
            "samples": opts.n_boot,
            "seed": opts.seed,
            "ci": opts.ci,
            "draws": "krippendorff" if opts.cap_draws else "all pairs",
        },
        "codes": code_rows,
        "overall": {
            **summarize(pooled, opts),
            "usage": {
                c: sum(u for row in code_rows for k, u in row["usage"].items() if k == c)
                for c in data.coders
            },
        },
        "by_document": by_document,
        "by_pair": by_pair,
    }
