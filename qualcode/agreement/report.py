"""The agreement report over plain coding data: per code, pooled, per document, per coder pair.

Every code is a present/absent (nominal) variable. "Overall" pools the codes: each (unit, code)
pair is one unit of a single binary variable. A row holds the units compared (rated by two
coders or more; characters for the character unit), percent agreement, Cohen's kappa (two
coders) or Fleiss' kappa (three or more), Krippendorff's alpha with its bootstrap interval and
the probabilities that alpha falls short of .667 and .800, and a verdict on alpha:
reliable (>= .800), tentative (>= .667), unreliable (below). A statistic that is undefined for
the data is null and ``not_computable`` gives the reason.

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
from qualcode.agreement.multirater import fleiss_kappa
from qualcode.agreement.pairwise import cohen_kappa, percent_agreement
from qualcode.agreement.spans import OVERLAP_MEASURES, OverlapMeasure
from qualcode.agreement.units import CodingData, Variable, build_variable, check_unit, coded_units
from qualcode.errors import QualcodeError

RELIABLE = 0.800
TENTATIVE = 0.667
VERDICTS = ("reliable", "tentative", "unreliable")


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


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def _attempt(key: str, func: Callable[[], float], reasons: dict[str, str]) -> float | None:
    try:
        return func()
    except NotComputable as exc:
        reasons[key] = str(exc)
        return None


def summarize(variable: Variable, options: ReportOptions) -> dict[str, Any]:
    """The statistics row of one binary variable."""
    ratings = variable.ratings()
    reasons: dict[str, str] = {}
    kappa_key = kappa_name(ratings.n_coders)
    kappa = cohen_kappa if ratings.n_coders == 2 else fleiss_kappa
    row: dict[str, Any] = {
        "units": _number(ratings.pairable_weight()),
        "percent_agreement": _attempt(
            "percent_agreement", lambda: percent_agreement(ratings), reasons
        ),
        kappa_key: _attempt(kappa_key, lambda: kappa(ratings), reasons),
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
    check_unit(unit, threshold)
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
    for index, doc in enumerate(data.documents):
        part = pooled.where(pooled.document == index)
        coders = [c for c in data.coders if c in doc.coders]
        by_document.append({"document": doc.name, "coders": coders, **summarize(part, opts)})
    by_pair = []
    for pair in combinations(data.coders, 2):
        pair_var = Variable.concat(pair, [variable(code, pair) for code in data.codes])
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
