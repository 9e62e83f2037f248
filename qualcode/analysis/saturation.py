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
#: random orders are drawn in chunks of at most this many orders x documents x codes cells
CHUNK_CELLS = 4_000_000
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
    new, ratio, saturated = run_table(np.asarray([cumulative], dtype=np.int64), options)
    for i in range(new.shape[1] if base_codes else 0):
        first, last = b + i, b + i + r - 1  # 0-based indices of the run's documents
        runs.append(
            {
                "first": names[first],
                "last": names[last],
                "first_position": first + 1,
                "last_position": last + 1,
                "new_codes": int(new[0, i]),
                "ratio": float(ratio[0, i]),
                "saturated": bool(saturated[0, i]),
            }
        )
        if saturated[0, i] and reached is None:
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
    # in chunks of orders, so that a large corpus never holds orders x documents x codes at once
    chunk = max(1, CHUNK_CELLS // max(1, n * matrix.shape[1]))
    cumulative = np.concatenate(
        [
            np.logical_or.accumulate(matrix[orders[i : i + chunk]], axis=1).sum(axis=2)
            for i in range(0, k, chunk)
        ]
    )  # (orders, positions)
    percentiles = np.percentile(cumulative, BAND, axis=0)
    out["percentiles"] = [[float(v) for v in row] for row in percentiles]
    _new, _ratio, saturated = run_table(cumulative, options)
    if saturated.shape[1]:
        hit = saturated.any(axis=1)
        # the 1-based position of the last document of each order's first saturated run
        positions = options.base + saturated.argmax(axis=1) + options.run
        out["saturated_share"] = float(hit.mean())
        out["median_position"] = float(np.median(positions[hit])) if hit.any() else None
    elif n >= options.base + options.run:  # the base has no codes in any order
        out["saturated_share"] = 0.0
    return out


def run_table(
    cumulative: npt.NDArray[np.int64], options: SaturationOptions
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """For orders x positions of cumulative codes: each run after the base (columns: runs
    starting at document base + 1, base + 2, ...) with its new codes, its ratio to the base's
    codes and whether it is at most the threshold. No columns when there are fewer than
    base + run documents; a base without codes saturates nothing."""
    b, r = options.base, options.run
    n = cumulative.shape[1]
    if n < b + r:
        empty = np.zeros((cumulative.shape[0], 0))
        return empty.astype(np.int64), empty, empty.astype(bool)
    before = cumulative[:, b - 1 : n - r]  # the document before each run
    new = (cumulative[:, b + r - 1 :] - before).astype(np.int64)
    base = cumulative[:, b - 1 : b].astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(base > 0, new / np.where(base > 0, base, 1), np.nan)
    saturated = (base > 0) & (ratio <= options.threshold + 1e-12)
    return new, ratio, saturated


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
