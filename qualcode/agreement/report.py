"""The agreement report over plain coding data: per code, pooled, per document, per coder pair.

Every code is a present/absent (nominal) variable. "Overall" pools the codes: each (unit, code)
pair is one unit of a single binary variable. The statistics of each row, and which of them
are withheld where (the overlap unit, dependent units, zero-width intervals), are in
report_rows.py.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

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

__all__ = ["RELIABLE", "TENTATIVE", "VERDICTS", "ReportOptions", "build_report", "verdict"]

#: units whose per-coder values do not depend on which other coders are compared
ROW_WISE_UNITS = (*SEGMENT_KINDS, "document")


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
    pooled_codes = len(data.codes) > 1  # rows over several codes of the same units
    code_rows = [
        {
            "code": code,
            **summarize(var, opts, unit),
            "usage": usage(data, code, data.coders),
            "coded_units": {c: number(n) for c, n in coded_units(var.pairable()).items()},
        }
        for code, var in per_code.items()
    ]
    pooled = Variable.concat(data.coders, list(per_code.values()))
    by_document = []
    parts = pooled.by_document(len(data.documents))
    for doc, part in zip(data.documents, parts, strict=True):
        coders = [c for c in data.coders if c in doc.coders]
        by_document.append(
            {
                "document": doc.name,
                "coders": coders,
                **summarize(part, opts, unit, pooled=pooled_codes),
            }
        )

    def pair_variable(code: str, pair: tuple[str, ...]) -> Variable:
        if unit in ROW_WISE_UNITS:
            # each coder's row is independent of the others': take the pair's rows
            return per_code[code].with_coders(pair)
        return variable(code, pair)

    by_pair = []
    for pair in combinations(data.coders, 2):
        pair_var = Variable.concat(pair, [pair_variable(code, pair) for code in data.codes])
        by_pair.append(
            {"coders": list(pair), **summarize(pair_var, opts, unit, pooled=pooled_codes)}
        )
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
            **summarize(pooled, opts, unit, pooled=pooled_codes),
            "usage": {
                c: sum(u for row in code_rows for k, u in row["usage"].items() if k == c)
                for c in data.coders
            },
        },
        "by_document": by_document,
        "by_pair": by_pair,
    }
