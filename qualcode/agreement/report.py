"""The agreement report over plain coding data: per code, pooled, per document, per coder pair.

Every code is a present/absent (nominal) variable. "Overall" pools the codes: each (unit, code)
pair is one unit of a single binary variable. The statistics of each row, and which of them
are withheld where (the overlap unit, dependent units, zero-width intervals), are in
report_rows.py.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

import numpy as np

from qualcode.agreement.bootstrap import METHOD
from qualcode.agreement.report_rows import (
    KAPPA_SE_METHODS,
    MIN_RESAMPLED,
    RELIABLE,
    TENTATIVE,
    VERDICTS,
    ReportOptions,
    kappa_name,
    number,
    resampled_as,
    summarize,
    verdict,
)
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

MAX_MERGED_CODERS = 12  # 3^12 value patterns: keys still fit in 64 bits

__all__ = ["RELIABLE", "TENTATIVE", "VERDICTS", "ReportOptions", "build_report", "verdict"]

#: units whose per-coder values do not depend on which other coders are compared
ROW_WISE_UNITS = (*SEGMENT_KINDS, "document")


def usage(data: CodingData, code: str, coders: tuple[str, ...]) -> dict[str, int]:
    """How many codings of the code each coder made in the documents compared."""
    return {
        coder: sum(len(doc.spans.get((coder, code), ())) for doc in data.documents)
        for coder in coders
    }


class Pool:
    """Several codes' variables pooled, one at a time: the pairable units of each added are
    merged into what is there (identical units of one segment, or of one document, become one
    unit with their weights added), kept as one number and one weight per unit. Every figure
    of the pooled variable stays what it would be with every code's units side by side."""

    def __init__(self, coders: tuple[str, ...], span: int) -> None:
        self.coders = coders
        self.span = span  # more than any segment's position (1: merge within documents)
        self.keys = np.zeros(0, dtype=np.int64)
        self.weights = np.zeros(0, dtype=np.float64)
        self.parts: list[Variable] = []  # too many coders to number the units' values

    def add(self, part: Variable) -> None:
        part = part.pairable()
        if len(self.coders) > MAX_MERGED_CODERS:
            self.parts.append(part)
            return
        keys, weights = part.unit_keys(self.span), part.weights
        # units already in the pool add their weights (one code's units of a segment are
        # mostly the pattern that the other codes left there: coded by none)
        at = np.searchsorted(self.keys, keys)
        found = at < len(self.keys)
        found[found] = self.keys[at[found]] == keys[found]
        np.add.at(self.weights, at[found], weights[found])
        new = ~found
        if not new.any():
            return
        fresh, sums = keys[new], weights[new]
        if len(fresh) > 1 and bool((fresh[1:] <= fresh[:-1]).any()):  # not sorted and unique
            fresh, where = np.unique(fresh, return_inverse=True)
            sums = np.bincount(where.ravel(), weights=sums, minlength=len(fresh)).astype(np.float64)
        if not len(self.keys):
            self.keys, self.weights = fresh, sums
            return
        place = np.searchsorted(self.keys, fresh)
        self.keys = np.insert(self.keys, place, fresh)
        self.weights = np.insert(self.weights, place, sums)

    def project(self, pair: tuple[str, str]) -> Pool:
        """The pool of two of the coders: each unit's values of those two, merged again."""
        out = Pool(pair, self.span)
        if self.parts:
            out.parts = [p.with_coders(pair).pairable() for p in self.parts]
        else:
            out.add(self.variable.with_coders(pair))
        return out

    @property
    def variable(self) -> Variable:
        if self.parts:
            return Variable.concat(self.coders, self.parts)
        return Variable.from_keys(self.coders, self.keys, self.weights, self.span)


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

    # Code by code: each code's units are built, summarised and merged into the pooled and
    # per-pair variables (identical units of one segment or document merged, which changes
    # no figure), so only one code's units are held at a time.
    pairs = list(combinations(data.coders, 2))
    span = 1
    if unit in SEGMENT_KINDS:
        span = 1 + max((len(doc.unit_spans) for doc in data.documents), default=0)
    pooled = Pool(data.coders, span)
    # with segment or document units each coder's row is independent of the others': the
    # pairs' pools come from the pooled one at the end
    row_wise = unit in ROW_WISE_UNITS
    pair_pools = {} if row_wise else {pair: Pool(pair, span) for pair in pairs}
    code_rows = []
    for code in data.codes:
        var = variable(code, data.coders)
        code_rows.append(
            {
                "code": code,
                **summarize(var, opts, unit),
                "usage": usage(data, code, data.coders),
                "coded_units": {c: number(n) for c, n in coded_units(var.pairable()).items()},
            }
        )
        pooled.add(var)
        del var
        for pair, pool in pair_pools.items():
            pool.add(variable(code, pair))
    pooled_codes = len(data.codes) > 1  # rows over several codes of the same units
    by_pair = []
    for pair in pairs:  # each pair's units let go before the next pair's are decoded
        pair_var = (pooled.project(pair) if row_wise else pair_pools.pop(pair)).variable
        by_pair.append(
            {"coders": list(pair), **summarize(pair_var, opts, unit, pooled=pooled_codes)}
        )
        del pair_var
    pooled_var = pooled.variable
    del pooled
    overall = summarize(pooled_var, opts, unit, pooled=pooled_codes)
    by_document = []
    parts = pooled_var.by_document(len(data.documents))
    del pooled_var
    for doc, part in zip(data.documents, parts, strict=True):
        coders = [c for c in data.coders if c in doc.coders]
        by_document.append(
            {
                "document": doc.name,
                "coders": coders,
                **summarize(part, opts, unit, pooled=pooled_codes),
            }
        )
    del parts
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
            "method": None if unit == "overlap" else METHOD.format(what="units or clusters"),
            "resampled": None
            if unit == "overlap"
            else {"codes": resampled_as(unit, False), "pooled": resampled_as(unit, pooled_codes)},
            "min_resampled": MIN_RESAMPLED,
        },
        "codes": code_rows,
        "overall": {
            **overall,
            "usage": {
                c: sum(u for row in code_rows for k, u in row["usage"].items() if k == c)
                for c in data.coders
            },
        },
        "by_document": by_document,
        "by_pair": by_pair,
    }
