"""Thematic saturation: how many new codes each further interview brings.

The documents are taken in interview order (see :mod:`qualcode.analysis.saturation_data`), each
as the set of codes applied in it. For each document: the codes new so far, the code pairs new
so far (two codes applied in the same document), the cumulative number of codes and the share of
all the codes of the corpus seen so far.

The saturation ratio follows Guest, Namey and Chen (2020), "A simple method to assess and report
thematic saturation in qualitative research", PLoS ONE 15(5): e0232076:

* *base size* ``base`` (default 4): the first ``base`` documents; their distinct codes are the
  denominator of every ratio;
* *run length* ``run`` (default 2): a run is ``run`` consecutive documents after the base; the
  runs start at each document after the base in turn (documents 5-6, then 6-7, ...);
* *new-information threshold* ``threshold`` (default 0.05): saturation is reached at the last
  document of the first run whose new codes (codes seen in no earlier document) divided by the
  base's codes is at most the threshold.

The curve of one order can hang on that order, so the same figures are computed for
``permutations`` random orders (default 1,000, seeded): for each position, the 2.5th, 50th and
97.5th percentiles of the cumulative codes (linear interpolation), and the share of orders that
reach saturation with the median position where they do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np
import numpy.typing as npt

from qualcode.errors import QualcodeError

DEFAULT_BASE = 4
DEFAULT_RUN = 2
DEFAULT_THRESHOLD = 0.05
DEFAULT_PERMUTATIONS = 1000
DEFAULT_SEED = 0
#: the percentiles of the band from random orders
BAND = (2.5, 50.0, 97.5)
SOURCE = (
    "Guest, Namey & Chen (2020), A simple method to assess and report thematic saturation "
    "in qualitative research, PLoS ONE 15(5): e0232076"
)


@dataclass(frozen=True)
class SaturationOptions:
    base: int = DEFAULT_BASE
    run: int = DEFAULT_RUN
    threshold: float = DEFAULT_THRESHOLD
    permutations: int = DEFAULT_PERMUTATIONS
    seed: int = DEFAULT_SEED

    def check(self) -> None:
        if self.base < 1:
            raise QualcodeError("--base must be at least 1")
        if self.run < 1:
            raise QualcodeError("--run must be at least 1")
        if not 0 <= self.threshold < 1:
            raise QualcodeError("--threshold must be a share from 0 to below 1, e.g. 0.05")
        if self.permutations < 0:
            raise QualcodeError("--permutations cannot be negative")

    def as_json(self) -> dict[str, Any]:
        return {
            "base": self.base,
            "run": self.run,
            "threshold": self.threshold,
            "permutations": self.permutations,
            "seed": self.seed,
        }


@dataclass(frozen=True)
class CodedDocument:
    """A document in interview order and the codes applied in it (by path)."""

    name: str
    participant: str | None
    codes: frozenset[str]


def saturation_curve(docs: Sequence[CodedDocument], options: SaturationOptions) -> dict[str, Any]:
    """The figures of the module docstring for documents in the given order (JSON-ready)."""
    options.check()
    all_codes = sorted(set().union(*(d.codes for d in docs))) if docs else []
    seen: set[str] = set()
    seen_pairs: set[tuple[str, str]] = set()
    rows: list[dict[str, Any]] = []
    for position, doc in enumerate(docs, start=1):
        new = sorted(doc.codes - seen)
        pairs = set(combinations(sorted(doc.codes), 2))
        new_pairs = pairs - seen_pairs
        seen |= doc.codes
        seen_pairs |= pairs
        rows.append(
            {
                "position": position,
                "document": doc.name,
                "participant": doc.participant,
                "codes": len(doc.codes),
                "new_codes": len(new),
                "new_code_names": new,
                "new_pairs": len(new_pairs),
                "cumulative_codes": len(seen),
                "cumulative_pairs": len(seen_pairs),
                "share_of_codes": len(seen) / len(all_codes) if all_codes else None,
            }
        )
    matrix = presence_matrix(docs, all_codes)
    cumulative = [r["cumulative_codes"] for r in rows]
    band = random_orders(matrix, options)
    for row, low, mid, high in zip(rows, *band["percentiles"], strict=True):
        row["band_low"], row["band_median"], row["band_high"] = low, mid, high
    return {
        "codes": len(all_codes),
        "pairs": rows[-1]["cumulative_pairs"] if rows else 0,
        "documents": rows,
        "saturation": saturation_runs(cumulative, options, [d.name for d in docs]),
        "random_orders": {k: v for k, v in band.items() if k != "percentiles"},
    }


def saturation_runs(
    cumulative: Sequence[int], options: SaturationOptions, names: Sequence[str]
) -> dict[str, Any]:
    """Every run after the base with its new codes and ratio, and where saturation is reached."""
    b, r = options.base, options.run
    enough = len(cumulative) >= b + r
    base_codes = cumulative[b - 1] if len(cumulative) >= b else None
    runs: list[dict[str, Any]] = []
    reached: dict[str, Any] | None = None
    for first, last, new, ratio, saturated in run_ratios(cumulative, options):
        runs.append(
            {
                "first": names[first],
                "last": names[last],
                "first_position": first + 1,
                "last_position": last + 1,
                "new_codes": new,
                "ratio": ratio,
                "saturated": saturated,
            }
        )
        if saturated and reached is None:
            reached = {"document": names[last], "position": last + 1}
    why = None
    if not enough:
        why = f"needs at least {b + r} coded documents (base {b} + run {r})"
    elif not base_codes:
        why = "the base documents have no codes"
    return {
        **options.as_json(),
        "source": SOURCE,
        "base_codes": base_codes,
        "runs": runs,
        "reached": reached is not None,
        "at_document": reached["document"] if reached else None,
        "at_position": reached["position"] if reached else None,
        "not_computable": why,
    }


def presence_matrix(docs: Sequence[CodedDocument], codes: Sequence[str]) -> npt.NDArray[np.bool_]:
    """Documents x codes: True where the document has the code."""
    index = {c: i for i, c in enumerate(codes)}
    matrix = np.zeros((len(docs), len(codes)), dtype=bool)
    for row, doc in enumerate(docs):
        matrix[row, [index[c] for c in doc.codes]] = True
    return matrix


def random_orders(matrix: npt.NDArray[np.bool_], options: SaturationOptions) -> dict[str, Any]:
    """Cumulative codes by position over random orders of the documents: the band's
    percentiles per position, and how often (and where) those orders reach saturation."""
    n = matrix.shape[0]
    k = options.permutations
    empty: list[list[float | None]] = [[None] * n for _ in BAND]
    out: dict[str, Any] = {
        "permutations": k,
        "seed": options.seed,
        "percentiles": empty,
        "band": f"{BAND[0]}th to {BAND[2]}th percentile (linear interpolation)",
        "saturated_share": None,
        "median_position": None,
    }
    if n == 0 or k == 0:
        return out
    rng = np.random.default_rng(options.seed)
    orders = np.argsort(rng.random((k, n)), axis=1)
    cumulative = np.logical_or.accumulate(matrix[orders], axis=1).sum(axis=2)  # (k, n)
    percentiles = np.percentile(cumulative, BAND, axis=0)
    out["percentiles"] = [[float(v) for v in row] for row in percentiles]
    positions = [_first_saturated(cumulative[i], options) for i in range(k)]
    reached = [p for p in positions if p is not None]
    if n >= options.base + options.run:
        out["saturated_share"] = len(reached) / k
    out["median_position"] = float(np.median(reached)) if reached else None
    return out


def run_ratios(
    cumulative: Sequence[int] | npt.NDArray[np.int_], options: SaturationOptions
) -> list[tuple[int, int, int, float, bool]]:
    """Each run after the base: (first index, last index, new codes, ratio, saturated);
    none when there are fewer than base + run documents or the base has no codes."""
    b, r = options.base, options.run
    if len(cumulative) < b + r or not cumulative[b - 1]:
        return []
    base_codes = int(cumulative[b - 1])
    out: list[tuple[int, int, int, float, bool]] = []
    for first in range(b, len(cumulative) - r + 1):
        last = first + r - 1
        new = int(cumulative[last] - cumulative[first - 1])
        ratio = new / base_codes
        out.append((first, last, new, ratio, ratio <= options.threshold + 1e-12))
    return out


def _first_saturated(cumulative: npt.NDArray[np.int_], options: SaturationOptions) -> int | None:
    """The 1-based position where saturation is reached in this order, or None."""
    return next((last + 1 for _f, last, _n, _r, ok in run_ratios(cumulative, options) if ok), None)


def describe_saturation(report: dict[str, Any]) -> str:
    """One line: where saturation is reached (or why not), and how often in random orders
    (the CLI prints it, the report shows it)."""
    sat = report["saturation"]
    rule = f"base {sat['base']}, run {sat['run']}, new information <= {sat['threshold']:.0%}"
    if sat["not_computable"]:
        line = f"saturation: not computable ({sat['not_computable']}; {rule})"
    elif sat["reached"]:
        line = f"saturation reached at document {sat['at_position']} ({sat['at_document']}; {rule})"
    else:
        line = f"saturation not reached ({rule})"
    orders = report["random_orders"]
    if orders["saturated_share"] is not None:
        line += (
            f"; {orders['saturated_share']:.0%} of {orders['permutations']} random orders reach it"
        )
        if orders["median_position"] is not None:
            line += f", at document {orders['median_position']:g} (median)"
    return line
